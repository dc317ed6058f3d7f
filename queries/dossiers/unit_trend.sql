-- Monthly Biểu 06 indicators of one unit from $start to the data's as-of month (build-time rollup);
-- a month without any dossier of the unit has null figures (no data, not zero).
-- Grain: one row per month. Parameters: $unit (unit code), $start (first month).
with months as (
    select start from dossier_periods where kind = 'month' and start >= $start
),
final as (
    select m.start as month, u.* exclude (kind, start, "end")
    from months as m
    left join dossier_unit_period as u on u.kind = 'month' and u.start = m.start and u.unit_code = $unit
)
select * from final order by month
