-- What the build stored (queries/build/31_dossiers.sql), for the rollup-or-live rule of communes/rollups.py:
-- every standard period (what = 'period': its start and end) and every scope the frame offers (what =
-- 'scope': its sorted unit codes; null = all units).
-- Grain: one row per stored period and one per stored scope. Parameters: none.
with final as (
    select 'period' as what, start, "end", cast(null as varchar[]) as units from dossier_periods
    union all
    select 'scope', null, null, units from dossier_scopes
)
select * from final order by what, start, "end"
