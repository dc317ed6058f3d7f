-- City-wide events (rows of the events export without a unit) that explain the curves.
-- Grain: one row per city-wide event dated in [$start, $end]. The merger (1 July 2025) is marked
-- by the charts whether or not it is listed here.
-- Parameters: $start, $end (dates).
with final as (
    select
        e.date,
        e.label
    from events as e
    where e.unit_code is null
      and e.date between cast($start as date) and cast($end as date)
)
select * from final
order by date, label
