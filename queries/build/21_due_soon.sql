-- "Sắp đến hạn" (due soon): the early warning beside the overdue count, defined once here.
-- A dossier is due soon when, at the end of the data's as-of day (the instant Biểu 06 judges a running
-- period at), it is pending and not yet overdue (dossiers_pending in 20_indicators.sql), and its due date
-- is on or before p_until: the last of the next N working days after the as-of day. communes/due_soon.py
-- computes p_until with the Vietnamese public-holiday calendar (weekends and holidays, Tết included, do
-- not count; N is a setting).

-- The dossiers pending at the end of the as-of day (a few per cent of the rows, so the pages never scan
-- every dossier), with whether each is overdue then.
-- Grain: one row per dossier pending at the data date.
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
        overdue
    from dossiers_pending(cast(dossier_as_of() as date), cast(dossier_as_of() as date))
)
select * from final order by unit_code, due_at;

-- Grain: one row per dossier due soon, all units (callers filter).
create or replace macro dossiers_due_soon(p_until) as table
with final as (
    select
        unit_code,
        former_code,
        dossier_id,
        field,
        procedure,
        channel,
        received_at,
        due_at
    from dossier_open_rows
    where not overdue
      and cast(due_at as date) <= cast(p_until as date)
)
select * from final;
