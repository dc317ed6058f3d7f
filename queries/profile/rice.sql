-- One unit's rice (crop "Lúa") by calendar year and season, read from the build-time rollup rice_unit_year
-- (queries/build/33_profile.sql: rice_indicators per year and season; the yield is production × 10 /
-- area over the rows summed). Years before the merger sum the former communes (official lineage).
-- Grain: one row per year and season with rows, plus one per year with a null season (the whole year).
-- Parameters: $unit (unit code).
with final as (
    select year, season, rice_area_ha, rice_production_tonnes, rice_yield_quintal_per_ha
    from rice_unit_year
    where unit_code = $unit
)
select * from final order by year, season nulls last
