-- Rice (crop "Lúa") for the calendar years a period touches and for the same seasons a year earlier:
-- every unit of the scope that has rice and the whole city, all seasons together (rice_indicators)
-- and season by season (the seasons of rice_indicators), and the scope together (all seasons: the cards),
-- with each unit's share of the city's production of the same season(s).
-- Grain: one row per period ('now', 'last_year') × level ('unit', 'scope', 'city') × unit × season
-- that has rice rows; season null means all seasons together. Units without rice have no row (the
-- page lists them as growing none, never as zeros).
-- One scan and two grouping-set aggregates (the scope's, the city's), so the plan stays small.
-- Parameters: $start, $end (dates), $units (list of unit codes, or null for all).
with src as (
    select 'now' as period, unit_code, season, area_ha, production_tonnes
    from agriculture_unit_season
    where crop = 'Lúa'
      and year between year(cast($start as date)) and year(cast($end as date))
    -- the same seasons a year earlier, unit by unit (as rice_indicators_year_before, 20_indicators.sql:
    -- a season not reported this year is not compared with last year's)
    union all
    select 'last_year', a.unit_code, a.season, a.area_ha, a.production_tonnes
    from agriculture_unit_season as a
    semi join (
        select distinct unit_code, season, year - 1 as year
        from agriculture_unit_season
        where crop = 'Lúa'
          and year between year(cast($start as date)) and year(cast($end as date))
    ) as n on n.unit_code = a.unit_code and n.season = a.season and n.year = a.year
    where a.crop = 'Lúa'
),
scope as (  -- each unit of the scope, all seasons and by season; the scope together, all seasons
    select
        period,
        case when grouping(unit_code) = 0 then 'unit' else 'scope' end as level,
        unit_code,
        season,
        sum(area_ha) as area_ha,
        sum(production_tonnes) as production_tonnes
    from src
    where $units is null or list_contains($units, unit_code)
    group by grouping sets ((period, unit_code), (period, unit_code, season), (period))
),
city as (  -- the whole city, all seasons and by season
    select period, 'city' as level, cast(null as varchar) as unit_code, season,
           sum(area_ha) as area_ha, sum(production_tonnes) as production_tonnes
    from src
    group by grouping sets ((period), (period, season))
),
rows as (
    select
        period, level, unit_code, season,
        area_ha as rice_area_ha,
        production_tonnes as rice_production_tonnes,
        rice_yield(production_tonnes, area_ha) as rice_yield_quintal_per_ha
    from (select * from scope union all select * from city)
),
final as (
    select
        *,
        rate(rice_production_tonnes, max(case when level = 'city' then rice_production_tonnes end)
            over (partition by period, season)) as production_share
    from rows
)
select * from final
order by period, level, unit_code, season nulls first
