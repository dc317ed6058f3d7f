-- Data page: per dataset, the rows loaded and the period they cover (first and last day).
-- Grain: one row per dataset of the contract (0 rows and null dates when it has no export).
-- Parameters: none.
with spans as (
    select 'dossiers' as dataset, count(*) as n_rows,
           min(received_at)::date as period_from, max(received_at)::date as period_to
    from dossiers
    union all
    select 'tourism', count(*), min(month), last_day(max(month)) from tourism
    union all
    select 'agriculture', count(*), make_date(min(year), 1, 1), make_date(max(year), 12, 31) from agriculture
    union all
    select 'fishery', count(*), min(month), last_day(max(month)) from fishery
    union all
    select 'staffing', count(*), min(as_of), max(as_of) from staffing
    union all
    select 'staffing_fields', count(*), min(as_of), max(as_of) from staffing_fields
    union all
    select 'units', count(*), cast(null as date), cast(null as date) from units
    union all
    select 'events', count(*), min(date), max(date) from events
    union all
    select 'visits', count(*), min(visit_date), max(greatest(visit_date, coalesce(closed_on, visit_date))) from visits
),
final as (
    select dataset, n_rows, period_from, period_to from spans
)
select * from final
