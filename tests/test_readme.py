"""The README is a newcomer's first hour and stays true: short, its commands the ones CI runs, the files it
names present, and every link of the README and docs/ pointing at a file and heading that exist. The
depth it leaves out is in docs/, where these tests look for what the code serves."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from communes import auth, cli, settings
from communes.web import api

ROOT = settings.ROOT
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = sorted((ROOT / "docs").glob("*.md"))
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")


def read(rel: str) -> str:
    return (ROOT / rel).read_text(encoding="utf-8")


def section(text: str, title: str) -> str:
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    assert m, f"no section «{title}»"
    return m.group(1)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    s = heading.strip().lower()
    s = "".join(ch for ch in s if ch in " -_" or unicodedata.category(ch)[0] in "LN")
    return s.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.M | re.S)
    return {slug(h) for h in re.findall(r"^#{1,6} (.+)$", text, flags=re.M)}


def test_the_readme_is_short():
    assert len(README.splitlines()) <= 250


def test_the_three_commands_are_the_ones_ci_runs():
    block = re.search(r"```bash\n(.*?)```", section(README, "Three commands"), re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.splitlines()]
    assert commands == ["bash scripts/install.sh", "python -m communes serve", "python -m pytest -q"]
    ci = [line.strip() for line in read(".ci/run").splitlines()
          if line.strip() and not line.startswith(("#", "set ", "cd "))]
    assert ci == ["bash scripts/install.sh", "python -m pytest -q"]


def test_the_readme_has_its_sections():
    for title in ("Three commands", "A tour", "The path of a number", "Adding a page", "Adding a query",
                  "Going deeper"):
        assert section(README, title).strip()
    assert "SAMPLE" in README.split("## ")[0], "the opening says the bundled data is a sample"


def test_every_file_the_path_of_a_number_names_exists():
    """When the code moves, the README's path of a number must move with it."""
    text = section(README, "The path of a number")
    named = set(re.findall(r"`([\w./-]+\.(?:py|sql|toml))`", text))
    assert len(named) >= 8
    missing = sorted(p for p in named if not (ROOT / p).exists())
    assert missing == [], f"the README names files that do not exist: {missing}"


@pytest.mark.parametrize("doc", [ROOT / "README.md", *DOCS], ids=lambda p: p.name)
def test_every_link_points_at_a_file_and_heading(doc):
    text = re.sub(r"^```.*?^```", "", doc.read_text(encoding="utf-8"), flags=re.M | re.S)
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target):
            continue
        file, _, anchor = target.partition("#")
        path = (doc.parent / file).resolve() if file else doc
        assert path.exists(), f"{doc.name}: link to a missing file {target}"
        if anchor:
            assert anchor in anchors(path), f"{doc.name}: no heading #{anchor} in {path.name}"


def test_every_page_is_in_the_tour():
    tour = section(README, "A tour")
    for url, default in re.findall(r'url_path="(\w+)"(, default=True)?', read("app.py")):
        assert ("| `/` |" if default else f"`/{url}") in tour, f"the README's tour lacks the page /{url}"
        assert (ROOT / "pages" / f"{url}.py").exists()
    for door in ("`/m/`", "`/api/v1/`", "`/healthz`"):
        assert door in tour


def test_every_command_is_documented(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    names = re.search(r"\{([\w,]+)\}", capsys.readouterr().out).group(1).split(",")
    assert "serve" in names and len(names) >= 10
    table = section(read("docs/operations.md"), "Command line")
    for name in names:
        assert f"| `python -m communes {name}" in table, f"docs/operations.md lacks the command {name}"


def test_every_api_endpoint_and_metric_is_documented():
    doc = read("docs/api.md")
    for name in api.ENDPOINTS:
        assert f"`GET /api/v1/{name}" in doc, f"docs/api.md lacks /api/v1/{name}"
    for name in api.LISTS:
        assert re.search(rf"`GET /api/v1/{name}[^`]*format=csv", doc), f"docs/api.md: {name} answers CSV too"
    # what the ranking accepts, asked of the endpoint itself: a wrong metric is refused with the list
    with pytest.raises(api.ApiError) as refused:
        api.ranking_doc(api.Request({"period": "2025", "metric": "?"}, auth.LOCAL, None, None))
    accepted = refused.value.kw["allowed"].split(", ")
    metrics = re.search(r"`M` one of: ((?:`\w+`,?\s*)+)", doc).group(1)
    assert sorted(re.findall(r"`(\w+)`", metrics)) == sorted(accepted) and len(accepted) >= 5


@pytest.mark.parametrize("doc", [ROOT / "README.md", *DOCS], ids=lambda p: p.name)
def test_every_file_of_the_repository_a_doc_names_exists(doc):
    """A path in backticks under one of the code's folders names a file or folder that exists today."""
    text = doc.read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:communes|queries|pages|tests|bench|scripts|config)/[\w./-]*)`", text))
    missing = sorted(p for p in named if not (ROOT / p.rstrip("/")).exists())
    assert missing == [], f"{doc.name} names files that do not exist: {missing}"
