-- Events to mark on a unit's time series: the city-wide ones (no unit) and the unit's own.
-- Grain: one row per event. Parameters: $unit (unit code).
with final as (
    select date, label, unit_code
    from events
    where unit_code is null or unit_code = $unit
)
select * from final order by date, label
