"""Data of the briefing (Trình chiếu) and of its PowerPoint deck: one ``BriefingData``, read by
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
from dataclasses import dataclass
from datetime import date

import pandas as pd

from communes import comparisons, kpi, refdata, rollups, targets
from communes.briefing.scope import Scope, resolve, restrict
from communes.periods import Period
from communes.views.overview import unit_table
from communes.views.visits import UnitVisits, unit_visits


def _meta(run) -> dict:
    df = run("briefing/meta")
    meta = dict(zip(df["key"], df["value"]))
    try:
        files = {f["dataset"]: f["file"] for f in json.loads(meta.get("files") or "[]")}
    except (ValueError, TypeError, KeyError):
        files = {}
    return {"sample": meta.get("sample") == "true", "files": files, "province": meta.get("province")}


@dataclass(frozen=True)
class BriefingData:
    """Everything the briefing shows: the page, the deck and ``python -m communes briefing`` read it."""
    ref: refdata.RefData
    period: Period
    compare: Period  # the dossiers' comparison period
    compare_kind: str  # "prev" or "yoy", as used (a year to date: always "yoy")
    last_year: Period  # rice is yearly: always compared with the same period a year earlier
    as_of: date | None  # the data's latest day
    scope: Scope  # what the briefing is about: the city, a group or one unit, and the peers ranked beside it
    targets: dict  # indicator → ``targets.Target``
    meta: dict  # sample or not, the export files, the province (``briefing/meta``)
    now: dict[str, dict]  # ``kpi.compute``'s figures of the scope
    before: dict[str, dict]  # the same in the comparison, each kind of data by its own rule
    table: pd.DataFrame  # every peer unit with every indicator (``overview/unit_table``)
    lang: str = "vi"
    compare_monthly: Period | None = None  # tourism, fishery: as many whole months as the period
    ly: dict[str, dict] | None = None  # last year's figures when "before" does not hold them already
    merger: pd.DataFrame | None = None  # the unit before and after the merger (a unit's briefing)
    visits: UnitVisits | None = None  # the unit's last site visit (a unit's briefing)


def load(run, f, unit: str | None = None) -> BriefingData:
    """Everything the briefing shows for frame ``f`` (period, comparison, scope) or for ``unit``."""
    sc = resolve(f.ref, f.scope, unit)
    stored = rollups.Stored.load(run)
    user = getattr(f, "user", None)
    if user is not None and user.units is not None:  # a unit viewer's briefing holds only their units
        sc = restrict(sc, f.ref, list(user.units))
    meta = _meta(run)
    last_year = f.compare if f.compare_kind == "yoy" else f.period.last_year()
    return BriefingData(
        ref=f.ref,
        lang=f.lang,
        period=f.period,
        compare=f.compare,
        compare_kind=f.compare_kind,
        compare_monthly=comparisons.of(f.period, f.compare_kind).monthly,
        last_year=last_year,
        as_of=f.as_of,
        scope=sc,
        targets=targets.load(),
        meta=meta,
        now=kpi.compute(f.period, sc.units, run=run, stored=stored),
        # each kind of data by its own rule (communes.comparisons): whole months for tourism and
        # fishery, the same seasons a year earlier for rice (so "ly" is in "before" already)
        before=kpi.compute_compared(comparisons.of(f.period, f.compare_kind), sc.units, run=run, stored=stored),
        table=unit_table(run, f.ref, f.period, sc.peers, stored),
        merger=run("briefing/merger", units=[sc.unit]) if sc.unit else None,
        visits=unit_visits(run, sc.unit, f.as_of) if sc.unit else None,
    )
