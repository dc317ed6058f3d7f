-- Indicator definitions, each in exactly one place (data contract, Biểu 06/VPCP/KSTT).
-- Pages and the CLI call these macros through named queries; nothing else restates them.

-- A rate with an empty denominator is "no data" (null), never 0 % or 100 %.
create or replace macro rate(num, den) as
    case when den > 0 then cast(num as double) / den end;

-- The data's as-of instant (latest receipt or completion in the export), computed once per build:
-- a period still running is judged at this point, not at its end.
create or replace table dossier_as_of_t as
select max(greatest(received_at, coalesce(completed_at, received_at))) as as_of from dossiers;

create or replace macro dossier_as_of() as (select as_of from dossier_as_of_t);

-- Pending and overdue, defined once: Biểu 06 judges a period [start, end] at one instant e, the end of its
-- last day, or the end of the data's as-of day while it runs. A dossier is pending at e when it was
-- received before e and not completed before e; a pending dossier is overdue when it was due before e
-- (a date-only due_at is the end of that day), by the whole days from its due date to e's last day (at
-- least 1: one due earlier on that day is 1 day overdue). dossier_counts gives the same counts from the
-- daily rollup (15_dossier_days.sql); tests/test_dossiers_views.py checks the rows against them.
create or replace macro dossier_judged_at(p_end) as
    least(cast(p_end as timestamp) + interval 1 day,
          cast(cast(dossier_as_of() as date) as timestamp) + interval 1 day);

create or replace macro dossier_pending_at(received_at, completed_at, e) as
    received_at < e and (completed_at is null or completed_at >= e);

create or replace macro dossier_overdue_at(due_at, e) as due_at < e - interval 1 microsecond;

create or replace macro dossier_days_overdue(due_at, e) as
    case when dossier_overdue_at(due_at, e)
         then greatest(1, date_diff('day', cast(due_at as date), cast(e - interval 1 day as date))) end;

-- The dossiers pending at the end of period [p_start, p_end] (none when it starts after the data's
-- as-of day). Grain: one row per pending dossier, all units (callers filter).
create or replace macro dossiers_pending(p_start, p_end) as table
with bounds as (
    select cast(p_start as timestamp) as s, dossier_judged_at(p_end) as e
),
final as (
    select
        d.unit_code,
        d.dossier_id,
        d.field,
        d.procedure,
        d.channel,
        d.received_at,
        d.due_at,
        d.completed_at,
        d.former_code,
        dossier_overdue_at(d.due_at, b.e) as overdue,
        dossier_days_overdue(d.due_at, b.e) as days_overdue
    from dossiers as d, bounds as b
    where b.s < b.e
      and dossier_pending_at(d.received_at, d.completed_at, b.e)
)
select * from final;

-- Biểu 06 counts for period [p_start, p_end] (whole days), one row per unit that has any
-- dossier new, carried over, resolved or pending in the period; units without any are absent.
-- Sums over the daily rollup (queries/build/15_dossier_days.sql explains why this is exact).
-- A period still running is judged at the data's as-of day; one starting after it has no data.
create or replace macro dossier_counts(p_start, p_end) as table
with bounds as (
    select
        cast(p_start as date) as s,
        least(cast(p_end as date), cast(dossier_as_of() as date)) as e
),
sums as (
    select
        unit_code,
        coalesce(sum(recv_online) filter (where day between s and e), 0) as new_online,
        coalesce(sum(recv_direct) filter (where day between s and e), 0) as new_direct,
        coalesce(sum(recv_postal) filter (where day between s and e), 0) as new_postal,
        coalesce(sum(recv_digitized) filter (where day between s and e), 0) as new_digitized,
        coalesce(sum(recv_online + recv_direct + recv_postal) filter (where day < s), 0)
          - coalesce(sum(comp_early + comp_on_time + comp_late) filter (where day < s), 0) as carried_over,
        coalesce(sum(comp_early) filter (where day between s and e), 0) as resolved_early,
        coalesce(sum(comp_on_time) filter (where day between s and e), 0) as resolved_on_time,
        coalesce(sum(comp_late) filter (where day between s and e), 0) as resolved_late,
        coalesce(sum(comp_rated) filter (where day between s and e), 0) as resolved_rated,
        coalesce(sum(comp_satisfied) filter (where day between s and e), 0) as resolved_satisfied,
        coalesce(sum(comp_unsatisfied) filter (where day between s and e), 0) as resolved_unsatisfied,
        coalesce(sum(od_open - od_close) filter (where day <= e), 0) as pending_overdue
    from dossier_days, bounds
    where s <= e and day <= e
    group by unit_code
),
final as (
    select
        unit_code,
        new_online,
        new_direct,
        new_postal,
        carried_over,
        new_online + new_direct + new_postal + carried_over as received,
        resolved_early,
        resolved_on_time,
        resolved_late,
        resolved_early + resolved_on_time + resolved_late as resolved,
        new_online + new_direct + new_postal + carried_over
          - (resolved_early + resolved_on_time + resolved_late) - pending_overdue as pending_in_time,
        pending_overdue,
        new_online + new_direct + new_postal + carried_over
          - (resolved_early + resolved_on_time + resolved_late) as pending,
        new_digitized,
        resolved_rated,
        resolved_satisfied,
        resolved_unsatisfied
    from sums
    where new_online + new_direct + new_postal + carried_over > 0
)
select * from final;

-- Counts summed over the chosen units (p_units null = all), by unit or together, with rates.
create or replace macro dossier_indicators(p_start, p_end, p_units, p_by_unit) as table
with counts as (
    select *
    from dossier_counts(p_start, p_end)
    where p_units is null or list_contains(p_units, unit_code)
),
summed as (
    select
        case when p_by_unit then unit_code end as unit_code,
        sum(new_online)::bigint as new_online,
        sum(new_direct)::bigint as new_direct,
        sum(new_postal)::bigint as new_postal,
        sum(carried_over)::bigint as carried_over,
        sum(received)::bigint as received,
        sum(resolved_early)::bigint as resolved_early,
        sum(resolved_on_time)::bigint as resolved_on_time,
        sum(resolved_late)::bigint as resolved_late,
        sum(resolved)::bigint as resolved,
        sum(pending_in_time)::bigint as pending_in_time,
        sum(pending_overdue)::bigint as pending_overdue,
        sum(pending)::bigint as pending,
        sum(new_digitized)::bigint as new_digitized,
        sum(resolved_rated)::bigint as resolved_rated,
        sum(resolved_satisfied)::bigint as resolved_satisfied,
        sum(resolved_unsatisfied)::bigint as resolved_unsatisfied
    from counts
    group by all
),
final as (
    select
        *,
        rate(resolved_early + resolved_on_time, resolved) as on_time_rate,
        rate(new_online, new_online + new_direct + new_postal) as online_rate,
        rate(new_digitized, new_online + new_direct + new_postal) as digitized_rate,
        rate(resolved_late + pending_overdue, received) as overdue_rate,
        rate(resolved_satisfied, resolved_rated) as satisfaction_rate
    from summed
)
select * from final;

-- Tourism: the months whose first day lies in the period.
create or replace macro tourism_indicators(p_start, p_end, p_units, p_by_unit) as table
with final as (
    select
        case when p_by_unit then unit_code end as unit_code,
        sum(visitors_domestic)::bigint as visitors_domestic,
        sum(visitors_international)::bigint as visitors_international,
        sum(visitors_domestic + visitors_international)::bigint as visitors,
        sum(overnight_guests)::bigint as overnight_guests,
        sum(revenue_vnd) as revenue_vnd,
        rate(sum(revenue_vnd), sum(visitors_domestic + visitors_international)) as revenue_per_visitor_vnd
    from tourism_unit_month
    where month between cast(p_start as date) and cast(p_end as date)
      and (p_units is null or list_contains(p_units, unit_code))
    group by all
)
select * from final;

-- Rice: the calendar years the period touches, all seasons of the crop "Lúa";
-- the yield is production × 10 / area over the rows summed (area-weighted, never a plain mean).
-- Yield in tạ/ha from summed production (tonnes) and area (ha): 1 tạ = 100 kg.
create or replace macro rice_yield(production_t, area_ha) as rate(production_t * 10, area_ha);

create or replace macro rice_indicators(p_start, p_end, p_units, p_by_unit) as table
with final as (
    select
        case when p_by_unit then unit_code end as unit_code,
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

-- Rice's comparison, like for like: each calendar year the period touches, one year earlier, and of it
-- only the (unit, season) pairs that have rice in the period's own years (a season not yet reported
-- this year is not compared with last year's). Never another quarter or month of the same year.
create or replace macro rice_indicators_year_before(p_start, p_end, p_units, p_by_unit) as table
with now_pairs as (
    select distinct unit_code, season, year - 1 as year
    from agriculture_unit_season
    where crop = 'Lúa'
      and year between year(cast(p_start as date)) and year(cast(p_end as date))
),
final as (
    select
        case when p_by_unit then a.unit_code end as unit_code,
        sum(a.area_ha) as rice_area_ha,
        sum(a.production_tonnes) as rice_production_tonnes,
        rice_yield(sum(a.production_tonnes), sum(a.area_ha)) as rice_yield_quintal_per_ha
    from agriculture_unit_season as a
    semi join now_pairs as n on n.unit_code = a.unit_code and n.season = a.season and n.year = a.year
    where a.crop = 'Lúa'
      and (p_units is null or list_contains(p_units, a.unit_code))
    group by all
)
select * from final;

-- Fishery: the months whose first day lies in the period. (Aquaculture area is a stock, not a flow:
-- it is never summed over months; see aquaculture_area in 32_farm_tourism.sql.)
create or replace macro fishery_indicators(p_start, p_end, p_units, p_by_unit) as table
with final as (
    select
        case when p_by_unit then unit_code end as unit_code,
        sum(aquaculture_tonnes) as aquaculture_tonnes,
        sum(capture_tonnes) as capture_tonnes
    from fishery_unit_month
    where month between cast(p_start as date) and cast(p_end as date)
      and (p_units is null or list_contains(p_units, unit_code))
    group by all
)
select * from final;
