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
        d.received,
        d.resolved,
        d.on_time_rate,
        d.online_rate,
        d.digitized_rate,
        d.pending_overdue,
        d.overdue_rate,
        d.satisfaction_rate,
        t.visitors,
        t.revenue_vnd,
        r.rice_area_ha,
        r.rice_production_tonnes,
        r.rice_yield_quintal_per_ha,
        f.aquaculture_tonnes,
        f.capture_tonnes,
        d.new_online,
        d.new_direct,
        d.new_postal,
        d.carried_over,
        d.resolved_early,
        d.resolved_on_time,
        d.resolved_late,
        d.pending_in_time,
        d.pending,
        d.new_digitized,
        d.resolved_rated,
        d.resolved_satisfied,
        d.resolved_unsatisfied,
        t.visitors_domestic,
        t.visitors_international,
        t.overnight_guests
    from ref_units as u
    left join d using (unit_code)
    left join t using (unit_code)
    left join r using (unit_code)
    left join f using (unit_code)
    where $units is null or list_contains($units, u.unit_code)
)
select * from final order by unit_code
