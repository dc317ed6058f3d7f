"""Every named query runs on the fixture database; parameters are checked when files load."""
from __future__ import annotations

import re
from datetime import date

import pytest

from communes import queries, settings

SAMPLE_VALUES = {"start": date(2025, 7, 1), "end": date(2025, 9, 30), "units": None, "by_unit": True,
                 "unit": "19873", "metric": "on_time_rate", "months": 12,
                 "cmp_start": date(2025, 4, 1), "cmp_end": date(2025, 6, 30), "other_start": date(2024, 7, 1),
                 "other_end": date(2024, 9, 30), "as_of": date(2025, 8, 5), "m_start": date(2025, 4, 1),
                 "m_end": date(2025, 6, 30), "until": date(2025, 8, 7)}


@pytest.mark.parametrize("name", sorted(queries.QUERIES))
def test_every_query_runs_on_fixtures(name, make_exports, build_db):
    con = build_db(make_exports())
    q = queries.QUERIES[name]
    missing = q.params - set(SAMPLE_VALUES)
    assert not missing, f"add sample values for {missing} to this test"
    df = queries.run(name, con=con, **{k: SAMPLE_VALUES[k] for k in q.params})
    assert df is not None


@pytest.mark.parametrize("name", sorted(queries.QUERIES))
def test_every_query_file_has_a_header(name):
    text = queries.QUERIES[name].path.read_text(encoding="utf-8")
    head = text.lstrip().splitlines()[0]
    assert head.startswith("--"), f"{name}: open with a comment giving purpose, grain and parameters"
    assert re.search(r"grain", text, re.I), f"{name}: state the grain"


def test_wrong_parameter_names_fail_with_the_file_name(make_exports, build_db):
    con = build_db(make_exports())
    with pytest.raises(queries.QueryError, match="dossiers.sql"):
        queries.run("kpi/dossiers", con=con, start=date(2025, 7, 1), ends=date(2025, 7, 31), units=None, by_unit=False)


def test_no_sql_is_formatted_with_values():
    for q in queries.QUERIES.values():
        assert "{" not in q.sql, f"{q.name}: use $parameters, not formatting"


def test_every_setting_is_documented():
    doc = (settings.ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    for s in settings.SETTINGS.values():
        assert f"| `{s.env}` |" in doc, f"docs/operations.md has no row for {s.env}"
        assert s.help in doc, f"docs/operations.md does not give the meaning of {s.env}"


def test_no_page_holds_sql():
    for page in (settings.ROOT / "pages").glob("*.py"):
        text = page.read_text(encoding="utf-8").lower()
        assert not re.search(r"\bselect\b.+\bfrom\b", text), f"{page.name} holds SQL"
