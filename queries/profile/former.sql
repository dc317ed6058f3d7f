-- The former communes a unit was formed from (official lineage, ref_former), each with its figures for
-- the 12 months before the merger, read from the build-time rollup merger_former_phase
-- (queries/build/33_profile.sql: the indicator macros over rollups keyed by former commune). The rows
-- of a unit add up to its "before" figures. A former commune without rows has null figures (no data);
-- pre-merger rows filed under the current unit's own name form one extra row with a null former_code.
-- Grain: one row per former commune of $unit (plus that extra row when it has data). Parameters: $unit.
with lineage as (
    select former_code, former_name, district, split
    from ref_former
    where unit_code = $unit
),
figures as (
    select * exclude (unit_code)
    from merger_former_phase
    where unit_code = $unit
),
keys as (
    select former_code from lineage
    union
    select former_code from figures
),
final as (
    select k.former_code, l.former_name, l.district, l.split, x.* exclude (former_code)
    from keys as k
    left join lineage as l on l.former_code is not distinct from k.former_code
    left join figures as x on x.former_code is not distinct from k.former_code
)
select * from final order by former_code nulls last
