-- Biểu 06 indicators of a scope (all units, a unit type or a peer group) for a standard period, read
-- from the build-time rollup; has_data false means no dossier (kpi/dossiers then returns no row).
-- No row at all: the scope or the period is not kept, and the caller computes it live.
-- Grain: at most one row. Parameters: $start, $end (dates), $units (unit codes of the scope, or null for all).
with final as (
    select cast(null as varchar) as unit_code, * exclude (kind, start, "end", scope, units)
    from dossier_scope_period
    where start = $start and "end" = $end
      and units is not distinct from list_sort($units)
)
select * from final
