-- dossiers/field_unit read from the build-time rollup dossier_unit_field_period (queries/build/31_dossiers.sql:
-- the same macro over the same keyed rows, for every stored period; the choice is in communes/rollups.py).
-- Grain: one row per unit and field with dossiers in the period.
-- Parameters: $start, $end (dates of a stored period), $units (unit codes, or null for all).
with final as (
    select * exclude (kind, start, "end")
    from dossier_unit_field_period
    where start = $start and "end" = $end
      and ($units is null or list_contains($units, unit_code))
)
select * from final order by unit_code, field
