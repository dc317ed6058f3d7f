-- Tourism indicators of the chosen units together, month by month (for the trend chart).
-- Grain: one row per month whose first day lies in [$start, $end] and that has tourism rows;
-- a month without rows is absent (a gap, not a zero).
-- Parameters: $start, $end (dates), $units (list of unit codes, or null for all).
with months as (
    select cast(m as date) as month
    from range(cast(date_trunc('month', cast($start as date)) as timestamp),
               cast(cast($end as date) as timestamp) + interval 1 day, interval 1 month) as r(m)
    where cast(m as date) >= cast($start as date)
),
final as (
    select
        months.month,
        t.visitors_domestic,
        t.visitors_international,
        t.visitors,
        t.overnight_guests,
        t.revenue_vnd,
        t.revenue_per_visitor_vnd
    from months
    cross join lateral (select * from tourism_indicators(months.month, last_day(months.month), $units, false)) as t
)
select * from final
order by month
