-- Biểu 06 indicators per unit and field (lĩnh vực) for a standard period (build-time rollup).
-- Grain: one row per unit and field with dossiers in the period.
-- Parameters: $start, $end (dates of a kept period), $units (unit codes, or null for all).
with final as (
    select * exclude (kind, start, "end")
    from dossier_unit_field_period
    where start = $start and "end" = $end
      and ($units is null or list_contains($units, unit_code))
)
select * from final order by unit_code, field
