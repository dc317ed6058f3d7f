-- One unit's dossiers still pending at the end of the period (or at the data's as-of day while the
-- period runs), overdue ones first with their days overdue. "Pending" and "overdue" are Biểu 06's tests
-- in dossier_counts (20_indicators.sql): received before the instant e, not completed before it, and
-- due before it; the rows add up to the unit's pending and pending_overdue (tests/test_profile.py).
-- A dossier due earlier on the last day is 1 day overdue.
-- Grain: one row per pending dossier. Parameters: $start, $end (dates), $unit (unit code).
with bounds as (
    select
        cast($start as timestamp) as s,
        least(cast($end as timestamp) + interval 1 day,
              cast(cast(dossier_as_of() as date) as timestamp) + interval 1 day) as e
),
pending as (
    select d.*, b.e
    from dossiers as d, bounds as b
    where b.s < b.e
      and d.unit_code = $unit
      and d.received_at < b.e
      and (d.completed_at is null or d.completed_at >= b.e)
),
final as (
    select
        dossier_id,
        field,
        procedure,
        channel,
        received_at,
        due_at,
        former_code,
        due_at < e - interval 1 microsecond as overdue,
        case when due_at < e - interval 1 microsecond
             then greatest(1, date_diff('day', cast(due_at as date), cast(e - interval 1 day as date))) end
            as days_overdue
    from pending
)
select * from final order by overdue desc, days_overdue desc nulls last, due_at, dossier_id
