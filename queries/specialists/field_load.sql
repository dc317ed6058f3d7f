-- Dossiers per specialist by unit and field: the new dossiers of each field received in the period and
-- the field's specialists in the latest staffing_fields row on or before the period's end.
-- The division (per specialist and month, the "không có cán bộ chuyên môn" flag) is done once in
-- communes/views/specialists.py. Fields are matched by field_key() (34_specialists.sql).
-- Grain: one row per unit and field with new dossiers in the period or specialists on record by $end.
-- Parameters: $start, $end (dates), $units (unit codes, or null for all).
with bounds as (
    select
        cast($start as date) as s,
        least(cast($end as date), cast(dossier_as_of() as date)) as e
),
by_field as (  -- new dossiers: received in [s, e], every channel (summed before the names are keyed)
    select
        k.unit_code,
        k.field,
        sum(k.recv_online + k.recv_direct + k.recv_postal)::bigint as new_dossiers
    from dossier_key_days as k, bounds as b
    where k.day between b.s and b.e
      and ($units is null or list_contains($units, k.unit_code))
    group by all
),
received as (
    select unit_code, field_key(field) as key, min(field) as field, sum(new_dossiers)::bigint as new_dossiers
    from by_field
    group by all
    having sum(new_dossiers) > 0
),
specialists as (  -- the latest row of each unit and field on or before the period's end
    select
        unit_code,
        field_key(field) as key,
        arg_max(field, as_of) as field,
        max(as_of) as as_of,
        arg_max(specialists, as_of) as specialists
    from staffing_fields
    where as_of <= cast($end as date)
      and ($units is null or list_contains($units, unit_code))
    group by all
),
final as (
    select
        coalesce(r.unit_code, s.unit_code) as unit_code,
        coalesce(r.field, s.field) as field,
        coalesce(r.new_dossiers, 0) as new_dossiers,
        s.specialists,
        s.as_of
    from received as r
    full outer join specialists as s on s.unit_code = r.unit_code and s.key = r.key
)
select * from final order by unit_code, field
