"""The daily rollup gives exactly what the contract's definitions give on raw dossier rows.

``RAW`` below restates Biểu 06 directly over the dossier rows, as an independent oracle;
the product itself reads the rollup (queries/build/15_dossier_days.sql).
"""
from __future__ import annotations

import pytest

from communes import periods

RAW = """
with b as (
    select cast(? as timestamp) as s,
           least(cast(? as timestamp) + interval 1 day,
                 cast(cast(dossier_as_of() as date) as timestamp) + interval 1 day) as e
),
live as (
    select d.*, b.s, b.e, d.received_at >= b.s as is_new, d.completed_at is not null and d.completed_at < b.e as done
    from dossiers d, b
    where d.received_at < b.e and (d.completed_at is null or d.completed_at >= b.s) and b.s < b.e
)
select unit_code,
    count(*) filter (where is_new and channel = 'online') as new_online,
    count(*) filter (where is_new and channel = 'direct') as new_direct,
    count(*) filter (where is_new and channel = 'postal') as new_postal,
    count(*) filter (where not is_new) as carried_over,
    count(*) as received,
    count(*) filter (where done and cast(completed_at as date) < cast(due_at as date)) as resolved_early,
    count(*) filter (where done and cast(completed_at as date) >= cast(due_at as date) and completed_at <= due_at)
        as resolved_on_time,
    count(*) filter (where done and completed_at > due_at) as resolved_late,
    count(*) filter (where done) as resolved,
    count(*) filter (where not done and due_at >= e - interval 1 microsecond) as pending_in_time,
    count(*) filter (where not done and due_at < e - interval 1 microsecond) as pending_overdue,
    count(*) filter (where not done) as pending,
    count(*) filter (where is_new and digitized) as new_digitized,
    count(*) filter (where done and rating is not null) as resolved_rated,
    count(*) filter (where done and rating = 'Hài lòng') as resolved_satisfied,
    count(*) filter (where done and rating = 'Không hài lòng') as resolved_unsatisfied
from live group by unit_code order by unit_code
"""

PERIODS = ["2025-06", "2025-07", "2025-08", "2025-Q3", "2025", "2025-06-15..2025-07-15", "2025-07-03..2025-07-03",
           "2025-07-31..2025-08-05", "2025-10"]


def compare(con, code: str) -> None:
    p = periods.parse(code)
    raw = con.execute(RAW, [p.start, p.end]).df()
    rolled = con.execute("select * exclude (unit_code), unit_code from dossier_counts(?, ?) order by unit_code",
                         [p.start, p.end]).df()[raw.columns]
    assert raw.astype("int64").equals(rolled.astype("int64").reset_index(drop=True)) if len(raw) else len(rolled) == 0, code


@pytest.mark.parametrize("code", PERIODS)
def test_rollup_equals_raw_definitions_on_fixtures(make_exports, build_db, code):
    compare(build_db(make_exports()), code)


@pytest.mark.parametrize("code", ["2024-02", "2025-Q2", "2025-Q3", "2025-07-01..2025-10-31", "2026", "2026-10",
                                  "2024-12-30..2025-01-02"])
def test_rollup_equals_raw_definitions_on_the_sample(sample_con, code):
    compare(sample_con, code)
