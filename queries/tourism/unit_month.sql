-- Tourism indicators per unit and month (for the seasonality heat map and the monthly CSV).
-- Grain: one row per unit of the scope and month whose first day lies in [$start, $end], for the
-- unit-months that have tourism rows; the others are absent (no data, never 0).
-- Parameters: $start, $end (dates), $units (list of unit codes, or null for all).
with months as (
    select cast(m as date) as month
    from range(cast(date_trunc('month', cast($start as date)) as timestamp),
               cast(cast($end as date) as timestamp) + interval 1 day, interval 1 month) as r(m)
    where cast(m as date) >= cast($start as date)
),
final as (
    select
        t.unit_code,
        u.unit_name,
        u.short_name,
        months.month,
        t.visitors_domestic,
        t.visitors_international,
        t.visitors,
        t.overnight_guests,
        t.revenue_vnd,
        t.revenue_per_visitor_vnd
    from months
    cross join lateral (select * from tourism_indicators(months.month, last_day(months.month), $units, true)) as t
    join ref_units as u on u.unit_code = t.unit_code
)
select * from final
order by unit_code, month
