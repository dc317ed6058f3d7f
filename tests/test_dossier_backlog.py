"""dossiers/backlog reads dossier_backlog_rows (queries/build/16_dossier_backlog.sql), the pending and
late-completed dossiers only. These tests run the query's former text, which applied the same conditions
to every dossier, beside the page query: on hand-made edge cases (expected buckets worked out inline) and
on 1,500 generated dossiers for many periods and scopes.
"""
from __future__ import annotations

from datetime import date, datetime

import duckdb
import pandas as pd
import pytest

from communes import db, groups, periods, queries, refdata, settings
from communes.contract import DATASETS

PQ, DD = "19873", "19885"  # Phong Quảng, Đan Điền

# The query as it was before dossier_backlog_rows existed: every dossier row, the same conditions.
OLD_BACKLOG = """
with bounds as (
    select
        least(cast($end as timestamp) + interval 1 day,
              cast(cast(dossier_as_of() as date) as timestamp) + interval 1 day) as e,
        cast($start as timestamp) as s
),
overdue as (
    select
        d.unit_code,
        greatest(1, date_diff('day', cast(d.due_at as date), cast(b.e - interval 1 day as date))) as days_overdue
    from dossiers as d, bounds as b
    where b.s < b.e
      and d.received_at < b.e
      and (d.completed_at is null or d.completed_at >= b.e)
      and d.due_at < b.e - interval 1 microsecond
      and ($units is null or list_contains($units, d.unit_code))
),
final as (
    select
        unit_code,
        case
            when days_overdue <= 3 then '1-3'
            when days_overdue <= 7 then '4-7'
            when days_overdue <= 30 then '8-30'
            else '>30'
        end as bucket,
        count(*) as dossiers
    from overdue
    group by all
)
select * from final order by unit_code, bucket
"""


def eod(y, m, d):
    """A date-only due date as the reader stores it: the end of that day."""
    return datetime(y, m, d, 23, 59, 59, 999999)


# (id, unit, received_at, due_at, completed_at)
EDGE = [
    ("A1", PQ, datetime(2025, 7, 20, 8), eod(2025, 7, 31), None),  # due the period's last day (no time)
    ("A2", PQ, datetime(2025, 7, 28, 9), datetime(2025, 7, 31, 10), None),  # due earlier on the last day
    ("A3", PQ, datetime(2025, 7, 25), datetime(2025, 8, 3, 12), datetime(2025, 8, 3, 12)),  # done exactly at due time
    ("A4", PQ, datetime(2025, 7, 1), eod(2025, 7, 25), datetime(2025, 7, 31, 15)),  # late, done on July's last day
    ("A5", PQ, datetime(2025, 7, 5), eod(2025, 7, 10), datetime(2025, 8, 1)),  # late, done at the instant e of July
    ("A6", PQ, datetime(2025, 7, 2), None, None),  # pending with no due date
    ("A7", PQ, datetime(2025, 6, 1), eod(2025, 6, 5), None),  # pending for months
    ("A8", PQ, datetime(2025, 6, 20), eod(2025, 6, 28), datetime(2025, 7, 20, 10)),  # late across June's end
    ("A9", DD, datetime(2025, 7, 10), eod(2025, 7, 29), None),
    ("A10", DD, datetime(2025, 9, 15, 8), eod(2025, 9, 20), datetime(2025, 9, 16, 10)),  # on time; the as-of instant
    ("A11", DD, datetime(2025, 8, 1, 8), eod(2025, 8, 2), None),  # received after July
    ("A12", PQ, datetime(2025, 7, 15), eod(2025, 7, 20), datetime(2025, 7, 19)),  # early
]


def build_in_memory(rows) -> duckdb.DuckDBPyConnection:
    """Every build statement of queries/build/ over a dossiers table written directly (so a row the
    reader would refuse, such as an empty due date, can be tried too); the other datasets empty."""
    con = duckdb.connect()
    for name in DATASETS:
        db._empty_staging(con, name)
        con.execute(f"alter table stg_{name} rename to {name}")
    con.executemany("insert into dossiers (dossier_id, unit_code, field, channel, digitized, received_at, due_at, "
                    "completed_at) values (?, ?, 'Hộ tịch', 'online', true, ?, ?, ?)", [list(r) for r in rows])
    db._reference_tables(con, refdata.load(settings.get("province")))
    for sql in sorted(db.BUILD_SQL.glob("*.sql")):
        con.execute(sql.read_text(encoding="utf-8"))
    return con


def both(con, start, end, units=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    params = {"start": start, "end": end, "units": units}
    return (con.execute(OLD_BACKLOG, params).df(),
            queries.run("dossiers/backlog", con=con, **params))


def rows(df) -> list[tuple]:
    return [(u, b, int(n)) for u, b, n in df[["unit_code", "bucket", "dossiers"]].itertuples(index=False)]


@pytest.fixture(scope="module")
def edge_con():
    return build_in_memory(EDGE)


def test_the_table_holds_pending_and_late_dossiers_only(edge_con):
    got = edge_con.execute("select unit_code, received_at from dossier_backlog_rows").fetchall()
    ids = sorted(r[0] for r in EDGE if (r[1], r[2]) in set(got))
    # not A3 (done exactly at its due time), A10 (on time) nor A12 (early); A6 (no due date) is pending
    assert ids == sorted(["A1", "A2", "A4", "A5", "A6", "A7", "A8", "A9", "A11"])
    assert len(got) == 9


@pytest.mark.parametrize("start,end,units,expected", [
    # July, judged at 31/07 24:00: A2 due 31/07 10:00 → 1 day; A5 done 01/08 00:00 is still open at that
    # instant, due 10/07 → 21 days; A7 due 05/06 → 56 days; A9 due 29/07 → 2 days. A1 (due at the very end
    # of 31/07), A4 (done 31/07 15:00), A3 (in time), A6 (no due date), A8, A12 (done): not overdue.
    (date(2025, 7, 1), date(2025, 7, 31), None, [(PQ, "1-3", 1), (PQ, "8-30", 1), (PQ, ">30", 1), (DD, "1-3", 1)]),
    (date(2025, 7, 1), date(2025, 7, 31), [DD], [(DD, "1-3", 1)]),
    # 1–30 July, judged at 30/07 24:00: A4 (done 31/07 15:00, due 25/07) → 5 days; A5 → 20; A7 → 55;
    # A9 due 29/07 → 1; A2 not yet due.
    (date(2025, 7, 1), date(2025, 7, 30), None, [(PQ, "4-7", 1), (PQ, "8-30", 1), (PQ, ">30", 1), (DD, "1-3", 1)]),
    # June: A7 → 25 days, A8 (done 20/07) due 28/06 → 2 days.
    (date(2025, 6, 1), date(2025, 6, 30), None, [(PQ, "1-3", 1), (PQ, "8-30", 1)]),
    # August: A1, A2 (due 31/07) → 31 days, A7 → 87; A9 → 33, A11 due 02/08 → 29.
    (date(2025, 8, 1), date(2025, 8, 31), None, [(PQ, ">30", 3), (DD, "8-30", 1), (DD, ">30", 1)]),
    # September is still running: judged at the as-of day 16/09 (A10 done 16/09 10:00), A11 → 45 days.
    (date(2025, 9, 1), date(2025, 9, 30), None, [(PQ, ">30", 3), (DD, ">30", 2)]),
    # October starts after the as-of day: no backlog at all.
    (date(2025, 10, 1), date(2025, 10, 31), None, []),
])
def test_edge_cases_by_hand_and_against_the_old_query(edge_con, start, end, units, expected):
    old, new = both(edge_con, start, end, units)
    assert rows(new) == expected
    pd.testing.assert_frame_equal(new, old)


def test_same_as_the_old_query_on_generated_dossiers(tmp_path):
    from tests.conftest import DOSSIER_HEADER, write_csv
    from tests.test_dossiers_views import generated_dossiers
    write_csv(tmp_path / "dossiers.csv", DOSSIER_HEADER, generated_dossiers())
    con = queries.connection(db.build(tmp_path, tmp_path / "db").path)
    ref = refdata.load(settings.get("province"))
    codes = [f"2024-{m:02d}" for m in (11, 12)] + [f"2025-{m:02d}" for m in range(1, 13)] + [
        "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2024", "2025", "2025-03-10..2025-08-20", "2025-10-15..2025-10-31"]
    total = 0
    for code in codes:
        p = periods.parse(code)
        for units in (None, [PQ], [PQ, DD], groups.scope_units(ref, "xa")):
            old, new = both(con, p.start, p.end, units)
            pd.testing.assert_frame_equal(new, old)
            total += int(new["dossiers"].sum())
    assert total > 500  # the comparison covered many overdue dossiers, not empty results
