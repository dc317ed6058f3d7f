-- Tourism of every unit of the scope for a period, and of the scope together (the KPI cards), with
-- each unit's share of the city total (tourism_indicators, as communes.kpi).
-- Grain: one row per current unit of the scope, then one row for the scope (unit_code null) when it
-- has tourism rows; a unit without tourism rows has null figures (no data, never 0) and no share.
-- Parameters: $start, $end (dates), $units (list of unit codes, or null for all).
with per_unit as (
    select * from tourism_indicators($start, $end, $units, true)
),
scope as (
    select * from tourism_indicators($start, $end, $units, false)
),
city as (
    select * from tourism_indicators($start, $end, null, false)
),
units as (
    select
        u.unit_code,
        u.unit_name,
        u.short_name,
        u.unit_type,
        p.visitors_domestic,
        p.visitors_international,
        p.visitors,
        p.overnight_guests,
        p.revenue_vnd,
        p.revenue_per_visitor_vnd,
        rate(p.visitors, c.visitors) as visitors_share,
        rate(p.revenue_vnd, c.revenue_vnd) as revenue_share
    from ref_units as u
    left join per_unit as p using (unit_code)
    left join city as c on true
    where $units is null or list_contains($units, u.unit_code)
),
total as (
    select
        cast(null as varchar) as unit_code,
        cast(null as varchar) as unit_name,
        cast(null as varchar) as short_name,
        cast(null as varchar) as unit_type,
        s.visitors_domestic,
        s.visitors_international,
        s.visitors,
        s.overnight_guests,
        s.revenue_vnd,
        s.revenue_per_visitor_vnd,
        rate(s.visitors, c.visitors) as visitors_share,
        rate(s.revenue_vnd, c.revenue_vnd) as revenue_share
    from scope as s
    left join city as c on true
),
final as (
    select * from units
    union all
    select * from total
)
select * from final
order by unit_code nulls last
