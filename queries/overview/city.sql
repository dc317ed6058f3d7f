-- Tourism, rice and fishery indicators of a set of units together (the non-dossier part of
-- communes.kpi.compute in one query instead of three; the same macros, so the same numbers).
-- Grain: one row (every column null when a dataset has no row for the units and period).
-- Parameters: $start, $end (dates), $units (unit codes, or null for all).
with t as (select * exclude (unit_code) from tourism_indicators($start, $end, $units, false)),
r as (select * exclude (unit_code) from rice_indicators($start, $end, $units, false)),
f as (select * exclude (unit_code) from fishery_indicators($start, $end, $units, false)),
final as (
    select t.*, r.*, f.*
    from (select 1) as one
    left join t on true
    left join r on true
    left join f on true
)
select * from final
