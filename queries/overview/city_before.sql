-- Tourism, rice and fishery of a set of units in the comparison of a period (communes.comparisons):
-- tourism and fishery over the whole months $m_start–$m_end (as many as the period counts), rice over
-- the same seasons a year earlier (rice_indicators_year_before of the period's own dates).
-- Grain: one row (every column null when a dataset has no row for the units and period).
-- Parameters: $start, $end (dates of the period shown), $m_start, $m_end (the months compared with),
-- $units (unit codes, or null for all).
with t as (select * exclude (unit_code) from tourism_indicators($m_start, $m_end, $units, false)),
r as (select * exclude (unit_code) from rice_indicators_year_before($start, $end, $units, false)),
f as (select * exclude (unit_code) from fishery_indicators($m_start, $m_end, $units, false)),
final as (
    select t.*, r.*, f.*
    from (select 1) as one
    left join t on true
    left join r on true
    left join f on true
)
select * from final
