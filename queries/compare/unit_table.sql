-- Every unit with its facts (type, peer group, area, population, density), the tourism, rice and fishery
-- indicators of a period (their macros, as communes.kpi.compute) and its staff at the latest staffing
-- snapshot on or before $end. The dossier indicators come separately (kpi/dossiers, from the build-time
-- rollup for standard periods: communes/views/profile.py). These rows are what peer medians, ranks and
-- normalised figures are computed from (communes/peers.py). Null figures: no rows (no data, not zero).
-- Grain: one row per current unit of $units.
-- Parameters: $start, $end (dates), $units (unit codes, or null for all).
with t as (select * from tourism_indicators($start, $end, $units, true)),
r as (select * from rice_indicators($start, $end, $units, true)),
f as (select * from fishery_indicators($start, $end, $units, true)),
group_names as (
    select distinct group_id, name_vi, name_en
    from ref_groups
),
snapshots as (
    select
        unit_code,
        as_of as staff_as_of,
        approved_posts,
        staff,
        concurrent_posts,
        row_number() over (partition by unit_code order by as_of desc, source_row desc) as newest
    from staffing
    where as_of <= cast($end as date)
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
        u.area_km2,
        u.population,
        u.density,
        t.* exclude (unit_code),
        r.* exclude (unit_code),
        f.* exclude (unit_code),
        s.staff_as_of,
        s.approved_posts,
        s.staff,
        s.concurrent_posts
    from ref_units as u
    left join group_names as g using (group_id)
    left join t using (unit_code)
    left join r using (unit_code)
    left join f using (unit_code)
    left join snapshots as s on s.unit_code = u.unit_code and s.newest = 1
    where $units is null or list_contains($units, u.unit_code)
)
select * from final order by unit_code
