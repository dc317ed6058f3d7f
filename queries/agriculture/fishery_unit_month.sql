-- Fishery per unit and month: aquaculture and capture output, aquaculture area.
-- Read straight from the monthly rollup fishery_unit_month (10_rollups.sql), which already has one row
-- per unit and month: fishery_indicators over one month is that row's own figures (a sum of one value),
-- so no macro is called per month (tests/test_agriculture_fishery.py checks it against those calls).
-- Grain: one row per unit of the scope and month whose first day lies in [$start, $end], for the
-- unit-months that have fishery rows; the others are absent (no data, never 0).
-- Parameters: $start, $end (dates), $units (list of unit codes, or null for all).
with final as (
    select
        m.unit_code,
        u.unit_name,
        u.short_name,
        m.month,
        m.aquaculture_tonnes,
        m.capture_tonnes,
        m.aquaculture_tonnes + m.capture_tonnes as fishery_tonnes,
        m.aquaculture_area_ha  -- the month's own area (a stock: never summed over months)
    from fishery_unit_month as m
    join ref_units as u on u.unit_code = m.unit_code
    where m.month between cast($start as date) and cast($end as date)
      and ($units is null or list_contains($units, m.unit_code))
)
select * from final
order by unit_code, month
