-- Events to mark on time-series charts: city-wide ones (no unit) and, when $unit is given, that unit's own.
-- Grain: one row per event. Parameters: $unit (unit code, or null for city-wide events only).
with final as (
    select date, label, unit_code
    from events
    where unit_code is null or unit_code = $unit
)
select * from final order by date, label
