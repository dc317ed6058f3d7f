-- Rice of the chosen units together, year by year and season by season (for the season × year chart):
-- rice_season_indicators of each calendar year, as one group-by over the yearly rows (the same rows,
-- summed the same way; tests/test_agriculture_page.py compares it with the macro year by year).
-- Grain: one row per calendar year from year($start) to year($end) and season that has rice rows.
-- Parameters: $start, $end (dates), $units (list of unit codes, or null for all).
with final as (
    select
        year,
        season,
        sum(area_ha) as rice_area_ha,
        sum(production_tonnes) as rice_production_tonnes,
        rice_yield(sum(production_tonnes), sum(area_ha)) as rice_yield_quintal_per_ha
    from agriculture_unit_season
    where crop = 'Lúa'
      and year between year(cast($start as date)) and year(cast($end as date))
      and ($units is null or list_contains($units, unit_code))
    group by year, season
)
select * from final
order by year, season
