-- The units of the province for the read-only API (/api/v1/units): code, names, type, geographic peer
-- group, the former communes each was formed from (official lineage), area and population (population
-- only when the units export has it: null is "no data").
-- Grain: one row per current unit of $units. Parameters: $units (unit codes, or null for all).
with groups as (
    select distinct group_id, name_vi, name_en
    from ref_groups
),
formers as (
    select
        unit_code,
        list(former_name order by former_code) as former_communes
    from ref_former
    group by unit_code
),
final as (
    select
        u.unit_code,
        u.unit_name,
        u.short_name,
        u.unit_type,
        u.group_id,
        g.name_vi as group_name_vi,
        g.name_en as group_name_en,
        coalesce(f.former_communes, []) as former_communes,
        u.area_km2,
        u.population
    from ref_units as u
    left join groups as g on g.group_id = u.group_id
    left join formers as f on f.unit_code = u.unit_code
    where $units is null or list_contains($units, u.unit_code)
)
select * from final order by unit_code
