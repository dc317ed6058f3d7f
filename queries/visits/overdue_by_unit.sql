-- Per unit with any open item: its overdue directions ("Chỉ đạo") and the longest overdue of them, all
-- its overdue items and all its open items, for the overview; the most overdue directions first.
-- Open and overdue follow the rule of build/40_visits.sql.
-- Grain: one row per unit with an open item. Parameters: $units (unit codes, or null for all),
-- $as_of (the dashboard's data date).
with items as (
    select * from visit_items_at($as_of)
    where is_open and ($units is null or list_contains($units, unit_code))
),
final as (
    select
        unit_code,
        any_value(short_name) as short_name,
        count(*) filter (where overdue and kind = 'Chỉ đạo') as overdue_directions,
        count(*) filter (where overdue) as overdue_items,
        count(*) as open_items,
        max(days_overdue) filter (where kind = 'Chỉ đạo') as max_days_direction,
        any_value(as_of) as as_of
    from items
    group by unit_code
)
select * from final
order by overdue_directions desc, overdue_items desc, short_name
