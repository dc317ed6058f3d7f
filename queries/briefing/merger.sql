-- Before and after the merger of 1 July 2025 for a set of units (the briefing's one-unit slide): the
-- Biểu 06 indicators over the 12 months before (1 July 2024 – 30 June 2025) and over the months since
-- (1 July 2025 – the data's as-of day), from the dossier_indicators macro, so rates are recomputed from
-- the phase's counts. Pre-merger dossier rows carry their current unit_code next to former_code, so the
-- former communes of a unit are summed through the official lineage.
-- Grain: one row per phase ('before', 'after'), always both; figures null when the phase has no data.
-- Parameters: $units (list of unit codes; null = all).
with phases as (
    select 'before' as phase, 1 as ord, cast(merger_date() - interval 12 month as date) as start,
        cast(merger_date() - interval 1 day as date) as "end"
    union all
    select 'after', 2, merger_date(), cast(dossier_as_of() as date)
),
before_merger as (
    select 'before' as phase, *
    from dossier_indicators(cast(merger_date() - interval 12 month as date),
                            cast(merger_date() - interval 1 day as date), $units, false)
),
after_merger as (
    select 'after' as phase, *
    from dossier_indicators(merger_date(), cast(dossier_as_of() as date), $units, false)
),
figures as (
    select * from before_merger
    union all by name
    select * from after_merger
),
final as (
    select
        p.phase,
        p.ord,
        p.start,
        p."end",
        x.* exclude (phase, unit_code)
    from phases as p
    left join figures as x on x.phase = p.phase
)
select * from final order by ord
