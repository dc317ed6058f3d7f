"""The tables of docs/ written from code (``python -m communes.docs_gen``) are current: the data dictionary
from ``communes/contract.py``, the settings from ``communes/settings.py``, the targets and peer groups from
``config/``. Regenerate after changing one of them::

    python -m communes.docs_gen
"""
from __future__ import annotations

import dataclasses

import pytest

from communes import contract, docs_gen, settings

ROOT = settings.ROOT


def read(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", docs_gen.FILES)
def test_the_generated_tables_are_current(name):
    text = read(name)
    assert docs_gen.render(text) == text, f"{name} is stale: run python -m communes.docs_gen"


def test_every_block_is_in_a_file():
    found = [b for f in docs_gen.FILES for b in docs_gen.blocks_in(read(f))]
    assert sorted(found) == sorted(docs_gen.BLOCKS), "each generated block appears exactly once in docs/"
    assert {f"dataset {d}" for d in contract.DATASETS} <= set(docs_gen.blocks_in(read("docs/data-dictionary.md")))


def test_the_check_command_agrees():
    assert docs_gen.main(["--check"]) == 0
    assert docs_gen.main(["--bogus"]) == 2


def test_a_changed_contract_makes_the_file_stale(monkeypatch):
    """Adding a header to the contract changes the dictionary: the staleness test would then fail."""
    ds = contract.DATASETS["tourism"]
    cols = tuple(dataclasses.replace(c, aliases=(*c.aliases, "Tổng lượt khách nội địa"))
                 if c.name == "visitors_domestic" else c for c in ds.columns)
    monkeypatch.setitem(contract.DATASETS, "tourism", dataclasses.replace(ds, columns=cols))
    monkeypatch.setitem(docs_gen.BLOCKS, "dataset tourism",
                        lambda: docs_gen.dataset_table(contract.DATASETS["tourism"]))
    text = read("docs/data-dictionary.md")
    new = docs_gen.render(text)
    assert new != text
    assert "| `visitors_domestic` | Khách nội địa, Lượt khách nội địa, Tổng lượt khách nội địa |" in new


def test_a_hand_edit_inside_a_block_is_undone():
    text = read("docs/operations.md")
    edited = text.replace("| `COMMUNES_UPLOAD_MAX_MB` | `250` |", "| `COMMUNES_UPLOAD_MAX_MB` | `500` |")
    assert edited != text
    assert docs_gen.render(edited) == text


def test_a_column_row_says_what_the_contract_says():
    table = docs_gen.dataset_table(contract.DATASETS["dossiers"])
    due = next(line for line in table.splitlines() if line.startswith("| `due_at` |"))
    assert due.split(" | ")[1:] == [
        "Ngày hẹn trả, Hạn xử lý, NgayHenTra",
        "date, optionally with a time",
        "from `COMMUNES_DATE_MIN`; may lie ahead, at most `COMMUNES_DUE_MAX_MONTHS` months after `received_at`; "
        "not before `received_at`",
        "yes",
        "promised completion (date only: end of that day) |",
    ]
    revenue = next(line for line in docs_gen.dataset_table(contract.DATASETS["tourism"]).splitlines()
                   if line.startswith("| `revenue_vnd` |"))
    assert "«Doanh thu (triệu đồng)» × 1,000,000; «Doanh thu (tỷ đồng)» × 1,000,000,000" in revenue


def test_settings_table_anchors_paths_at_the_repository():
    rows = docs_gen.settings_table().splitlines()
    assert "| `COMMUNES_DB_DIR` | `var/db` | Folder holding the DuckDB database versions (ignored by git). |" in rows
    assert any(r.startswith("| `COMMUNES_DATES_UNTIL` | (empty) |") for r in rows)
    assert len(rows) == 2 + len(settings.SETTINGS)


def test_an_unknown_block_is_refused():
    with pytest.raises(KeyError, match="nowhere"):
        docs_gen.render("<!-- generated: nowhere (python -m communes.docs_gen) -->\nx\n<!-- end generated -->")
