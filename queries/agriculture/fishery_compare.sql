-- Fishery of a comparison period: each unit's total output (for the change column) and the scope's
-- totals (for the card deltas), lighter than fishery_units (no city share, no unit areas).
-- Grain: one row per unit of the scope that has fishery rows, then one row for the scope
-- (unit_code null) when it has any; none otherwise (no data).
-- Parameters: $start, $end (dates), $units (list of unit codes, or null for all).
with per_unit as (
    select * from fishery_indicators($start, $end, $units, true)
),
scope as (
    select * from fishery_indicators($start, $end, $units, false)
),
scope_area as (
    select * from aquaculture_area($start, $end, $units, false)
),
final as (
    select
        unit_code,
        aquaculture_tonnes,
        capture_tonnes,
        aquaculture_tonnes + capture_tonnes as fishery_tonnes,
        cast(null as double) as aquaculture_area_ha,
        cast(null as double) as aquaculture_t_per_ha
    from per_unit
    union all
    select
        cast(null as varchar),
        s.aquaculture_tonnes,
        s.capture_tonnes,
        s.aquaculture_tonnes + s.capture_tonnes,
        a.aquaculture_area_ha,
        rate(s.aquaculture_tonnes, a.aquaculture_area_ha)
    from scope as s
    left join scope_area as a on true
)
select * from final
order by unit_code nulls last
