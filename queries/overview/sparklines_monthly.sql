-- The last $months months of one tourism or fishery indicator for every unit of the scope, for the
-- ranking's sparklines: the dataset's macro per month. A month without a row is null (no data).
-- Grain: one row per unit and month. Parameters: $end (a date in the last month), $months (how many),
-- $metric (visitors, revenue_vnd, aquaculture_tonnes or capture_tonnes), $units (unit codes, or null).
with m as (
    select
        cast(date_trunc('month', cast($end as date)) - to_months(i) as date) as start,
        last_day(cast(date_trunc('month', cast($end as date)) - to_months(i) as date)) as "end"
    from range(0, $months) as r(i)
),
units as (
    select unit_code from ref_units where $units is null or list_contains($units, unit_code)
),
t as (
    select m.start, x.unit_code, x.visitors, x.revenue_vnd
    from m, lateral (select * from tourism_indicators(m.start, m."end", $units, true)) as x
    where $metric in ('visitors', 'revenue_vnd')
),
f as (
    select m.start, x.unit_code, x.aquaculture_tonnes, x.capture_tonnes
    from m, lateral (select * from fishery_indicators(m.start, m."end", $units, true)) as x
    where $metric in ('aquaculture_tonnes', 'capture_tonnes')
),
final as (
    select
        u.unit_code,
        m.start as month,
        cast(case $metric
            when 'visitors' then t.visitors
            when 'revenue_vnd' then t.revenue_vnd
            when 'aquaculture_tonnes' then f.aquaculture_tonnes
            when 'capture_tonnes' then f.capture_tonnes
        end as double) as value
    from units as u
    cross join m
    left join t on t.unit_code = u.unit_code and t.start = m.start
    left join f on f.unit_code = u.unit_code and f.start = m.start
)
select * from final order by unit_code, month
