-- The span the loaded data covers, for the period controls and the freshness line.
-- Grain: one row. Parameters: none.
with spans as (
    select min(received_at)::date as first_day, cast(dossier_as_of() as date) as last_day from dossiers
    union all select min(month), last_day(max(month)) from tourism_unit_month
    union all select min(month), last_day(max(month)) from fishery_unit_month
),
final as (
    select
        date_trunc('month', min(first_day))::date as first_month,
        coalesce((select cast(dossier_as_of() as date)), max(last_day)) as as_of
    from spans
)
select * from final
