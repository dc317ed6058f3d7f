-- The only dossier rows a backlog can ever hold (dossiers/backlog.sql reads this table, not dossiers).
-- A dossier is in the backlog at an instant e when it was received before e, is not completed before e
-- and was due before e. If it was completed at all, that completion is at or after e, hence after its
-- due time: so it is either still pending (completed_at null) or was completed late (completed_at >
-- due_at). Every other dossier (completed on or before its due time, or with no due time) never is.
-- ~4 % of the rows at sample scale; tests/test_dossier_backlog.py checks the page query against
-- the same conditions over every dossier.
-- Grain: one row per dossier that is pending or was completed after its due time.

create or replace table dossier_backlog_rows as
with final as (
    select
        unit_code,
        received_at,
        due_at,
        completed_at
    from dossiers
    where completed_at is null or completed_at > due_at
)
select * from final order by unit_code, due_at;
