"""The tables of ``docs/`` that are written from code, so they cannot drift from it.

A Markdown file in ``docs/`` holds prose by hand and, between two marker lines, blocks this module
writes::

    <!-- generated: settings (python -m communes.docs_gen) -->
    | setting | default | meaning |
    …
    <!-- end generated -->

``python -m communes.docs_gen`` rewrites every block of every file in ``FILES``;
``python -m communes.docs_gen --check`` writes nothing and exits 1 when a file differs from what it would
write (``tests/test_docs_gen.py`` does the same). The blocks:

- ``dataset NAME``: a dataset of the data contract (``communes/contract.py``): its grain, key, the date its
  unit names are read on, and each column's accepted headers, type, unit scaling, time rules, whether it
  is required and what it means;
- ``settings``: every setting of ``communes/settings.py``;
- ``groups``: the peer groups of ``config/groups.toml``;
- ``targets``: the KPI targets of ``config/targets.toml``.

>>> print(render_block("settings").splitlines()[0])
| setting | default | meaning |
"""
from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

from communes import settings
from communes.contract import DATASETS, ENUM_HELP, MAX_INT, MAX_NUMBER, MAX_TEXT, Column, Dataset

ROOT = settings.ROOT
FILES = ("docs/data-dictionary.md", "docs/operations.md")
BLOCK = re.compile(r"(<!-- generated: (?P<name>[^()]+?) \(python -m communes\.docs_gen\) -->\n)"
                   r"(?P<body>.*?)(<!-- end generated -->)", re.S)

KINDS = {
    "text": f"text (at most {MAX_TEXT:,} characters)",
    "int": f"whole number (at most {MAX_INT:,})",
    "number": f"number (at most {int(MAX_NUMBER):,})",
    "date": "date",
    "datetime": "date, optionally with a time",
    "month": "month",
    "bool": "yes/no",
    "unit": "unit (name in any spelling, or code)",
}


def _cell(s: str) -> str:
    return " ".join(str(s).replace("|", "\\|").split())


def kind_text(col: Column) -> str:
    """The column's type in words: an enumeration lists the values it accepts."""
    if col.kind.startswith("enum:"):
        return "one of: " + ENUM_HELP[col.kind[5:]]
    if col.year:
        return "year (4 digits)"
    return KINDS[col.kind]


def rules_text(col: Column) -> str:
    """Scaling by header and the time rules of a column, in words."""
    env = {k: f"`{settings.SETTINGS[k].env}`" for k in ("date_min", "dates_until", "due_max_months")}
    out = [f"«{a}» × {v:,.0f}" for a, v in col.scale.items()]
    if col.kind in ("date", "datetime", "month") or col.year:
        if col.ahead:
            after = f"`{col.not_before}`" if col.not_before else "the day the file is checked"
            out.append(f"from {env['date_min']}; may lie ahead, at most {env['due_max_months']} months after {after}")
        else:
            out.append(f"from {env['date_min']} to {env['dates_until']}")
    if col.not_before:
        out.append(f"not before `{col.not_before}`")
    return "; ".join(out)


def dataset_table(ds: Dataset) -> str:
    map_of = (f"the map in force on `{ds.date_column}`" if ds.date_column and ds.date_column != "season_date"
              else "the map in force at the season's harvest" if ds.date_column
              else "the current map (the 40 units), whatever the row's date")
    key = ", ".join(f"`{k}`" for k in ds.key) if ds.key else "none (rows may repeat)"
    lines = [
        f"File `{ds.name}.csv` or `{ds.name}.csv.gz`; {ds.title_vi}; {ds.grain}. "
        f"A row is unique by: {key}. Unit names are read on {map_of}.",
        "",
        "| column | accepted headers (any case, with or without diacritics) | type | rules | required | meaning |",
        "|---|---|---|---|---|---|",
    ]
    for c in ds.columns:
        lines.append(f"| `{c.name}` | {_cell(', '.join(c.aliases))} | {_cell(kind_text(c))} | {_cell(rules_text(c))} "
                     f"| {'yes' if c.required else 'no'} | {_cell(c.meaning)} |")
    return "\n".join(lines) + "\n"


def settings_table() -> str:
    lines = ["| setting | default | meaning |", "|---|---|---|"]
    for s in settings.SETTINGS.values():
        default = s.default
        if default.startswith(str(ROOT)):
            default = Path(default).relative_to(ROOT).as_posix()
        lines.append(f"| `{s.env}` | {f'`{default}`' if default else '(empty)'} | {_cell(s.help)} |")
    return "\n".join(lines) + "\n"


def groups_table() -> str:
    conf = tomllib.loads((ROOT / "config" / "groups.toml").read_text(encoding="utf-8"))
    lines = [f"Province: {conf['province']}.", "",
             "| id | group | units | why |", "|---|---|---|---|"]
    for g in conf["group"]:
        lines.append(f"| `{g['id']}` | {g['name_vi']} ({g['name_en']}) | {_cell(', '.join(g['units']))} "
                     f"| {_cell(g['reason'])} |")
    return "\n".join(lines) + "\n"


def targets_table() -> str:
    conf = tomllib.loads((ROOT / "config" / "targets.toml").read_text(encoding="utf-8"))
    lines = ["| indicator | target | amber band | source |", "|---|---|---|---|"]
    for key, t in conf.items():
        sign = "≥" if t["direction"] == "min" else "≤"
        lines.append(f"| `{key}` | {sign} {t['target']:.0%} | {t['amber']:.0%} | {_cell(t['source'])} |")
    return "\n".join(lines) + "\n"


BLOCKS: dict[str, Callable[[], str]] = {
    **{f"dataset {name}": (lambda ds=ds: dataset_table(ds)) for name, ds in DATASETS.items()},
    "settings": settings_table,
    "groups": groups_table,
    "targets": targets_table,
}


def render_block(name: str) -> str:
    if name not in BLOCKS:
        raise KeyError(f"unknown generated block «{name}»; known: {', '.join(BLOCKS)}")
    return BLOCKS[name]()


def render(text: str) -> str:
    """The text with every generated block written afresh."""
    return BLOCK.sub(lambda m: m.group(1) + render_block(m.group("name")) + m.group(4), text)


def blocks_in(text: str) -> list[str]:
    return [m.group("name") for m in BLOCK.finditer(text)]


def stale(root: Path = ROOT) -> list[str]:
    """The files in ``FILES`` whose generated blocks differ from what the code gives today."""
    return [f for f in FILES if render((root / f).read_text(encoding="utf-8")) != (root / f).read_text(encoding="utf-8")]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv != ["--check"]:
        print("usage: python -m communes.docs_gen [--check]", file=sys.stderr)
        return 2
    if argv == ["--check"]:
        out = stale()
        for f in out:
            print(f"{f} is stale: run python -m communes.docs_gen", file=sys.stderr)
        return 1 if out else 0
    for f in FILES:
        path = ROOT / f
        text = path.read_text(encoding="utf-8")
        new = render(text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            print(f"wrote {f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
