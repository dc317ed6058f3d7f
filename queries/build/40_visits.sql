-- Site visits: what each visit found and asked for, and whether it was done (the optional `visits`
-- export, one row per item; a later list's row for the same (visit_date, unit, text) has already
-- replaced its earlier self when the list was uploaded).
--
-- The overdue rule, defined here once and read by the profile, the overview, the city table, the
-- briefing and the phone page:
--   the data date D is the dashboard's data date (the caller's as_of: the latest dossier time), or
--     the latest date written in the follow-up list (a visit or a completion) when that is later;
--   an item is open while its status is not "Đã hoàn thành";
--   an open item with a deadline is overdue when its deadline is before D (the deadline day itself
--     is still in time), by D − deadline days (due 30/10, D = 31/10: 1 day overdue);
--   an item without a deadline, or done, is never overdue.

-- The latest date the follow-up list itself mentions (null without a list).
create or replace table visits_latest_t as
select max(greatest(visit_date, coalesce(closed_on, visit_date))) as latest from visits;

create or replace macro visits_as_of(d) as
    greatest(cast(d as date), (select latest from visits_latest_t));

-- Every item with the unit's names, whether it is open, its days overdue on the data date, and the
-- rank of its visit among the unit's visits (1 = the last visit).
-- Grain: one row per item. Parameter d: the dashboard's data date.
create or replace macro visit_items_at(d) as table
with dated as (
    select visits_as_of(d) as as_of
),
items as (
    select
        v.unit_code,
        u.short_name,
        u.unit_name,
        v.visit_date,
        v.kind,
        v.text,
        v.owner,
        v.due,
        v.status,
        v.closed_on,
        v.status is distinct from 'Đã hoàn thành' as is_open,
        x.as_of,
        case when v.status is distinct from 'Đã hoàn thành' and v.due < x.as_of
             then date_diff('day', v.due, x.as_of) end as days_overdue,
        dense_rank() over (partition by v.unit_code order by v.visit_date desc) as visit_rank,
        v.source_row
    from visits as v
    cross join dated as x
    left join ref_units as u using (unit_code)
),
final as (
    select *, days_overdue is not null as overdue from items
)
select * from final;
