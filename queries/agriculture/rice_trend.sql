-- Rice of the chosen units together, year by year and season by season (for the season × year chart).
-- Grain: one row per calendar year from year($start) to year($end) and season that has rice rows.
-- Parameters: $start, $end (dates), $units (list of unit codes, or null for all).
with final as (
    select year, season, rice_area_ha, rice_production_tonnes, rice_yield_quintal_per_ha
    from rice_season_indicators($start, $end, $units, false)
)
select * from final
order by year, season
