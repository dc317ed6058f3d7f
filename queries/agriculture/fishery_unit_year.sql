-- Fishery per unit and calendar year: aquaculture and capture output, aquaculture area (mean of
-- the monthly areas) and output per hectare, for every calendar year the period [$start, $end] touches.
-- Grain: one row per unit of the scope and year that has fishery rows; the others are absent.
-- Parameters: $start, $end (dates), $units (list of unit codes, or null for all).
with years as (
    select y as year, make_date(cast(y as integer), 1, 1) as first_day, make_date(cast(y as integer), 12, 31) as last_day
    from range(year(cast($start as date)), year(cast($end as date)) + 1) as r(y)
),
final as (
    select
        f.unit_code,
        u.unit_name,
        u.short_name,
        years.year,
        f.aquaculture_tonnes,
        f.capture_tonnes,
        f.aquaculture_tonnes + f.capture_tonnes as fishery_tonnes,
        a.aquaculture_area_ha,
        rate(f.aquaculture_tonnes, a.aquaculture_area_ha) as aquaculture_t_per_ha
    from years
    cross join lateral (select * from fishery_indicators(years.first_day, years.last_day, $units, true)) as f
    left join lateral (select * from aquaculture_area(years.first_day, years.last_day, $units, true)) as a
        on a.unit_code = f.unit_code
    join ref_units as u on u.unit_code = f.unit_code
)
select * from final
order by unit_code, year
