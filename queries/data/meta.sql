-- Data page: the loaded version's metadata (fingerprint, build time, sample flag, files as JSON).
-- Grain: one row per key. Parameters: none.
with final as (
    select m.key, m.value from meta as m
)
select * from final
