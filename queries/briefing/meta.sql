-- Facts about the loaded data version for the briefing's speaker notes: whether it is the sample, the
-- export files with their checksums, the province, the fingerprint.
-- Grain: one row per key of the build's meta table. Parameters: none.
with final as (
    select key, value
    from meta
)
select * from final order by key
