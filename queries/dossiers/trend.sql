-- Monthly Biểu 06 indicators of a scope from $start to the data's as-of month, from the build-time rollup.
-- No row: the scope is not kept (the caller then uses dossiers/trend_live).
-- Grain: one row per month. Parameters: $start (first month), $units (unit codes of the scope, or null for all).
with final as (
    select start as month, * exclude (kind, start, "end", scope, units)
    from dossier_scope_period
    where kind = 'month' and start >= $start
      and units is not distinct from list_sort($units)
)
select * from final order by month
