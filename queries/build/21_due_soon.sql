-- "Sắp đến hạn" (due soon): the early warning beside the overdue count, defined once here.
-- A dossier is due soon when, at the end of the data's as-of day (the instant Biểu 06 judges a running
-- period at, as in dossiers/pending_list.sql), it is received, not completed and not yet overdue
-- (due at or after that instant), and its due date is on or before p_until: the last of the next N
-- working days after the as-of day. communes/due_soon.py computes p_until with the Vietnamese
-- public-holiday calendar (weekends and holidays, Tết included, do not count; N is a setting).

-- The only rows the rule can ever pick: dossiers not completed before the as-of day began (a few
-- per cent of the rows), so the pages never scan every dossier.
create or replace table dossier_open_rows as
with final as (
    select
        unit_code,
        former_code,
        dossier_id,
        field,
        procedure,
        channel,
        received_at,
        due_at,
        completed_at
    from dossiers
    where completed_at is null or completed_at >= cast(cast(dossier_as_of() as date) as timestamp)
)
select * from final order by unit_code, due_at;

-- Grain: one row per dossier due soon, all units (callers filter).
create or replace macro dossiers_due_soon(p_until) as table
with bounds as (
    select cast(cast(dossier_as_of() as date) as timestamp) + interval 1 day as e
),
final as (
    select
        d.unit_code,
        d.former_code,
        d.dossier_id,
        d.field,
        d.procedure,
        d.channel,
        d.received_at,
        d.due_at
    from dossier_open_rows as d, bounds as b
    where d.received_at < b.e
      and (d.completed_at is null or d.completed_at >= b.e)
      and d.due_at >= b.e - interval 1 microsecond
      and cast(d.due_at as date) <= cast(p_until as date)
)
select * from final;
