-- Rice (crop "Lúa") for the calendar years a period touches: every unit of the scope and the whole
-- city, all seasons together (rice_indicators) and season by season (rice_season_indicators), with
-- each unit's share of the city's production of the same season(s).
-- Grain: one row per unit of the scope × season, plus the city's rows (unit_code null); season null
-- means all seasons together. A unit without rice rows has one row with season null and null figures
-- (it grows no rice in the data: most urban wards), never zeros.
-- Parameters: $start, $end (dates), $units (list of unit codes, or null for all).
with per_unit as (
    select unit_code, cast(null as varchar) as season, rice_area_ha, rice_production_tonnes, rice_yield_quintal_per_ha
    from rice_indicators($start, $end, $units, true)
    union all
    select unit_code, season, rice_area_ha, rice_production_tonnes, rice_yield_quintal_per_ha
    from rice_season_indicators($start, $end, $units, true)
),
city as (
    select cast(null as varchar) as season, rice_area_ha, rice_production_tonnes, rice_yield_quintal_per_ha
    from rice_indicators($start, $end, null, false)
    union all
    select season, rice_area_ha, rice_production_tonnes, rice_yield_quintal_per_ha
    from rice_season_indicators($start, $end, null, false)
),
units as (
    select
        u.unit_code,
        u.unit_name,
        u.short_name,
        u.unit_type,
        p.season,
        p.rice_area_ha,
        p.rice_production_tonnes,
        p.rice_yield_quintal_per_ha,
        rate(p.rice_production_tonnes, c.rice_production_tonnes) as production_share
    from ref_units as u
    left join per_unit as p on p.unit_code = u.unit_code
    left join city as c on c.season is not distinct from p.season
    where $units is null or list_contains($units, u.unit_code)
),
final as (
    select * from units
    union all
    select
        null, null, null, null, season, rice_area_ha, rice_production_tonnes, rice_yield_quintal_per_ha, 1.0
    from city
)
select * from final
order by unit_code nulls first, season nulls first
