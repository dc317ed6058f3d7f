-- Fishery of every unit of the scope for a period, and of the scope together (the KPI cards):
-- aquaculture and capture output (fishery_indicators, as communes.kpi), aquaculture area (mean
-- monthly area, see aquaculture_area), output per hectare, share of the city's total output.
-- Grain: one row per current unit of the scope, then one row for the scope (unit_code null) when it
-- has fishery rows; a unit without fishery rows has null figures (no data, never 0: mountain units).
-- Parameters: $start, $end (dates), $units (list of unit codes, or null for all).
with per_unit as (
    select * from fishery_indicators($start, $end, $units, true)
),
area as (
    select * from aquaculture_area($start, $end, $units, true)
),
city as (
    select * from fishery_indicators($start, $end, null, false)
),
scope as (
    select * from fishery_indicators($start, $end, $units, false)
),
scope_area as (
    select * from aquaculture_area($start, $end, $units, false)
),
units as (
    select
        u.unit_code,
        u.unit_name,
        u.short_name,
        u.unit_type,
        p.aquaculture_tonnes,
        p.capture_tonnes,
        p.aquaculture_tonnes + p.capture_tonnes as fishery_tonnes,
        a.aquaculture_area_ha,
        rate(p.aquaculture_tonnes, a.aquaculture_area_ha) as aquaculture_t_per_ha,
        rate(p.aquaculture_tonnes + p.capture_tonnes, c.aquaculture_tonnes + c.capture_tonnes) as fishery_share
    from ref_units as u
    left join per_unit as p using (unit_code)
    left join area as a using (unit_code)
    left join city as c on true
    where $units is null or list_contains($units, u.unit_code)
),
total as (
    select
        cast(null as varchar) as unit_code,
        cast(null as varchar) as unit_name,
        cast(null as varchar) as short_name,
        cast(null as varchar) as unit_type,
        s.aquaculture_tonnes,
        s.capture_tonnes,
        s.aquaculture_tonnes + s.capture_tonnes as fishery_tonnes,
        a.aquaculture_area_ha,
        rate(s.aquaculture_tonnes, a.aquaculture_area_ha) as aquaculture_t_per_ha,
        rate(s.aquaculture_tonnes + s.capture_tonnes, c.aquaculture_tonnes + c.capture_tonnes) as fishery_share
    from scope as s
    left join scope_area as a on true
    left join city as c on true
),
final as (
    select * from units
    union all
    select * from total
)
select * from final
order by unit_code nulls last
