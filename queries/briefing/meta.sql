-- Facts about the loaded data version for the briefing's speaker notes: whether it is the sample,
-- the export files with their checksums, the province, and the dossiers' as-of day.
-- Grain: one row per key (the build's meta table plus 'dossier_as_of'). Parameters: none.
with facts as (
    select key, value from meta
    union all
    select 'dossier_as_of', cast(cast(dossier_as_of() as date) as varchar)
),
final as (
    select key, value
    from facts
)
select * from final order by key
