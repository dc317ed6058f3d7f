-- Every unit of the chosen scope with its headline indicators for a period, and every other
-- indicator of communes.kpi.KEYS after them (the overview's ranking and attention list read those).
-- Grain: one row per current unit (units with no rows in a dataset show nulls = no data).
-- Parameters: $start, $end (dates), $units (list of unit codes or null for all).
with d as (select * from dossier_indicators($start, $end, $units, true)),
t as (select * from tourism_indicators($start, $end, $units, true)),
r as (select * from rice_indicators($start, $end, $units, true)),
f as (select * from fishery_indicators($start, $end, $units, true)),
final as (
    select
        u.unit_code,
        u.unit_name,
        u.unit_type,
        u.group_id,
        d.* exclude (unit_code),
        t.* exclude (unit_code),
        r.* exclude (unit_code),
        f.* exclude (unit_code)
    from ref_units as u
    left join d using (unit_code)
    left join t using (unit_code)
    left join r using (unit_code)
    left join f using (unit_code)
    where $units is null or list_contains($units, u.unit_code)
)
select * from final order by unit_code
