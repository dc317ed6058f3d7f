-- dossiers/trend for a stored scope (all units, a unit type or a peer group), read from the build-time
-- rollup dossier_scope_period (queries/build/31_dossiers.sql; the choice is in communes/rollups.py).
-- A month without any dossier of the scope has has_data false and null figures (no data, not zero).
-- Grain: one row per month. Parameters: $start (first month), $units (unit codes of the scope, or null for all).
with final as (
    select start as month, * exclude (kind, start, "end", scope, units)
    from dossier_scope_period
    where kind = 'month' and start >= $start
      and units is not distinct from list_sort($units)
)
select * from final order by month
