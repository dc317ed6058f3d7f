"""Data of the briefing (Trình chiếu) and of its PowerPoint deck: one dict, read by
``communes.briefing.slides.build`` for both, so the page, the download and ``python -m communes
briefing`` show the same numbers.

Indicators of the scope come from ``communes.kpi.compute`` (the CLI's ``kpi`` numbers), every unit
of the peers from the named query ``overview/unit_table``, before/after the merger from
``briefing/merger`` (the dossier macro over the two phases), and the facts the speaker notes cite
(sample or not, export files) from ``briefing/meta``.
"""
from __future__ import annotations

import json
from datetime import date

import pandas as pd

from communes import kpi, targets
from communes.briefing.scope import Scope, resolve, restrict


def _meta(run) -> dict:
    df = run("briefing/meta")
    meta = dict(zip(df["key"], df["value"]))
    try:
        files = {f["dataset"]: f["file"] for f in json.loads(meta.get("files") or "[]")}
    except (ValueError, TypeError, KeyError):
        files = {}
    as_of = meta.get("dossier_as_of")
    return {"sample": meta.get("sample") == "true", "files": files,
            "as_of": date.fromisoformat(as_of) if as_of else None, "province": meta.get("province")}


def peer_table(run, ref, period, sc: Scope) -> pd.DataFrame:
    """Every unit of ``sc.peers`` with every indicator (null where it has no rows) and its short name."""
    df = run("overview/unit_table", start=period.start, end=period.end, units=sc.peers)
    names = ref.units[["unit_code", "short_name"]]
    return df.merge(names, on="unit_code", how="left")


def load(run, f, unit: str | None = None) -> dict:
    """Everything the briefing shows for frame ``f`` (period, comparison, scope) or for ``unit``."""
    sc = resolve(f.ref, f.scope, unit)
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
        "last_year": last_year,  # rice is yearly: always compared with the same period a year earlier
        "as_of": f.as_of,
        "scope": sc,
        "targets": targets.load(),
        "meta": meta,
        "now": kpi.compute(f.period, sc.units, run=run),
        "before": kpi.compute(f.compare, sc.units, run=run),
        "ly": kpi.compute(last_year, sc.units, run=run) if last_year != f.compare else None,
        "table": peer_table(run, f.ref, f.period, sc),
        "merger": run("briefing/merger", units=[sc.unit]) if sc.unit else None,
    }
