-- Monthly tourism and fishery indicators per unit from $start on, read from the build-time rollup
-- sector_unit_month (queries/build/33_profile.sql: the macros of 20_indicators.sql over each month).
-- Unit-months without rows in either dataset are absent; a unit-month with rows in only one dataset has
-- the other's figures null (no data, not zero).
-- Grain: one row per unit and month with tourism or fishery rows.
-- Parameters: $start (first month), $units (unit codes, or null for all).
with final as (
    select
        unit_code,
        month,
        visitors_domestic,
        visitors_international,
        visitors,
        overnight_guests,
        revenue_vnd,
        aquaculture_tonnes,
        capture_tonnes
    from sector_unit_month
    where month >= cast($start as date)
      and ($units is null or list_contains($units, unit_code))
)
select * from final order by unit_code, month
