-- Monthly tourism and fishery indicators per unit from $start on, through the macros of
-- 20_indicators.sql: each macro runs once over its rollup keyed by "unit|month" (a CTE named like the
-- rollup is what a table macro reads while it is in scope), which is the macro over each calendar month.
-- Unit-months without rows in either dataset are absent; a unit-month with rows in only one dataset has
-- the other's figures null (no data, not zero).
-- Grain: one row per unit and month with tourism or fishery rows.
-- Parameters: $start (first month), $units (unit codes, or null for all).
with tourism_unit_month as (
    select * replace (unit_code || '|' || cast(month as varchar) as unit_code)
    from main.tourism_unit_month
    where month >= cast($start as date) and ($units is null or list_contains($units, unit_code))
),
fishery_unit_month as (
    select * replace (unit_code || '|' || cast(month as varchar) as unit_code)
    from main.fishery_unit_month
    where month >= cast($start as date) and ($units is null or list_contains($units, unit_code))
),
t as (
    select * from tourism_indicators($start, date '9999-12-31', null, true)
),
f as (
    select * from fishery_indicators($start, date '9999-12-31', null, true)
),
final as (
    select
        split_part(coalesce(t.unit_code, f.unit_code), '|', 1) as unit_code,
        cast(split_part(coalesce(t.unit_code, f.unit_code), '|', 2) as date) as month,
        t.visitors_domestic,
        t.visitors_international,
        t.visitors,
        t.overnight_guests,
        t.revenue_vnd,
        f.aquaculture_tonnes,
        f.capture_tonnes
    from t
    full outer join f on f.unit_code = t.unit_code
)
select * from final order by unit_code, month
