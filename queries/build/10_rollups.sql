-- Rollups the pages read instead of raw rows. Built once per database version.
-- Pre-merger rows of former communes are summed into their current unit here;
-- the per-former-commune grain stays in the staging tables.

create or replace table tourism_unit_month as
with final as (
    select
        unit_code,
        month,
        sum(visitors_domestic) as visitors_domestic,
        sum(visitors_international) as visitors_international,
        sum(overnight_guests) as overnight_guests,
        sum(revenue_vnd) as revenue_vnd,
        count(*) as source_rows
    from tourism
    group by all
)
select * from final order by month, unit_code;

create or replace table fishery_unit_month as
with final as (
    select
        unit_code,
        month,
        coalesce(sum(output_tonnes) filter (where kind = 'Nuôi trồng'), 0) as aquaculture_tonnes,
        coalesce(sum(output_tonnes) filter (where kind = 'Khai thác'), 0) as capture_tonnes,
        sum(area_ha) filter (where kind = 'Nuôi trồng') as aquaculture_area_ha,
        count(*) as source_rows
    from fishery
    group by all
)
select * from final order by month, unit_code;

create or replace table agriculture_unit_season as
with final as (
    select
        unit_code,
        year,
        season,
        crop,
        sum(area_ha) as area_ha,
        sum(production_tonnes) as production_tonnes,
        count(*) as source_rows
    from agriculture
    group by all
)
select * from final order by year, unit_code;
