-- Macros for the tourism and agriculture & fishery pages that 20_indicators.sql does not cover.
-- They split or complement its indicators; they never restate one of them differently
-- (tests/test_agriculture_page.py checks that the seasons of each year add up to rice_indicators, and the
-- page's rice figures against rice_indicators through communes.kpi).

-- (rice_yield, the yield over summed rows, is defined with rice_indicators in 20_indicators.sql.)

-- Rice by year and season: rice_indicators (the calendar years a period touches, crop "Lúa") split by
-- calendar year and season; each year's seasons add up to rice_indicators of that year.
-- One row per year and season (per unit, year and season when p_by_unit) that has rice rows; none otherwise.
create or replace macro rice_season_indicators(p_start, p_end, p_units, p_by_unit) as table
with final as (
    select
        case when p_by_unit then unit_code end as unit_code,
        year,
        season,
        sum(area_ha) as rice_area_ha,
        sum(production_tonnes) as rice_production_tonnes,
        rice_yield(sum(production_tonnes), sum(area_ha)) as rice_yield_quintal_per_ha
    from agriculture_unit_season
    where crop = 'Lúa'
      and year between year(cast(p_start as date)) and year(cast(p_end as date))
      and (p_units is null or list_contains(p_units, unit_code))
    group by all
)
select * from final;

-- Aquaculture area under culture in a period. Area is a stock, not a flow: a unit's area is the
-- mean of the monthly areas it reported for the months whose first day lies in the period (summing
-- months would count each hectare three times in a quarter); several units add their means.
-- Output per hectare = aquaculture output in the period / this area (t/ha in the period).
-- One row (per unit when p_by_unit) when some unit reported an area; none otherwise.
create or replace macro aquaculture_area(p_start, p_end, p_units, p_by_unit) as table
with per_unit as (
    select
        unit_code,
        avg(aquaculture_area_ha) as area_ha
    from fishery_unit_month
    where month between cast(p_start as date) and cast(p_end as date)
      and (p_units is null or list_contains(p_units, unit_code))
      and aquaculture_area_ha is not null
    group by unit_code
),
final as (
    select
        case when p_by_unit then unit_code end as unit_code,
        sum(area_ha) as aquaculture_area_ha
    from per_unit
    group by all
)
select * from final;
