-- Fishery of the chosen units together, month by month (for the trend chart): the sums of
-- fishery_indicators (20_indicators.sql) for each month, as one group-by over the monthly rollup
-- instead of one macro call per month (tests/test_agriculture_fishery.py checks it against those calls).
-- Grain: one row per month whose first day lies in [$start, $end] and that has fishery rows;
-- a month without rows is absent (a gap, not a zero).
-- Parameters: $start, $end (dates), $units (list of unit codes, or null for all).
with sums as (
    select
        month,
        sum(aquaculture_tonnes) as aquaculture_tonnes,
        sum(capture_tonnes) as capture_tonnes
    from fishery_unit_month
    where month between cast($start as date) and cast($end as date)
      and ($units is null or list_contains($units, unit_code))
    group by month
),
final as (
    select
        month,
        aquaculture_tonnes,
        capture_tonnes,
        aquaculture_tonnes + capture_tonnes as fishery_tonnes
    from sums
)
select * from final
order by month
