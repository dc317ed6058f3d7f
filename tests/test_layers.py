"""The code's layers, read from the import statements (``ast``, nothing is imported or run).

Data flows one way: a page (``pages/``, and what draws a page's parts) reads its data plan
(``communes/views/``), which runs named queries (``communes.queries`` and the modules under it); the briefing
builds on the data plans; figures only draw. So:

- no import cycle between modules;
- no import from a lower layer up to a higher one (a data plan never imports the briefing, ``ui`` never
  imports a data plan, figures import neither);
- page modules stand side by side: no page's data plan, figure module or page script imports another
  page's (shared pieces have homes named for what they are: ``periods``, ``missing``, ``figures.common``…);
- the page data plans, the figures and the briefing's data and slides never import Streamlit nor the
  Streamlit frame (the CLI, the phone pages and the benchmarks use them without it).
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# what draws a page or a part of one, in Streamlit or HTML; the command line; the benchmarks
TOP = {"app", "communes.__main__", "communes.cli", "communes.steward_cli", "communes.briefing.cli",
       "communes.briefing.show", "communes.visits_ui"}


def layer(module: str) -> int:
    """5 pages and what draws them, 4 briefing, 3 page data plans, 2 Streamlit frame and widgets,
    1 figures, 0 everything else (queries, indicators, formats, reference data…)."""
    if module == "communes.web.session":  # signs and reads the login cookie: no project import at all
        return 0
    if module == "communes.web.svg":  # small SVG charts (the phone pages, the profile's phone layout): a figure
        return 1
    if module in TOP or module.split(".")[0] in ("pages", "bench") or module.startswith("communes.web"):
        return 5
    if module.startswith("communes.briefing"):
        return 4
    if module.startswith("communes.views"):
        return 3
    if module in ("communes.ui", "communes.served", "communes.signin", "communes.mapview"):
        return 2
    if module.startswith("communes.figures") or module == "communes.mapfig":
        return 1
    return 0


def modules() -> dict[str, Path]:
    files = [*ROOT.glob("communes/**/*.py"), *ROOT.glob("pages/*.py"), *ROOT.glob("bench/*.py"), ROOT / "app.py"]
    out = {}
    for p in files:
        parts = list(p.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = p
    return out


def imports(mods: dict[str, Path]) -> dict[str, set[str]]:
    """module → the project's modules it imports (anywhere in the file, also inside functions), and
    ``streamlit`` when it imports Streamlit."""
    edges = {}
    for name, path in mods.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join(up + ([base] if base else []))
                # "from package import module" imports the module; "from module import name", the module
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in mods else base for a in node.names]
            else:
                continue
            for t in targets:
                if t.split(".")[0] == "streamlit":
                    found.add("streamlit")
                while t and t not in mods:
                    t = t.rpartition(".")[0]
                if t and t != name and not (name.startswith(t + ".") and mods[t].name == "__init__.py"):
                    found.add(t)
        edges[name] = found
    return edges


MODS = modules()
EDGES = imports(MODS)


def page_of(module: str) -> str | None:
    """The page a module belongs to: ``communes.views.tourism`` → tourism; None for a shared module."""
    parts = module.split(".")
    if parts[0] == "pages":
        return parts[1]
    if parts[:2] in (["communes", "views"], ["communes", "figures"]) and len(parts) == 3 and parts[2] != "common":
        return parts[2]
    return None


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, directly or not (Tarjan's strongly connected components)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in edges:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_the_reader_finds_the_modules_and_their_imports():
    assert layer("pages.tourism") > layer("communes.briefing.slides") > layer("communes.views.tourism") \
        > layer("communes.ui") > layer("communes.figures.tourism") > layer("communes.queries")
    assert "communes.views.tourism" in EDGES["pages.tourism"]
    assert "streamlit" in EDGES["communes.ui"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles():
    assert cycles(EDGES) == []


def test_no_import_goes_up_a_layer():
    up = [f"{m} → {t}" for m, ts in EDGES.items() for t in ts if t != "streamlit" and layer(t) > layer(m)]
    assert up == []


def test_page_modules_import_no_other_page():
    across = [f"{m} → {t}" for m, ts in EDGES.items() for t in ts
              if page_of(m) and page_of(t) and page_of(t) != page_of(m)]
    assert across == []


def test_data_figures_and_slides_are_streamlit_free():
    """Neither Streamlit nor the Streamlit frame (``ui``, ``mapview``: layer 2, beside the data plans)."""
    drawing = sorted(f"{m} → {t}" for m, ts in EDGES.items() for t in ts
                     if m not in TOP and layer(m) in (1, 3, 4) and (t == "streamlit" or layer(t) == 2))
    assert drawing == []
