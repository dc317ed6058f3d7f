-- Biểu 06 indicators per unit and field (lĩnh vực) for any period, computed live: the indicator macro over
-- the rows keyed by "unit_code|field" (a CTE that shadows a table the macro reads is what it reads while
-- in scope; see queries/build/31_dossiers.sql). A stored period is read from dossiers/field_unit_stored
-- instead (communes/rollups.py).
-- Grain: one row per unit and field with dossiers in the period.
-- Parameters: $start, $end (dates), $units (unit codes, or null for all).
with dossiers as (
    select * replace (unit_code || '|' || field as unit_code) from main.dossiers
),
dossier_days as (
    select unit_field as unit_code, * exclude (unit_code, field, unit_field) from main.dossier_field_days
),
computed as (
    select * from dossier_indicators($start, $end, null, true)
),
split as (
    select
        split_part(unit_code, '|', 1) as unit_code,
        substr(unit_code, length(split_part(unit_code, '|', 1)) + 2) as field,
        * exclude (unit_code)
    from computed
),
final as (
    select * from split where $units is null or list_contains($units, unit_code)
)
select * from final order by unit_code, field
