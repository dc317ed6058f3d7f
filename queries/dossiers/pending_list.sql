-- One unit's dossiers still pending at the end of the period (or at the data's as-of instant while the
-- period runs), overdue ones first: the rows behind Biểu 06's pending_in_time and pending_overdue, by the
-- rule of dossiers_pending (20_indicators.sql); they add up to the unit's pending and pending_overdue.
-- days_overdue is null for a dossier still within its deadline; one due earlier on the last day is 1.
-- Read by the dossier page's drill-down and the unit profile's backlog.
-- Grain: one row per pending dossier. Parameters: $start, $end (dates), $unit (unit code).
with final as (
    select dossier_id, field, procedure, channel, received_at, due_at, overdue, days_overdue, former_code
    from dossiers_pending($start, $end)
    where unit_code = $unit
)
select * from final order by overdue desc, days_overdue desc nulls last, due_at, dossier_id
