"""The README's data dictionary states the contract in force (communes/contract.py): every dataset has
its section, and every column its row with each header it accepts."""
from __future__ import annotations

import re

import pytest

from communes import settings
from communes.contract import DATASETS

README = (settings.ROOT / "README.md").read_text(encoding="utf-8")


def section(name: str) -> str:
    m = re.search(rf"^### `{re.escape(name)}` — .*?$(.*?)(?=^##)", README, flags=re.M | re.S)
    assert m, f"README has no data dictionary section for {name}"
    return m.group(1)


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_every_column_and_alias_is_in_the_readme(name):
    text = section(name)
    for col in DATASETS[name].columns:
        row = next((line for line in text.splitlines() if line.startswith(f"| `{col.name}` |")), None)
        assert row, f"README: {name}.{col.name} has no row"
        headers = row.split(" | ")[1]
        for alias in col.aliases:
            assert alias in headers, f"README: {name}.{col.name} does not list the header «{alias}»"
        assert ("| yes |" in row) == col.required, f"README: {name}.{col.name} required should be {col.required}"
