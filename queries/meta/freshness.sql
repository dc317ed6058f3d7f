-- Per dataset: rows loaded and the latest date the data covers.
-- Grain: one row per dataset. Parameters: none.
with final as (
    select 'dossiers' as dataset, count(*) as rows, cast(dossier_as_of() as date) as covers_to from dossiers
    union all select 'tourism', count(*), last_day(max(month)) from tourism
    union all select 'agriculture', count(*), make_date(max(year), 12, 31) from agriculture
    union all select 'fishery', count(*), last_day(max(month)) from fishery
    union all select 'staffing', count(*), max(as_of) from staffing
    union all select 'staffing_fields', count(*), max(as_of) from staffing_fields
    union all select 'units', count(*), null from units
    union all select 'events', count(*), max(date) from events
    union all select 'visits', count(*), max(greatest(visit_date, coalesce(closed_on, visit_date))) from visits
)
select * from final
