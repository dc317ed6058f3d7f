-- Fishery of every unit of the scope and of the scope together, for the period shown, its comparison
-- period and the card's other comparison, in one statement: aquaculture and capture output (the sums of
-- fishery_indicators, 20_indicators.sql: the months whose first day lies in the period), aquaculture
-- area (as aquaculture_area, 32_farm_tourism.sql: each unit's mean monthly area, the units' means
-- added), output per hectare and share of the city's total output. One scan of the monthly rollup per
-- period and plain group-bys instead of five macro calls per period (the fixed cost of binding them
-- dominated the page); tests/test_agriculture_fishery.py checks every row against the macros.
-- Grain: one row per period ('now', 'before', 'other') × current unit of the scope (null figures when
-- the unit has no fishery row in that period: no data, never 0), then one row per period for the scope
-- (unit_code null) when it has fishery rows in that period.
-- Parameters: $start, $end (the period), $cmp_start, $cmp_end (the comparison period), $other_start,
-- $other_end (the other comparison, or nulls: no rows), $units (list of unit codes, or null for all).
with src as (
    select 'now' as period, unit_code, aquaculture_tonnes, capture_tonnes, aquaculture_area_ha
    from fishery_unit_month
    where month between cast($start as date) and cast($end as date)
    union all
    select 'before', unit_code, aquaculture_tonnes, capture_tonnes, aquaculture_area_ha
    from fishery_unit_month
    where month between cast($cmp_start as date) and cast($cmp_end as date)
    union all
    select 'other', unit_code, aquaculture_tonnes, capture_tonnes, aquaculture_area_ha
    from fishery_unit_month
    where month between cast($other_start as date) and cast($other_end as date)
),
chosen as (
    select * from src where $units is null or list_contains($units, unit_code)
),
unit_output as (  -- plain group-bys (not grouping sets): they add the months in the macros' order
    select period, unit_code, sum(aquaculture_tonnes) as aquaculture_tonnes, sum(capture_tonnes) as capture_tonnes
    from chosen
    group by period, unit_code
),
unit_area as (
    select period, unit_code, avg(aquaculture_area_ha) as aquaculture_area_ha
    from chosen
    where aquaculture_area_ha is not null
    group by period, unit_code
),
scope_output as (
    select period, sum(aquaculture_tonnes) as aquaculture_tonnes, sum(capture_tonnes) as capture_tonnes
    from chosen
    group by period
),
scope_area as (  -- added in unit order, so the last bit does not depend on the threads' timing
    select period, sum(aquaculture_area_ha order by unit_code) as aquaculture_area_ha
    from unit_area
    group by period
),
city as (
    select period, sum(aquaculture_tonnes) as aquaculture_tonnes, sum(capture_tonnes) as capture_tonnes
    from src
    group by period
),
units as (
    select
        p.period,
        u.unit_code,
        u.unit_name,
        u.short_name,
        u.unit_type,
        o.aquaculture_tonnes,
        o.capture_tonnes,
        o.aquaculture_tonnes + o.capture_tonnes as fishery_tonnes,
        a.aquaculture_area_ha,
        rate(o.aquaculture_tonnes, a.aquaculture_area_ha) as aquaculture_t_per_ha,
        rate(o.aquaculture_tonnes + o.capture_tonnes, c.aquaculture_tonnes + c.capture_tonnes) as fishery_share
    from (values ('now'), ('before'), ('other')) as p(period)
    cross join ref_units as u
    left join unit_output as o on o.period = p.period and o.unit_code = u.unit_code
    left join unit_area as a on a.period = p.period and a.unit_code = u.unit_code
    left join city as c on c.period = p.period
    where ($units is null or list_contains($units, u.unit_code))
      and (p.period <> 'other' or $other_start is not null)
),
total as (
    select
        s.period,
        cast(null as varchar) as unit_code,
        cast(null as varchar) as unit_name,
        cast(null as varchar) as short_name,
        cast(null as varchar) as unit_type,
        s.aquaculture_tonnes,
        s.capture_tonnes,
        s.aquaculture_tonnes + s.capture_tonnes as fishery_tonnes,
        a.aquaculture_area_ha,
        rate(s.aquaculture_tonnes, a.aquaculture_area_ha) as aquaculture_t_per_ha,
        rate(s.aquaculture_tonnes + s.capture_tonnes, c.aquaculture_tonnes + c.capture_tonnes) as fishery_share
    from scope_output as s
    left join scope_area as a using (period)
    left join city as c using (period)
),
final as (
    select * from units
    union all
    select * from total
)
select * from final
order by period, unit_code nulls last
