-- Every unit of the chosen scope with its tourism, rice and fishery indicators for a period (their macros,
-- as communes.kpi.compute). The dossier indicators come separately (communes.rollups.dossiers by unit:
-- the build-time rollup for stored periods, the macro otherwise); communes/views/overview.py joins them.
-- Grain: one row per current unit (units with no rows in a dataset show nulls = no data).
-- Parameters: $start, $end (dates), $units (list of unit codes or null for all).
with t as (select * from tourism_indicators($start, $end, $units, true)),
r as (select * from rice_indicators($start, $end, $units, true)),
f as (select * from fishery_indicators($start, $end, $units, true)),
final as (
    select
        u.unit_code,
        u.unit_name,
        u.unit_type,
        u.group_id,
        t.* exclude (unit_code),
        r.* exclude (unit_code),
        f.* exclude (unit_code)
    from ref_units as u
    left join t using (unit_code)
    left join r using (unit_code)
    left join f using (unit_code)
    where $units is null or list_contains($units, u.unit_code)
)
select * from final order by unit_code
