-- kpi/dossiers read from the build-time rollups (queries/build/31_dossiers.sql: the same macro over every
-- stored period), for a stored period and, when $by_unit is false, a stored scope: the rule and the
-- choice are in communes/rollups.py. Same columns and rows as kpi/dossiers (tests/test_rollups.py): by
-- unit, the units with dossiers in the period; together, one row, none when the scope had no dossier.
-- Grain: one row per unit when $by_unit, else at most one row.
-- Parameters: $start, $end (dates of a stored period), $units (unit codes, or null for all), $by_unit (boolean).
with by_unit as (
    select * exclude (kind, start, "end")
    from dossier_unit_period
    where $by_unit
      and start = $start and "end" = $end
      and ($units is null or list_contains($units, unit_code))
),
together as (
    select cast(null as varchar) as unit_code, * exclude (kind, start, "end", scope, units, has_data)
    from dossier_scope_period
    where not $by_unit and has_data
      and start = $start and "end" = $end
      and units is not distinct from list_sort($units)
),
final as (
    select * from by_unit
    union all by name
    select * from together
)
select * from final order by unit_code
