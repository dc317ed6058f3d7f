-- Before and after the merger per unit, read from the build-time rollup merger_unit_phase
-- (queries/build/33_profile.sql: before = the 12 months before 1 July 2025, after = since then,
-- after_ly = the same days a year earlier; dossier, tourism and fishery macros over each phase).
-- tourism_months and fishery_months count the phase's months holding that dataset's data (for
-- per-month figures). Null figures: no data in the phase, never zero.
-- Grain: one row per phase and unit of $units. Parameters: $units (unit codes, or null for all).
with final as (
    select *
    from merger_unit_phase
    where $units is null or list_contains($units, unit_code)
)
select * from final order by unit_code, ord
