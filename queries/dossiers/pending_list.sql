-- One unit's dossiers still pending at the end of the period (or at the data's as-of instant while the
-- period runs), overdue ones first: the rows behind Biểu 06's pending_in_time and pending_overdue.
-- days_overdue is null for a dossier still within its deadline; one due earlier on the last day is 1.
-- Grain: one row per pending dossier. Parameters: $start, $end (dates), $unit (unit code).
with bounds as (
    select
        least(cast($end as timestamp) + interval 1 day,
              cast(cast(dossier_as_of() as date) as timestamp) + interval 1 day) as e,
        cast($start as timestamp) as s
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
        due_at < e - interval 1 microsecond as overdue,
        case when due_at < e - interval 1 microsecond
             then greatest(1, date_diff('day', cast(due_at as date), cast(e - interval 1 day as date))) end
            as days_overdue,
        former_code
    from pending
)
select * from final order by overdue desc, days_overdue desc nulls last, due_at, dossier_id
