-- Rice indicators (crop "Lúa", every season) for the calendar years a period touches.
-- Grain: one row per unit when $by_unit, else one row for all chosen units (none: no data).
-- Parameters: $start, $end (dates), $units (list of unit codes or null), $by_unit (boolean).
select * from rice_indicators($start, $end, $units, $by_unit)
order by unit_code
