-- Fishery of the chosen units together for a period (the line under each fishery card): aquaculture
-- and capture output (fishery_indicators, as communes.kpi), aquaculture area (aquaculture_area) and
-- output per hectare; the same figures as the scope row of fishery_units, without the units.
-- Grain: one row when the chosen units have fishery rows in the period; none otherwise (no data).
-- Parameters: $start, $end (dates), $units (list of unit codes, or null for all).
with f as (
    select * from fishery_indicators($start, $end, $units, false)
),
a as (
    select * from aquaculture_area($start, $end, $units, false)
),
final as (
    select
        f.aquaculture_tonnes,
        f.capture_tonnes,
        f.aquaculture_tonnes + f.capture_tonnes as fishery_tonnes,
        a.aquaculture_area_ha,
        rate(f.aquaculture_tonnes, a.aquaculture_area_ha) as aquaculture_t_per_ha
    from f
    left join a on true
)
select * from final
