-- Fishery of the chosen units together, month by month (for the trend chart).
-- Grain: one row per month whose first day lies in [$start, $end] and that has fishery rows;
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
        f.aquaculture_tonnes,
        f.capture_tonnes,
        f.aquaculture_tonnes + f.capture_tonnes as fishery_tonnes
    from months
    cross join lateral (select * from fishery_indicators(months.month, last_day(months.month), $units, false)) as f
)
select * from final
order by month
