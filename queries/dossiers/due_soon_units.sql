-- "Sắp đến hạn" per unit at the data's as-of day (dossiers_due_soon, 21_due_soon.sql), beside the
-- dossiers pending and overdue at the same instant, the end of that day: Biểu 06's pending and
-- pending_overdue of any period ending on the as-of day, counted over dossier_open_rows (the dossiers
-- pending then, by the rule of dossiers_pending in 20_indicators.sql; tests/test_due_soon.py checks them
-- against communes.kpi.compute). Most due soon first.
-- Grain: one row per unit of $units (every unit when null) with any dossier pending at the as-of day.
-- Parameters: $until (date: the last working day counted), $units (list of unit codes, or null).
with counts as (
    select unit_code, count(*) filter (where overdue) as pending_overdue, count(*) as pending
    from dossier_open_rows
    where $units is null or list_contains($units, unit_code)
    group by unit_code
),
soon as (
    select unit_code, count(*) as due_soon
    from dossiers_due_soon($until)
    where $units is null or list_contains($units, unit_code)
    group by unit_code
),
final as (
    select
        c.unit_code,
        coalesce(s.due_soon, 0)::bigint as due_soon,
        c.pending_overdue::bigint as pending_overdue,
        c.pending::bigint as pending
    from counts as c
    left join soon as s using (unit_code)
)
select * from final order by due_soon desc, pending_overdue desc, unit_code
