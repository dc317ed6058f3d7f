-- overview/unit_table for a standard period: the dossier columns come from the build-time rollup
-- (queries/build/31_dossiers.sql, the same macro per kept period), the rest from the macros.
-- Grain: one row per current unit (units with no rows in a dataset show nulls = no data).
-- Parameters: $start, $end (dates of a period in dossier_periods), $units (unit codes, or null for all).
with d as (select * from dossier_unit_period where start = $start and "end" = $end),
t as (select * from tourism_indicators($start, $end, $units, true)),
r as (select * from rice_indicators($start, $end, $units, true)),
f as (select * from fishery_indicators($start, $end, $units, true)),
final as (
    select
        u.unit_code,
        u.unit_name,
        u.unit_type,
        u.group_id,
        d.* exclude (unit_code, kind, start, "end"),
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
