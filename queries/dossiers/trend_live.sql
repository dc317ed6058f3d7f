-- Monthly Biểu 06 indicators of any set of units from $start to the data's as-of month, computed live
-- with the indicator macro (slower than dossiers/trend; used for sets of units that are not a kept scope).
-- Grain: one row per month with dossiers. Parameters: $start (first month), $units (unit codes, or null for all).
with months as (
    select start, "end" from dossier_periods where kind = 'month' and start >= $start
),
final as (
    select m.start as month, x.* exclude (unit_code)
    from months as m,
        lateral (select * from dossier_indicators(m.start, m."end", $units, false)) as x
)
select * from final order by month
