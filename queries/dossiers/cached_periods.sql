-- The standard periods whose dossier indicators were computed at build time (queries/build/31_dossiers.sql).
-- Grain: one row per kept period. Parameters: none.
with final as (
    select kind, start, "end"
    from dossier_periods
)
select * from final order by start, "end"
