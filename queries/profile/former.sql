-- The former communes a unit was formed from (official lineage), each with its figures for the 12 months
-- before the merger, read from the build-time rollup merger_former_phase (queries/build/33_profile.sql:
-- the indicator macros over rollups keyed by former commune). The rows of a unit add up to its "before"
-- figures. A former commune without rows has null figures (no data); pre-merger rows filed under the
-- current unit's own name form one extra row with a null former_code.
-- Grain: one row per former commune of $unit (plus that extra row when it has data). Parameters: $unit.
with final as (
    select * exclude (unit_code)
    from merger_former_phase
    where unit_code = $unit
)
select * from final order by former_code nulls last
