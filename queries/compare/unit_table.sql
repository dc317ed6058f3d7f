-- Every unit with its facts (type, peer group, area, population, density), the tourism, rice and fishery
-- indicators of a period (their macros, as communes.kpi.compute) and its staff at the latest staffing
-- snapshot on or before $end. The dossier indicators come separately (communes.rollups.dossiers by unit,
-- joined in communes/views/profile.py). These rows are what peer medians, ranks and
-- normalised figures are computed from (communes/peers.py). Null figures: no rows (no data, not zero).
-- Grain: one row per current unit of $units.
-- Parameters: $start, $end (dates), $units (unit codes, or null for all).
with t as (select * from tourism_indicators($start, $end, $units, true)),
r as (select * from rice_indicators($start, $end, $units, true)),
f as (select * from fishery_indicators($start, $end, $units, true)),
staff as (  -- the latest snapshot on or before $end
    select
        unit_code,
        max(as_of) as staff_as_of,
        arg_max(approved_posts, as_of) as approved_posts,
        arg_max(staff, as_of) as staff,
        arg_max(concurrent_posts, as_of) as concurrent_posts
    from staffing
    where as_of <= cast($end as date)
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
        u.area_km2,
        u.population,
        u.density,
        t.* exclude (unit_code),
        r.* exclude (unit_code),
        f.* exclude (unit_code),
        s.* exclude (unit_code)
    from ref_units as u
    left join ref_groups as g using (unit_code)
    left join t using (unit_code)
    left join r using (unit_code)
    left join f using (unit_code)
    left join staff as s using (unit_code)
    where $units is null or list_contains($units, u.unit_code)
)
select * from final order by unit_code
