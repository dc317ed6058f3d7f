-- Data page: warnings raised while loading (e.g. production ≠ area × yield / 10), with their line.
-- Grain: one row per warning (at most 500). Parameters: none.
with final as (
    select w.dataset, w.file, w.line, w.col, w.value, w.message
    from load_warnings as w
    order by w.dataset, w.line
    limit 500
)
select * from final
