"""The merger day is written once in Python (``communes.periods.MERGER``) and once in SQL (the macro
``merger_date()`` of queries/build/00_merger.sql); they agree, and no other SQL text writes the day or the
12 months before it."""
from __future__ import annotations

import re
from datetime import date

import duckdb

from communes import db, periods, readers, settings

MERGER_SQL = db.BUILD_SQL / "00_merger.sql"


def test_the_sql_macro_is_the_python_constant():
    con = duckdb.connect()
    con.execute(MERGER_SQL.read_text(encoding="utf-8"))
    assert con.execute("select merger_date()").fetchone()[0] == periods.MERGER == date(2025, 7, 1)
    before = con.execute("select cast(merger_date() - interval 12 month as date), "
                         "cast(merger_date() - interval 1 day as date)").fetchone()
    assert before == (date(2024, 7, 1), date(2025, 6, 30))  # the 12 months before, as the build reads them
    assert readers._MERGER == "date '2025-07-01'"  # the readers' SQL text, from the constant


def test_no_other_sql_writes_the_day():
    days = re.compile(r"'(2025-07-01|2024-07-01|2025-06-30)'")
    found = [p.relative_to(settings.ROOT).as_posix() for p in sorted((settings.ROOT / "queries").rglob("*.sql"))
             if p != MERGER_SQL and days.search(p.read_text(encoding="utf-8"))]
    found += [p.relative_to(settings.ROOT).as_posix() for p in (settings.ROOT / "communes" / "readers.py",)
              if days.search(p.read_text(encoding="utf-8"))]
    assert found == []
