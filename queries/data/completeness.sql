-- Reporting completeness: how many rows each unit reported per month, for the monthly datasets
-- (dossiers received, tourism rows, fishery rows). A unit and month without a row has not reported.
-- Grain: one row per dataset, unit and month that has at least one row.
-- Parameters: $start, $end (dates; the months whose first day lies in [start, end]).
with dossier_months as (
    select
        'dossiers' as dataset,
        d.unit_code,
        date_trunc('month', d.day)::date as month,
        sum(d.recv_online + d.recv_direct + d.recv_postal) as n_rows
    from dossier_days as d
    where d.day >= $start and d.day <= last_day($end)
    group by all
    having sum(d.recv_online + d.recv_direct + d.recv_postal) > 0
),
tourism_months as (
    select 'tourism' as dataset, t.unit_code, t.month, t.source_rows as n_rows
    from tourism_unit_month as t
    where t.month >= $start and t.month <= $end
),
fishery_months as (
    select 'fishery' as dataset, f.unit_code, f.month, f.source_rows as n_rows
    from fishery_unit_month as f
    where f.month >= $start and f.month <= $end
),
final as (
    select * from dossier_months
    union all
    select * from tourism_months
    union all
    select * from fishery_months
)
select * from final
