-- Monthly Biểu 06 indicators of any set of units together, from $start to the data's as-of month, computed
-- live with the indicator macro; a stored scope is read from dossiers/trend_stored instead (communes/rollups.py).
-- A month without any dossier of the units has has_data false and null figures (no data, not zero).
-- Grain: one row per month. Parameters: $start (first month), $units (unit codes, or null for all).
with months as (
    select start, "end" from dossier_periods where kind = 'month' and start >= $start
),
computed as (
    select m.start as month, x.* exclude (unit_code)
    from months as m,
        lateral (select * from dossier_indicators(m.start, m."end", $units, false)) as x
),
final as (
    select m.start as month, c.month is not null as has_data, c.* exclude (month)
    from months as m
    left join computed as c on c.month = m.start
)
select * from final order by month
