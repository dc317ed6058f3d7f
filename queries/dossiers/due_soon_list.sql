-- The dossiers due soon ("Sắp đến hạn", dossiers_due_soon in 21_due_soon.sql) of a set of units, the
-- earliest due first, with the working days left after the as-of day computed by the page.
-- Grain: one row per dossier. Parameters: $until (date: the last working day counted), $units (list of
-- unit codes, or null for all).
with final as (
    select unit_code, former_code, dossier_id, field, procedure, channel, received_at, due_at
    from dossiers_due_soon($until)
    where $units is null or list_contains($units, unit_code)
)
select * from final order by due_at, unit_code, dossier_id
