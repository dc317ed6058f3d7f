-- Load warnings of the agriculture export (production not within 2 % of area × yield / 10), with
-- the row each one is about, so the page can show which figures to question.
-- Grain: one row per warning (file, line); the row's unit, year, season, crop and values when the
-- line matches a loaded row (source_row), nulls otherwise. Unit names come from the reference data.
-- Parameters: none.
with final as (
    select
        w.file,
        w.line,
        a.unit_code,
        a.unit_label,
        a.year,
        a.season,
        a.crop,
        a.area_ha,
        a.yield_quintal_per_ha,
        a.production_tonnes,
        w.value,
        w.message
    from load_warnings as w
    left join agriculture as a on a.source_row = w.line
    where w.dataset = 'agriculture'
)
select * from final
order by file, line
