-- Dossier rollups for the overview and dossier pages: the Biểu 06 indicators of every standard
-- period (each month, quarter and year the data spans, the year to date and its comparison),
-- computed once per database version by calling the macros of 20_indicators.sql. Pages read these
-- rows for stored periods and scopes and call the macros live otherwise (the rule and the choice:
-- communes/rollups.py), so both paths give the same numbers (tests/test_dossiers_views.py checks every
-- pair of queries for every kind of period and scope).
--
-- Keyed breakdowns (by scope, by unit and field) call the same macro over the dossier rows keyed
-- differently: a CTE that shadows a table the macro reads is what the macro reads while it is in
-- scope (DuckDB). The macro reads the daily rollup dossier_days (15_dossier_days.sql) and, in its
-- first version, the dossier rows; the keyed queries shadow both, so they work with either.

-- The periods kept: from January of the year before the first dossier (so every comparison period
-- of a period with data is kept too, as "no data") up to the data's as-of date.
create or replace table dossier_periods as
with span as (
    select
        make_date(year(min(received_at)) - 1, 1, 1) as first_day,
        cast(dossier_as_of() as date) as last_day
    from dossiers
),
months as (
    select cast(m as date) as start
    from span, range(cast(span.first_day as timestamp), cast(span.last_day as timestamp) + interval 1 day,
                     interval 1 month) as r(m)
),
kinds as (
    select 'month' as kind, start, last_day(start) as "end" from months
    union
    select 'quarter', date_trunc('quarter', start)::date,
        last_day(cast(date_trunc('quarter', start) + interval 2 month as date))
    from months
    union
    select 'year', make_date(year(start), 1, 1), make_date(year(start), 12, 31) from months
    union  -- the year to date (communes.periods.ytd) and the same days a year earlier
    select 'ytd', make_date(year(last_day), 1, 1), last_day from span
    union
    select 'ytd', make_date(year(last_day) - 1, 1, 1), cast(last_day - interval 1 year as date) from span
),
final as (
    select kind, start, "end" from kinds where start is not null
)
select * from final order by start, "end";

-- The scopes the frame offers (communes.groups.scope_units): all units (null), each unit type and
-- each peer group, as the sorted list of their unit codes.
create or replace table dossier_scopes as
with lists as (
    select 'all' as scope, cast(null as varchar[]) as units
    union all
    select case unit_type when 'Phường' then 'phuong' else 'xa' end, list_sort(list(unit_code))
    from ref_units group by unit_type
    union all
    select group_id, list_sort(list(unit_code)) from ref_units where group_id is not null group by group_id
),
final as (
    select * from lists
)
select * from final;

-- The period tables run the macro over the daily rollup summed over spans of days instead of day by day: a
-- span starts on each period's first day and on the day after each period's last judged day (its end, or
-- the as-of day while it runs), so every span lies wholly inside, before or after each period's days and
-- the macro's sums over spans (days in the period, days before it, days up to its end) are its sums over
-- days. The counts the macro adds up before summing (received, resolved, overdue opened and closed) are
-- never null in the rollup (the channel is required, every completion has a status), so adding them up per
-- span first changes nothing. ~50 spans instead of ~1,000 days per unit: the joins of periods and rows are
-- 20 times smaller. The first day of each span, for the periods in scope (dossier_periods or a CTE of it):
create or replace macro dossier_span_starts() as table
select distinct day from (
    select start as day from dossier_periods
    union all
    select cast(least("end", cast(dossier_as_of() as date)) + interval 1 day as date) from dossier_periods
);

-- dossier_days (the table, or a CTE of that name: a daily rollup's unit_code, day and counts) summed per unit
-- and span; a span is named by its first day (the days before the first span by the day before it).
create or replace macro dossier_span_rows() as table
with starts as (
    select * from dossier_span_starts()
),
final as (
    select
        d.unit_code,
        coalesce(s.day, cast((select min(day) from starts) - interval 1 day as date)) as day,
        sum(d.recv_online)::bigint as recv_online,
        sum(d.recv_direct)::bigint as recv_direct,
        sum(d.recv_postal)::bigint as recv_postal,
        sum(d.recv_digitized)::bigint as recv_digitized,
        sum(d.comp_early)::bigint as comp_early,
        sum(d.comp_on_time)::bigint as comp_on_time,
        sum(d.comp_late)::bigint as comp_late,
        sum(d.comp_rated)::bigint as comp_rated,
        sum(d.comp_satisfied)::bigint as comp_satisfied,
        sum(d.comp_unsatisfied)::bigint as comp_unsatisfied,
        sum(d.od_open)::bigint as od_open,
        sum(d.od_close)::bigint as od_close
    from dossier_days as d
    asof left join starts as s on d.day >= s.day
    group by all
)
select * from final;

-- One row per standard period and unit that has dossiers in it (units without any are absent,
-- as in dossier_indicators(…, true)).
-- The period tables are table macros over dossier_periods in scope (the table, or a CTE of that name), so a
-- steward's upload recomputes only the periods whose figures it can change (communes/increment.py).
create or replace macro dossier_unit_period_rows() as table
with dossier_days as (
    select * from dossier_span_rows()
),
final as (
    select p.kind, p.start, p."end", x.*
    from dossier_periods as p,
        lateral (select * from dossier_indicators(p.start, p."end", null, true)) as x
)
select * from final;

create or replace table dossier_unit_period as
select * from dossier_unit_period_rows() order by start, "end", unit_code;

-- dossier_days with the field (lĩnh vực) in its grain, so the macro can be run per unit and field:
-- a sum over dossier_key_days (15_dossier_days.sql), whose rules it therefore shares.
create or replace macro dossier_field_day_rows() as table
with final as (
    select
        unit_code,
        field,
        unit_code || '|' || field as unit_field,  -- the key the macro is run on (below)
        day,
        sum(recv_online)::bigint as recv_online,
        sum(recv_direct)::bigint as recv_direct,
        sum(recv_postal)::bigint as recv_postal,
        sum(recv_digitized)::bigint as recv_digitized,
        sum(comp_early)::bigint as comp_early,
        sum(comp_on_time)::bigint as comp_on_time,
        sum(comp_late)::bigint as comp_late,
        sum(comp_rated)::bigint as comp_rated,
        sum(comp_satisfied)::bigint as comp_satisfied,
        sum(comp_unsatisfied)::bigint as comp_unsatisfied,
        sum(od_open)::bigint as od_open,
        sum(od_close)::bigint as od_close
    from dossier_key_days
    group by all
)
select * from final;

create or replace table dossier_field_days as
select * from dossier_field_day_rows() order by day, unit_code, field;

-- One row per standard period and scope; has_data is false (every figure null) when no unit of the
-- scope has a dossier in the period, as dossier_indicators(…, false) then returns no row. The macro
-- over the rows keyed by scope (each unit's rows once per scope it is in: all, its type, its peer
-- group); counts are summed over the scope's units and rates recomputed from them, as the macro does.
create or replace macro dossier_scope_period_rows() as table
with unit_scope as (
    select s.scope, u.unit_code
    from dossier_scopes as s
    join ref_units as u on s.units is null or list_contains(s.units, u.unit_code)
),
dossiers as (
    select d.* replace (us.scope as unit_code)
    from main.dossiers as d
    join unit_scope as us using (unit_code)
),
dossier_days as (
    with dossier_days as (
        select d.* replace (us.scope as unit_code)
        from main.dossier_days as d
        join unit_scope as us using (unit_code)
    )
    select * from dossier_span_rows()
),
computed as (
    select p.start, p."end", x.*
    from dossier_periods as p,
        lateral (select * from dossier_indicators(p.start, p."end", null, true)) as x
),
final as (
    select p.kind, p.start, p."end", s.scope, s.units, c.received is not null as has_data,
        c.* exclude (start, "end", unit_code)
    from dossier_periods as p
    cross join dossier_scopes as s
    left join computed as c on c.start = p.start and c."end" = p."end" and c.unit_code = s.scope
)
select * from final;

create or replace table dossier_scope_period as
select * from dossier_scope_period_rows() order by start, "end", scope;

-- One row per standard period, unit and field with dossiers: the macro over the rows keyed by
-- "unit_code|field" (dossiers/field_unit.sql does the same live for other periods).
create or replace macro dossier_unit_field_period_rows() as table
with dossiers as (
    select * replace (unit_code || '|' || field as unit_code) from main.dossiers
),
dossier_days as (
    with dossier_days as (
        select unit_field as unit_code, * exclude (unit_code, field, unit_field) from main.dossier_field_days
    )
    select * from dossier_span_rows()
),
computed as (
    select p.kind, p.start, p."end", x.*
    from dossier_periods as p,
        lateral (select * from dossier_indicators(p.start, p."end", null, true)) as x
),
final as (
    select
        kind, start, "end",
        split_part(unit_code, '|', 1) as unit_code,
        substr(unit_code, length(split_part(unit_code, '|', 1)) + 2) as field,
        * exclude (kind, start, "end", unit_code)
    from computed
)
select * from final;

create or replace table dossier_unit_field_period as
select * from dossier_unit_field_period_rows() order by start, "end", unit_code, field;
