-- One unit's rice (crop "Lúa") by calendar year and season, through rice_indicators (the yield is
-- production × 10 / area over the rows summed). The macro reads the rollup's rows keyed by season, and
-- once more keyed '' for the whole year (a CTE named like the rollup is what a table macro reads while
-- it is in scope). Years before the merger sum the former communes (official lineage).
-- Grain: one row per year and season with rows, plus one per year with a null season (the whole year).
-- Parameters: $unit (unit code).
with years as (
    select distinct year
    from main.agriculture_unit_season
    where unit_code = $unit and crop = 'Lúa'
),
agriculture_unit_season as (
    select * replace (season as unit_code)
    from main.agriculture_unit_season
    where unit_code = $unit
    union all
    select * replace ('' as unit_code)
    from main.agriculture_unit_season
    where unit_code = $unit
),
final as (
    select y.year, nullif(x.unit_code, '') as season, x.* exclude (unit_code)
    from years as y,
        lateral (select * from rice_indicators(make_date(y.year, 1, 1), make_date(y.year, 12, 31), null, true)) as x
)
select * from final order by year, season nulls last
