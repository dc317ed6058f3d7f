-- Every open item of the follow-up list (status not "Đã hoàn thành"), for the city table: the most
-- overdue first, then by deadline. Open and overdue follow the rule of build/40_visits.sql.
-- Grain: one row per open item. Parameters: $units (unit codes, or null for all), $as_of (the
-- dashboard's data date).
with items as (
    select * from visit_items_at($as_of)
    where is_open and ($units is null or list_contains($units, unit_code))
),
final as (
    select unit_code, short_name, unit_name, visit_date, kind, text, owner, due, status, overdue,
           days_overdue, as_of, source_row
    from items
)
select * from final
order by days_overdue desc nulls last, due nulls last, short_name, visit_date, source_row
