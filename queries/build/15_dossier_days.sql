-- Daily dossier rollups: every Biểu 06 count of any period is a range or running sum over them.
--   dossier_key_days  one row per unit, former commune, field and day (breakdowns: per field,
--                     per former commune before the merger);
--   dossier_days      one row per unit and day (what the indicator macros read): 40 units ×
--                     ~1,000 days whatever the number of dossiers, so pages never scan dossier rows.
--
-- Why sums over days are exact (c = completion day, r = receipt day):
--   * lateness is fixed at completion (completed_at vs due_at at the export's precision),
--     so resolved early / on time / late are counted on the completion day;
--   * carried over into [s, e] = received before s − completed before s (c ≥ r always);
--   * a pending dossier is overdue at the end of day e when due_at is before that instant,
--     i.e. from the day od = date(due_at + 1 µs) on (a date-only due_at is the end of its day);
--     overdue and still open at e = #{max(r, od) ≤ e} − #{completed, max(c, od) ≤ e}.

-- A table macro over the dossier rows in scope where it is called (the table dossiers, or a CTE of that
-- name): a steward's upload recomputes with it only the (unit, day) rows its dossiers touch
-- (communes/increment.py), the full build every row.
create or replace macro dossier_key_day_rows() as table
with d as (
    select
        unit_code,
        -- the former commune of a dossier received before the merger ('' when it was filed under the
        -- current unit's own name); null for dossiers received since 1 July 2025
        case when received_at < cast(merger_date() as timestamp) then coalesce(former_code, '') end as former_key,
        field,
        cast(received_at as date) as r,
        cast(completed_at as date) as c,
        cast(due_at + interval 1 microsecond as date) as od,
        channel,
        digitized,
        rating,
        case
            when completed_at is null then null
            when cast(completed_at as date) < cast(due_at as date) then 'early'
            when completed_at <= due_at then 'on_time'
            else 'late'
        end as status
    from dossiers
),
events as (
    select unit_code, former_key, field, r as day,
           (channel = 'online')::int as recv_online, (channel = 'direct')::int as recv_direct,
           (channel = 'postal')::int as recv_postal, digitized::int as recv_digitized,
           0 as comp_early, 0 as comp_on_time, 0 as comp_late, 0 as comp_rated, 0 as comp_satisfied,
           0 as comp_unsatisfied, 0 as od_open, 0 as od_close
    from d
    union all
    select unit_code, former_key, field, c, 0, 0, 0, 0,
           (status = 'early')::int, (status = 'on_time')::int, (status = 'late')::int,
           (rating is not null)::int, (rating = 'Hài lòng')::int, (rating = 'Không hài lòng')::int, 0, 0
    from d where c is not null
    union all
    select unit_code, former_key, field, greatest(r, od), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0 from d
    union all
    select unit_code, former_key, field, greatest(c, od), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 from d where c is not null
),
final as (
    select
        unit_code,
        former_key,
        field,
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
    from events
    group by all
)
select * from final;

create or replace table dossier_key_days as
select * from dossier_key_day_rows() order by day, unit_code, former_key, field;

-- dossier_key_days (or a CTE of that name) summed per unit and day.
create or replace macro dossier_day_rows() as table
with final as (
    select
        unit_code,
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

create or replace table dossier_days as
select * from dossier_day_rows() order by day, unit_code;
