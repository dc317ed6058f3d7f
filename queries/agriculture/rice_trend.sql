-- Rice of the chosen units together, year by year and season by season (for the season × year chart).
-- Grain: one row per calendar year from year($start) to year($end) and season that has rice rows.
-- Parameters: $start, $end (dates), $units (list of unit codes, or null for all).
with years as (
    select y as year
    from range(year(cast($start as date)), year(cast($end as date)) + 1) as r(y)
),
final as (
    select
        years.year,
        s.season,
        s.rice_area_ha,
        s.rice_production_tonnes,
        s.rice_yield_quintal_per_ha
    from years
    cross join lateral (
        select * from rice_season_indicators(make_date(cast(years.year as integer), 1, 1),
                                             make_date(cast(years.year as integer), 12, 31), $units, false)
    ) as s
)
select * from final
order by year, season
