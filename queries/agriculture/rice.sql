-- Rice (crop "Lúa") for the calendar years a period touches and for the same period a year earlier:
-- every unit of the scope that has rice and the whole city, all seasons together (rice_indicators)
-- and season by season (rice_season_indicators), and the scope together (all seasons: the cards),
-- with each unit's share of the city's production of the same season(s).
-- Grain: one row per period ('now', 'last_year') × level ('unit', 'scope', 'city') × unit × season
-- that has rice rows; season null means all seasons together. Units without rice have no row (the
-- page lists them as growing none, never as zeros).
-- Parameters: $start, $end (dates), $units (list of unit codes, or null for all).
with rows as (
    select 'now' as period, 'unit' as level, unit_code, cast(null as varchar) as season,
           rice_area_ha, rice_production_tonnes, rice_yield_quintal_per_ha
    from rice_indicators($start, $end, $units, true)
    union all
    select 'now', 'unit', unit_code, season, rice_area_ha, rice_production_tonnes, rice_yield_quintal_per_ha
    from rice_season_indicators($start, $end, $units, true)
    union all
    select 'now', 'scope', null, null, rice_area_ha, rice_production_tonnes, rice_yield_quintal_per_ha
    from rice_indicators($start, $end, $units, false)
    union all
    select 'now', 'city', null, null, rice_area_ha, rice_production_tonnes, rice_yield_quintal_per_ha
    from rice_indicators($start, $end, null, false)
    union all
    select 'now', 'city', null, season, rice_area_ha, rice_production_tonnes, rice_yield_quintal_per_ha
    from rice_season_indicators($start, $end, null, false)
    -- the same period a year earlier (communes.periods.Period.last_year: the dates one year back)
    union all
    select 'last_year', 'unit', unit_code, null, rice_area_ha, rice_production_tonnes, rice_yield_quintal_per_ha
    from rice_indicators(cast($start as date) - interval 1 year, cast($end as date) - interval 1 year, $units, true)
    union all
    select 'last_year', 'unit', unit_code, season, rice_area_ha, rice_production_tonnes, rice_yield_quintal_per_ha
    from rice_season_indicators(cast($start as date) - interval 1 year, cast($end as date) - interval 1 year, $units, true)
    union all
    select 'last_year', 'scope', null, null, rice_area_ha, rice_production_tonnes, rice_yield_quintal_per_ha
    from rice_indicators(cast($start as date) - interval 1 year, cast($end as date) - interval 1 year, $units, false)
    union all
    select 'last_year', 'city', null, null, rice_area_ha, rice_production_tonnes, rice_yield_quintal_per_ha
    from rice_indicators(cast($start as date) - interval 1 year, cast($end as date) - interval 1 year, null, false)
    union all
    select 'last_year', 'city', null, season, rice_area_ha, rice_production_tonnes, rice_yield_quintal_per_ha
    from rice_season_indicators(cast($start as date) - interval 1 year, cast($end as date) - interval 1 year, null, false)
),
final as (
    select
        r.*,
        rate(r.rice_production_tonnes, c.rice_production_tonnes) as production_share
    from rows as r
    left join rows as c
        on c.level = 'city' and c.period = r.period and c.season is not distinct from r.season
)
select * from final
order by period, level, unit_code, season nulls first
