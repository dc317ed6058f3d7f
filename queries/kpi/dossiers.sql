-- Dossier indicators (Biểu 06) for a period and a set of units.
-- Grain: one row per unit when $by_unit, else one row for all chosen units (none: no data).
-- Parameters: $start, $end (dates), $units (list of unit codes, or null for all), $by_unit (boolean).
select * from dossier_indicators($start, $end, $units, $by_unit)
order by unit_code
