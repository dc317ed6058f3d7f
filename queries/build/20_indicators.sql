-- Indicator definitions, each in exactly one place (data contract, Biểu 06/VPCP/KSTT).
-- Pages and the CLI call these macros through named queries; nothing else restates them.

-- A rate with an empty denominator is "no data" (null), never 0 % or 100 %.
create or replace macro rate(num, den) as
    case when den > 0 then cast(num as double) / den end;

-- The data's as-of instant: a period still running is judged at this point, not at its end.
create or replace macro dossier_as_of() as (
    select max(greatest(received_at, coalesce(completed_at, received_at))) from dossiers
);

-- Biểu 06 counts for period [p_start, p_end] (whole days), one row per unit that has any
-- dossier new, carried over, resolved or pending in the period; units without any are absent.
-- Times: due_at without a time was stored as the end of that day; completed_at without a
-- time as the start of that day, so "completed that afternoon" stays on time.
create or replace macro dossier_counts(p_start, p_end) as table
with bounds as (
    select
        cast(p_start as timestamp) as s,
        least(cast(p_end as timestamp) + interval 1 day,
              cast(cast(dossier_as_of() as date) as timestamp) + interval 1 day) as e
),
live as (
    select d.*, b.s, b.e
    from dossiers as d, bounds as b
    where d.received_at < b.e
      and (d.completed_at is null or d.completed_at >= b.s)
      and b.s < b.e  -- a period that starts after the data's as-of date has no data
),
flags as (
    select
        unit_code,
        received_at >= s as is_new,
        completed_at is not null and completed_at < e as is_resolved,
        channel,
        digitized,
        rating,
        completed_at,
        due_at,
        e
    from live
),
final as (
    select
        unit_code,
        count(*) filter (where is_new and channel = 'online') as new_online,
        count(*) filter (where is_new and channel = 'direct') as new_direct,
        count(*) filter (where is_new and channel = 'postal') as new_postal,
        count(*) filter (where not is_new) as carried_over,
        count(*) as received,
        count(*) filter (where is_resolved and cast(completed_at as date) < cast(due_at as date)) as resolved_early,
        count(*) filter (where is_resolved and cast(completed_at as date) >= cast(due_at as date)
                               and completed_at <= due_at) as resolved_on_time,
        count(*) filter (where is_resolved and completed_at > due_at) as resolved_late,
        count(*) filter (where is_resolved) as resolved,
        count(*) filter (where not is_resolved and due_at >= e - interval 1 microsecond) as pending_in_time,
        count(*) filter (where not is_resolved and due_at < e - interval 1 microsecond) as pending_overdue,
        count(*) filter (where not is_resolved) as pending,
        count(*) filter (where is_new and digitized) as new_digitized,
        count(*) filter (where is_resolved and rating is not null) as resolved_rated,
        count(*) filter (where is_resolved and rating = 'Hài lòng') as resolved_satisfied,
        count(*) filter (where is_resolved and rating = 'Không hài lòng') as resolved_unsatisfied
    from flags
    group by unit_code
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
create or replace macro rice_indicators(p_start, p_end, p_units, p_by_unit) as table
with final as (
    select
        case when p_by_unit then unit_code end as unit_code,
        sum(area_ha) as rice_area_ha,
        sum(production_tonnes) as rice_production_tonnes,
        rate(sum(production_tonnes) * 10, sum(area_ha)) as rice_yield_quintal_per_ha
    from agriculture_unit_season
    where crop = 'Lúa'
      and year between year(cast(p_start as date)) and year(cast(p_end as date))
      and (p_units is null or list_contains(p_units, unit_code))
    group by all
)
select * from final;

-- Fishery: the months whose first day lies in the period.
create or replace macro fishery_indicators(p_start, p_end, p_units, p_by_unit) as table
with final as (
    select
        case when p_by_unit then unit_code end as unit_code,
        sum(aquaculture_tonnes) as aquaculture_tonnes,
        sum(capture_tonnes) as capture_tonnes,
        sum(aquaculture_area_ha) as aquaculture_area_ha
    from fishery_unit_month
    where month between cast(p_start as date) and cast(p_end as date)
      and (p_units is null or list_contains(p_units, unit_code))
    group by all
)
select * from final;
