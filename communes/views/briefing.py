"""Data of the briefing (Trình chiếu) and of its PowerPoint deck: one dict, read by
``communes.briefing.slides.build`` for both, so the page, the download and ``python -m communes
briefing`` show the same numbers.

Indicators of the scope come from ``communes.kpi.compute`` (the CLI's ``kpi`` numbers; dossier figures
through ``communes.rollups``: the build-time rollup for a stored period, the macro otherwise), every unit
of the peers from the overview's ``unit_table``, before/after the merger from
``briefing/merger`` (the dossier macro over the two phases), the unit's last site visit from
``communes.views.visits``, and the facts the speaker notes cite
(sample or not, export files) from ``briefing/meta``.
"""
from __future__ import annotations

import json

from communes import comparisons, kpi, rollups, targets
from communes.briefing.scope import resolve, restrict
from communes.views.overview import unit_table
from communes.views.visits import unit_visits


def _meta(run) -> dict:
    df = run("briefing/meta")
    meta = dict(zip(df["key"], df["value"]))
    try:
        files = {f["dataset"]: f["file"] for f in json.loads(meta.get("files") or "[]")}
    except (ValueError, TypeError, KeyError):
        files = {}
    return {"sample": meta.get("sample") == "true", "files": files, "province": meta.get("province")}


def load(run, f, unit: str | None = None) -> dict:
    """Everything the briefing shows for frame ``f`` (period, comparison, scope) or for ``unit``."""
    sc = resolve(f.ref, f.scope, unit)
    stored = rollups.Stored.load(run)
    user = getattr(f, "user", None)
    if user is not None and user.units is not None:  # a unit viewer's briefing holds only their units
        sc = restrict(sc, f.ref, list(user.units))
    meta = _meta(run)
    last_year = f.compare if f.compare_kind == "yoy" else f.period.last_year()
    return {
        "ref": f.ref,
        "lang": f.lang,
        "period": f.period,
        "compare": f.compare,
        "compare_kind": f.compare_kind,
        "compare_monthly": comparisons.of(f.period, f.compare_kind).monthly,  # tourism, fishery: whole months
        "last_year": last_year,  # rice is yearly: always compared with the same period a year earlier
        "as_of": f.as_of,
        "scope": sc,
        "targets": targets.load(),
        "meta": meta,
        "now": kpi.compute(f.period, sc.units, run=run, stored=stored),
        # each kind of data by its own rule (communes.comparisons): whole months for tourism and
        # fishery, the same seasons a year earlier for rice (so "ly" is in "before" already)
        "before": kpi.compute_compared(comparisons.of(f.period, f.compare_kind), sc.units, run=run, stored=stored),
        "ly": None,
        "table": unit_table(run, f.ref, f.period, sc.peers, stored),
        "merger": run("briefing/merger", units=[sc.unit]) if sc.unit else None,
        "visits": unit_visits(run, sc.unit, f.as_of) if sc.unit else None,
    }
