-- One unit's visit items (every visit), for the profile, the phone page and the briefing: the last
-- visit first, within a visit the open items first, the most overdue first, then by deadline and by
-- the row's order in the follow-up list. Open and overdue follow the rule of build/40_visits.sql.
-- Grain: one row per item. Parameters: $unit (unit code), $as_of (the dashboard's data date).
with items as (
    select * from visit_items_at($as_of) where unit_code = $unit
),
final as (
    select visit_date, visit_rank, kind, text, owner, due, status, closed_on, is_open, overdue,
           days_overdue, as_of, source_row
    from items
)
select * from final
order by visit_rank, is_open desc, days_overdue desc nulls last, due nulls last, source_row
