-- "Sắp đến hạn" per unit at the data's as-of day (dossiers_due_soon, 21_due_soon.sql), beside the
-- dossiers already overdue and all pending ones at the same day (Biểu 06's pending_overdue and pending
-- of dossier_counts for that day), most due soon first.
-- Grain: one row per unit of $units (every unit when null) with any dossier pending at the as-of day.
-- Parameters: $until (date: the last working day counted), $units (list of unit codes, or null).
with today as (
    select cast(dossier_as_of() as date) as day
),
soon as (
    select unit_code, count(*) as due_soon
    from dossiers_due_soon($until)
    group by unit_code
),
counts as (
    select unit_code, pending, pending_overdue
    from dossier_counts((select day from today), (select day from today))
),
final as (
    select
        c.unit_code,
        coalesce(s.due_soon, 0)::bigint as due_soon,
        c.pending_overdue::bigint as pending_overdue,
        c.pending::bigint as pending
    from counts as c
    left join soon as s using (unit_code)
    where (c.pending > 0 or s.due_soon > 0)
      and ($units is null or list_contains($units, c.unit_code))
)
select * from final order by due_soon desc, pending_overdue desc, unit_code
