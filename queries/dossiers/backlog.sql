-- Backlog at the end of the period (or at the data's as-of instant while the period runs): dossiers
-- still pending and past their due time, by unit and days overdue (1–3, 4–7, 8–30, > 30).
-- The "pending, overdue" test is Biểu 06's (the macros of 20_indicators.sql that dossiers_pending uses);
-- each unit's buckets add up to its pending_overdue (tests/test_dossiers_views.py). A dossier due earlier
-- on the last day counts as 1 day overdue. It reads dossier_backlog_rows (16_dossier_backlog.sql): the
-- pending and late-completed dossiers, the only ones that can pass these tests; the same conditions
-- over every dossier give the same rows (tests/test_dossier_backlog.py).
-- Grain: one row per unit and bucket with at least one dossier.
-- Parameters: $start, $end (dates), $units (unit codes, or null for all).
with bounds as (
    select cast($start as timestamp) as s, dossier_judged_at($end) as e
),
overdue as (
    select d.unit_code, dossier_days_overdue(d.due_at, b.e) as days_overdue
    from dossier_backlog_rows as d, bounds as b
    where b.s < b.e
      and dossier_pending_at(d.received_at, d.completed_at, b.e)
      and dossier_overdue_at(d.due_at, b.e)
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
