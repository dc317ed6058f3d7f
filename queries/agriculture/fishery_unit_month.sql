-- Fishery per unit and month: aquaculture and capture output, aquaculture area.
-- Grain: one row per unit of the scope and month whose first day lies in [$start, $end], for the
-- unit-months that have fishery rows; the others are absent (no data, never 0).
-- Parameters: $start, $end (dates), $units (list of unit codes, or null for all).
with months as (
    select cast(m as date) as month
    from range(cast(date_trunc('month', cast($start as date)) as timestamp),
               cast(cast($end as date) as timestamp) + interval 1 day, interval 1 month) as r(m)
    where cast(m as date) >= cast($start as date)
),
final as (
    select
        f.unit_code,
        u.unit_name,
        u.short_name,
        months.month,
        f.aquaculture_tonnes,
        f.capture_tonnes,
        f.aquaculture_tonnes + f.capture_tonnes as fishery_tonnes,
        m.aquaculture_area_ha  -- the month's own area (a stock: never summed over months)
    from months
    cross join lateral (select * from fishery_indicators(months.month, last_day(months.month), $units, true)) as f
    join ref_units as u on u.unit_code = f.unit_code
    left join fishery_unit_month as m on m.unit_code = f.unit_code and m.month = months.month
)
select * from final
order by unit_code, month
