-- Monthly tourism and fishery indicators per unit from $start on, through the macros of
-- 20_indicators.sql (one calendar month each). Unit-months without rows in either dataset are absent;
-- a unit-month with rows in only one dataset has the other's figures null (no data, not zero).
-- Grain: one row per unit and month with tourism or fishery rows.
-- Parameters: $start (first month), $units (unit codes, or null for all).
with span as (
    select
        least(
            coalesce((select min(month) from tourism_unit_month), date '9999-12-01'),
            coalesce((select min(month) from fishery_unit_month), date '9999-12-01')) as first_month,
        greatest(
            coalesce((select max(month) from tourism_unit_month), date '0001-01-01'),
            coalesce((select max(month) from fishery_unit_month), date '0001-01-01')) as last_month
),
months as (
    select cast(m as date) as month
    from span, range(cast(greatest(span.first_month, date_trunc('month', cast($start as date))) as timestamp),
                     cast(span.last_month as timestamp) + interval 1 day, interval 1 month) as r(m)
),
t as (
    select months.month, x.*
    from months, lateral (select * from tourism_indicators(months.month, last_day(months.month), $units, true)) as x
),
f as (
    select months.month, x.*
    from months, lateral (select * from fishery_indicators(months.month, last_day(months.month), $units, true)) as x
),
final as (
    select
        coalesce(t.unit_code, f.unit_code) as unit_code,
        coalesce(t.month, f.month) as month,
        t.visitors_domestic,
        t.visitors_international,
        t.visitors,
        t.overnight_guests,
        t.revenue_vnd,
        f.aquaculture_tonnes,
        f.capture_tonnes
    from t
    full outer join f on f.unit_code = t.unit_code and f.month = t.month
)
select * from final order by unit_code, month
