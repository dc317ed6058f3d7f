-- Biểu 06 indicators per unit for a standard period, read from the build-time rollup; the same rows
-- as kpi/dossiers with $by_unit true (units without any dossier in the period are absent).
-- Grain: one row per unit with dossiers in the period.
-- Parameters: $start, $end (dates of a period in dossier_periods), $units (unit codes, or null for all).
with final as (
    select * exclude (kind, start, "end")
    from dossier_unit_period
    where start = $start and "end" = $end
      and ($units is null or list_contains($units, unit_code))
)
select * from final order by unit_code
