"""The data dictionary (docs/data-dictionary.md) states the contract in force (communes/contract.py): every
dataset has its section, and every column its row with each header it accepts and whether it is required."""
from __future__ import annotations

import re

import pytest

from communes import settings
from communes.contract import DATASETS

DOC = (settings.ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")


def section(name: str) -> str:
    m = re.search(rf"^## `{re.escape(name)}` — .*?$(.*?)(?=^## |\Z)", DOC, flags=re.M | re.S)
    assert m, f"docs/data-dictionary.md has no section for {name}"
    return m.group(1)


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_every_column_and_alias_is_in_the_dictionary(name):
    text = section(name)
    for col in DATASETS[name].columns:
        row = next((line for line in text.splitlines() if line.startswith(f"| `{col.name}` |")), None)
        assert row, f"data dictionary: {name}.{col.name} has no row"
        headers = row.split(" | ")[1]
        for alias in col.aliases:
            assert alias in headers, f"data dictionary: {name}.{col.name} does not list the header «{alias}»"
        assert ("| yes |" in row) == col.required, f"data dictionary: {name}.{col.name} required should be {col.required}"
