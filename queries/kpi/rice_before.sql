-- Rice's comparison for a period: the same seasons of each year it touches, one year earlier, unit by
-- unit (rice_indicators_year_before). The period's own dates are passed, not the comparison's.
-- Grain: one row per unit when $by_unit, else one row for all chosen units (none: no data).
-- Parameters: $start, $end (dates of the period shown), $units (list of unit codes or null), $by_unit (boolean).
select * from rice_indicators_year_before($start, $end, $units, $by_unit)
order by unit_code
