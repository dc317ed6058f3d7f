-- Before and after the merger, for the unit profile and the compare page.
-- The merger took effect on 1 July 2025 in every province. Three phases, fixed once per database
-- version from the data's as-of date:
--   before    the 12 months before the merger (1 July 2024 – 30 June 2025), former communes summed
--             through the official lineage (pre-merger rows already carry their current unit_code);
--   after     the latest months since the merger up to the data's as-of date, at most 12 (so from
--             the as-of date's month back 11 months, never before 1 July 2025);
--   after_ly  the same days one year earlier (seasonally comparable with "after").
-- No month stands in two columns compared with each other: "after" starts on or after the merger, when
-- "before" has ended, and spans at most 12 months, so the same days a year earlier end before it starts.
-- ("before" and "after_ly" may share months: they are never compared with each other.)
-- Page queries call the indicator macros of 20_indicators.sql over these phases (rates recomputed
-- from the phase's counts, never averaged over months).

create or replace table merger_phases as
with span as (
    select
        cast(dossier_as_of() as date) as as_of,
        greatest(merger_date(),
                 cast(date_trunc('month', cast(dossier_as_of() as date)) - interval 11 month as date)) as after_start
),
phases as (
    select 'before' as phase, 1 as ord, cast(merger_date() - interval 12 month as date) as start,
        cast(merger_date() - interval 1 day as date) as "end"
    union all
    select 'after', 2, after_start, as_of from span
    union all
    select 'after_ly', 3, cast(after_start - interval 1 year as date), cast(as_of - interval 1 year as date) from span
),
final as (
    select phase, ord, start, "end"
    from phases
    where start <= "end"
)
select * from final order by ord;

-- Every unit in every phase: the dossier, tourism and fishery macros over the phase, and how many of
-- the phase's months hold each monthly dataset's data anywhere in the city (for per-month figures).
-- Grain: one row per phase and current unit; null figures where the unit has no rows (no data).
create or replace table merger_unit_phase as
with d as (
    select p.phase, x.*
    from merger_phases as p, lateral (select * from dossier_indicators(p.start, p."end", null, true)) as x
),
t as (
    select p.phase, x.*
    from merger_phases as p, lateral (select * from tourism_indicators(p.start, p."end", null, true)) as x
),
f as (
    select p.phase, x.*
    from merger_phases as p, lateral (select * from fishery_indicators(p.start, p."end", null, true)) as x
),
months as (
    select
        p.phase,
        (select count(distinct month) from tourism_unit_month where month between p.start and p."end")
            as tourism_months,
        (select count(distinct month) from fishery_unit_month where month between p.start and p."end")
            as fishery_months
    from merger_phases as p
),
final as (
    select
        p.phase,
        p.ord,
        p.start,
        p."end",
        u.unit_code,
        d.* exclude (phase, unit_code),
        t.* exclude (phase, unit_code),
        f.* exclude (phase, unit_code),
        m.tourism_months,
        m.fishery_months
    from merger_phases as p
    cross join ref_units as u
    join months as m on m.phase = p.phase
    left join d on d.phase = p.phase and d.unit_code = u.unit_code
    left join t on t.phase = p.phase and t.unit_code = u.unit_code
    left join f on f.phase = p.phase and f.unit_code = u.unit_code
)
select * from final order by unit_code, ord;

-- Every former commune of the lineage, with its name and former district (and every unit's pre-merger
-- rows filed under its own current name, with a null former_code) in the "before" phase: the same macros over rollups keyed "unit|former" (a CTE named
-- like a rollup is what a table macro reads while it is in scope). The rows of a unit add up to its
-- "before" row of merger_unit_phase. Tourism and fishery: their staging rows keyed the same way (the
-- fishery CTE is 10_rollups.sql's monthly pivot at this grain).
-- Grain: one row per former commune of the lineage, plus one per unit with re-keyed rows in the phase;
-- null figures where a former commune has no rows (no data, not zero).
create or replace table merger_former_phase as
with dossier_days as (  -- the daily rollup of 15_dossier_days.sql keyed by former commune (pre-merger rows)
    select * exclude (former_key, field) replace (unit_code || '|' || former_key as unit_code)
    from dossier_key_days
    where former_key is not null
),
tourism_unit_month as (
    select * replace (unit_code || '|' || coalesce(former_code, '') as unit_code)
    from tourism
),
fishery_unit_month as (
    select
        unit_code || '|' || coalesce(former_code, '') as unit_code,
        month,
        coalesce(sum(output_tonnes) filter (where kind = 'Nuôi trồng'), 0) as aquaculture_tonnes,
        coalesce(sum(output_tonnes) filter (where kind = 'Khai thác'), 0) as capture_tonnes
    from fishery
    group by all
),
before as (
    select start, "end" from merger_phases where phase = 'before'
),
d as (
    select x.* from before as b, lateral (select * from dossier_indicators(b.start, b."end", null, true)) as x
),
t as (
    select x.* from before as b, lateral (select * from tourism_indicators(b.start, b."end", null, true)) as x
),
f as (
    select x.* from before as b, lateral (select * from fishery_indicators(b.start, b."end", null, true)) as x
),
keys as (  -- every former commune of the lineage (with or without rows), and every key with rows
    select unit_code || '|' || former_code as unit_code from ref_former
    union
    select unit_code from d
    union
    select unit_code from t
    union
    select unit_code from f
),
final as (
    select
        split_part(k.unit_code, '|', 1) as unit_code,
        nullif(split_part(k.unit_code, '|', 2), '') as former_code,
        r.former_name,
        r.district,
        r.split,
        d.* exclude (unit_code),
        t.* exclude (unit_code),
        f.* exclude (unit_code)
    from keys as k
    left join ref_former as r on k.unit_code = r.unit_code || '|' || r.former_code
    left join d on d.unit_code = k.unit_code
    left join t on t.unit_code = k.unit_code
    left join f on f.unit_code = k.unit_code
)
select * from final order by unit_code, former_code nulls last;

-- Tourism and fishery of every unit month by month, through the macros run once over their rollups
-- keyed by "unit|month" (which is each macro over each calendar month).
-- Grain: one row per unit and month with tourism or fishery rows.
create or replace table sector_unit_month as
with tourism_unit_month as (
    select * replace (unit_code || '|' || cast(month as varchar) as unit_code)
    from main.tourism_unit_month
),
fishery_unit_month as (
    select * replace (unit_code || '|' || cast(month as varchar) as unit_code)
    from main.fishery_unit_month
),
t as (
    select * from tourism_indicators(date '0001-01-01', date '9999-12-31', null, true)
),
f as (
    select * from fishery_indicators(date '0001-01-01', date '9999-12-31', null, true)
),
final as (
    select
        split_part(coalesce(t.unit_code, f.unit_code), '|', 1) as unit_code,
        cast(split_part(coalesce(t.unit_code, f.unit_code), '|', 2) as date) as month,
        t.* exclude (unit_code),
        f.* exclude (unit_code)
    from t
    full outer join f on f.unit_code = t.unit_code
)
select * from final order by unit_code, month;

-- Rice (crop "Lúa") of every unit by calendar year, whole year and per season, through rice_indicators
-- over the rollup keyed "unit|year|season" and "unit|year|" (the yield is production × 10 / area over
-- the rows summed, never a mean of yields). Years before the merger sum the former communes.
-- Grain: one row per unit, year and season with rows, plus one per unit and year with a null season.
create or replace table rice_unit_year as
with agriculture_unit_season as (
    select * replace (unit_code || '|' || cast(year as varchar) || '|' || season as unit_code)
    from main.agriculture_unit_season
    union all
    select * replace (unit_code || '|' || cast(year as varchar) || '|' as unit_code)
    from main.agriculture_unit_season
),
x as (
    select * from rice_indicators(date '0001-01-01', date '9999-12-31', null, true)
),
final as (
    select
        split_part(unit_code, '|', 1) as unit_code,
        cast(split_part(unit_code, '|', 2) as integer) as year,
        nullif(split_part(unit_code, '|', 3), '') as season,
        * exclude (unit_code)
    from x
)
select * from final order by unit_code, year, season nulls last;
