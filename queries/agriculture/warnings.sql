-- Load warnings of the agriculture export (production not within 2 % of area × yield / 10), with
-- the row each one is about, so the page can show which figures to question.
-- A warning's line is the editor line; a loaded row's source_row counts data records only (blank
-- lines skipped), so it can be smaller. The row is the closest one at or before the line whose
-- production is the warning's value (read as 1234.5, 1.234,5 or 1,234.5).
-- Grain: one row per warning (file, line); the row's unit, year, season, crop and values when found,
-- nulls otherwise. Unit names come from the reference data.
-- Parameters: none.
with w as (
    select
        *,
        [try_cast(trim(value) as double),
         try_cast(replace(replace(trim(value), '.', ''), ',', '.') as double),
         try_cast(replace(trim(value), ',', '') as double)] as readings
    from load_warnings
    where dataset = 'agriculture'
),
matched as (
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
    from w
    left join agriculture as a
        on a.source_row <= w.line
        and list_contains(w.readings, a.production_tonnes)
    qualify row_number() over (partition by w.file, w.line order by a.source_row desc nulls last) = 1
),
final as (
    select * from matched
)
select * from final
order by file, line
