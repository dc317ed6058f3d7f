-- Monthly Biểu 06 indicators per unit (new dossiers by channel, received, overdue, the rates) from $start
-- to the data's as-of month, read from the build-time rollup dossier_unit_period
-- (queries/build/31_dossiers.sql: the dossier_indicators macro per month).
-- Every unit of $units gets every month; a month without any dossier of the unit has null figures
-- (no data, not zero).
-- Grain: one row per unit and month. Parameters: $start (first month), $units (unit codes, or null for all).
with months as (
    select start as month
    from dossier_periods
    where kind = 'month' and start >= $start
),
units as (
    select unit_code
    from ref_units
    where $units is null or list_contains($units, unit_code)
),
final as (
    select
        m.month,
        u.unit_code,
        x.new_online,
        x.new_direct,
        x.new_postal,
        x.received,
        x.pending_overdue,
        x.on_time_rate,
        x.online_rate,
        x.digitized_rate,
        x.overdue_rate,
        x.satisfaction_rate
    from months as m
    cross join units as u
    left join dossier_unit_period as x
        on x.kind = 'month' and x.start = m.month and x.unit_code = u.unit_code
)
select * from final order by unit_code, month
