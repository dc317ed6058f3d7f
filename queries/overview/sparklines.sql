-- The last $months months of one dossier indicator for every unit of the scope, for the ranking's
-- sparklines: the Biểu 06 macro per month, from the build-time monthly rollup (31_dossiers.sql).
-- A month in which a unit has no dossier is null (no data), never 0.
-- Grain: one row per unit and month. Parameters: $end (a date in the last month), $months (how many),
-- $metric (a dossier indicator of communes.kpi.KEYS), $units (unit codes, or null for all).
with m as (
    select cast(date_trunc('month', cast($end as date)) - to_months(i) as date) as start
    from range(0, $months) as r(i)
),
units as (
    select unit_code from ref_units where $units is null or list_contains($units, unit_code)
),
d as (
    select * from dossier_unit_period where kind = 'month'
),
final as (
    select
        u.unit_code,
        m.start as month,
        cast(case $metric
            when 'received' then d.received
            when 'resolved' then d.resolved
            when 'pending' then d.pending
            when 'pending_overdue' then d.pending_overdue
            when 'on_time_rate' then d.on_time_rate
            when 'online_rate' then d.online_rate
            when 'digitized_rate' then d.digitized_rate
            when 'overdue_rate' then d.overdue_rate
            when 'satisfaction_rate' then d.satisfaction_rate
        end as double) as value
    from units as u
    cross join m
    left join d on d.unit_code = u.unit_code and d.start = m.start
)
select * from final order by unit_code, month
