-- compare/unit_table for a standard period (one in dossier_periods), read from the build-time rollups
-- instead of the macros: dossier_unit_period (31_dossiers.sql) and sector_unit_period (33_profile.sql),
-- both the macros of 20_indicators.sql over the same period, plus the facts and the latest staffing
-- snapshot on or before $end. Empty for a period the rollups do not keep (the caller then runs
-- compare/unit_table and kpi/dossiers). Null figures: no rows (no data, not zero).
-- Grain: one row per current unit of $units. Parameters: $start, $end (dates), $units (unit codes or null).
with period as (
    select kind, start, "end"
    from dossier_periods
    where start = cast($start as date) and "end" = cast($end as date)
    limit 1
),
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
        x.* exclude (kind, start, "end", unit_code),
        d.* exclude (kind, start, "end", unit_code),
        s.* exclude (unit_code)
    from period as p
    cross join ref_units as u
    left join ref_groups as g using (unit_code)
    left join sector_unit_period as x
        on x.kind = p.kind and x.start = p.start and x."end" = p."end" and x.unit_code = u.unit_code
    left join dossier_unit_period as d
        on d.kind = p.kind and d.start = p.start and d."end" = p."end" and d.unit_code = u.unit_code
    left join staff as s on s.unit_code = u.unit_code
    where $units is null or list_contains($units, u.unit_code)
)
select * from final order by unit_code
