"""Site visits (Kết luận kiểm tra): what the last visit to a unit found and asked for, and whether it
was done; the city's open items; the units with the most overdue directions.

The rows come from the named queries ``visits/*`` over the build macro ``visit_items_at``
(``queries/build/40_visits.sql``), which holds the one overdue rule: on the data date D (the
dashboard's data date, or the latest date in the follow-up list when later), an item not "Đã hoàn
thành" whose deadline is before D is overdue by D − deadline days; an item without a deadline, or
done, never is. Pages, the briefing and the phone page read the same ``UnitVisits``.

Free text (an item's content, its body in charge) is data from outside: callers show it as text
(``st.dataframe`` cells, or ``html.escape`` inside our own markup), never as Markdown: ``st.table``
renders Markdown in its cells, so it is not used for these.

>>> item = Item(date(2025, 11, 28), "Chỉ đạo", "Giao biên chế", "Sở Nội vụ", date(2025, 12, 31),
...             "Đang thực hiện", None, True, 304)
>>> status_text(item, "vi")
'Quá hạn 304 ngày (hạn 31/12/2025)'
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from communes import fmt
from communes.contract import DONE
from communes.i18n import t
from communes.missing import is_missing

KINDS = {"Chỉ đạo": "direction", "Kiến nghị": "proposal", "Phát hiện": "finding"}
STATUSES = {"Chưa thực hiện": "todo", "Đang thực hiện": "doing", DONE: "done"}
DIRECTION = "Chỉ đạo"


def loaded(meta: dict) -> bool:
    """True when a data version (its ``meta``) was built with a follow-up list of site visits.

    >>> loaded({"files": '[{"dataset": "visits"}]'}), loaded({"files": "[]"}), loaded({})
    (True, False, False)
    """
    try:
        files = json.loads(meta.get("files") or "[]")
    except (ValueError, TypeError):
        return False
    return any(isinstance(x, dict) and x.get("dataset") == "visits" for x in files)


def _date(v) -> date | None:
    return None if is_missing(v) else pd.Timestamp(v).date()


def _text(v) -> str | None:
    return None if is_missing(v) else str(v)


@dataclass(frozen=True)
class Item:
    visit_date: date
    kind: str  # Kiến nghị, Chỉ đạo, Phát hiện (as stored)
    text: str
    owner: str | None
    due: date | None
    status: str  # Chưa thực hiện, Đang thực hiện, Đã hoàn thành (as stored)
    closed_on: date | None
    is_open: bool
    days_overdue: int | None  # None: not overdue (done, no deadline, or deadline not passed)

    @property
    def overdue(self) -> bool:
        return self.days_overdue is not None


@dataclass(frozen=True)
class UnitVisits:
    unit: str
    as_of: date | None  # the data date D the overdue rule was applied on (None: no visit)
    last_visit: date | None
    items: list[Item] = field(default_factory=list)  # the last visit's, open first, most overdue first
    earlier_open: list[Item] = field(default_factory=list)  # open items of the visits before it
    visits: int = 0

    @property
    def open_items(self) -> list[Item]:
        return [i for i in self.items if i.is_open]

    @property
    def overdue_items(self) -> list[Item]:
        return [i for i in self.items + self.earlier_open if i.overdue]


def _item(r: dict) -> Item:
    days = r.get("days_overdue")
    return Item(_date(r["visit_date"]), r["kind"], r["text"], _text(r.get("owner")), _date(r.get("due")),
                r["status"], _date(r.get("closed_on")), bool(r["is_open"]),
                None if is_missing(days) else int(days))


def unit_visits(run, unit: str, as_of: date) -> UnitVisits:
    """The unit's last visit and its items (open first), and the open items of earlier visits.

    ``run`` is a named-query runner (``communes.ui.data`` or ``queries.run`` bound to a connection);
    ``as_of`` the dashboard's data date (the frame's).
    """
    df = run("visits/unit", unit=unit, as_of=as_of)
    if not len(df):
        return UnitVisits(unit, None, None)
    rows = df.to_dict("records")
    last = [_item(r) for r in rows if r["visit_rank"] == 1]
    earlier = [_item(r) for r in rows if r["visit_rank"] > 1 and r["is_open"]]
    earlier.sort(key=lambda i: (-(i.days_overdue or -1), i.due or date.max, i.visit_date))
    return UnitVisits(unit, _date(rows[0]["as_of"]), last[0].visit_date, last, earlier,
                      int(df["visit_date"].nunique()))


# --- words ------------------------------------------------------------------------------------------

def kind_text(kind: str, lang: str) -> str:
    return t(f"visits.kind.{KINDS.get(kind, 'finding')}", lang) if kind in KINDS else kind


def status_text(item: Item, lang: str, with_due: bool = True) -> str:
    """An item's state in words: overdue with its days, or its status with the deadline or completion."""
    if item.overdue:
        if not with_due:
            return t("visits.overdue_short", lang, n=fmt.number(item.days_overdue, lang=lang))
        return t("visits.overdue_days", lang, n=fmt.number(item.days_overdue, lang=lang),
                 due=fmt.date(item.due, lang))
    word = t(f"visits.status.{STATUSES[item.status]}", lang) if item.status in STATUSES else item.status
    if not item.is_open:
        return t("visits.done_on", lang, word=word, date=fmt.date(item.closed_on, lang)) if item.closed_on else word
    if not with_due:
        return word
    if item.due:
        return t("visits.open_due", lang, word=word, due=fmt.date(item.due, lang))
    return t("visits.open_no_due", lang, word=word)


def items_view(items: list[Item], lang: str) -> pd.DataFrame:
    """The items as a table (for the page and the download): kind, content, body in charge, deadline,
    state. Cells are plain text."""
    return pd.DataFrame({
        t("visits.col.kind", lang): [kind_text(i.kind, lang) for i in items],
        t("visits.col.text", lang): [i.text for i in items],
        t("visits.col.owner", lang): [i.owner or "—" for i in items],
        t("visits.col.due", lang): [fmt.date(i.due, lang) if i.due else "—" for i in items],
        t("visits.col.state", lang): [status_text(i, lang) for i in items],
    })


# --- the city: open items, and the units with the most overdue directions ------------------------

def open_items(run, units: list[str] | None, as_of: date) -> pd.DataFrame:
    """Every open item of ``units`` (None: the city), the most overdue first (``visits/open``)."""
    return run("visits/open", units=units, as_of=as_of)


@dataclass(frozen=True)
class VisitsData:
    """What the city's page of site visits shows: every open item of the scope."""
    items: pd.DataFrame  # ``visits/open``: one row per open item, the most overdue first
    as_of: date | None  # the day the overdue rule was applied on (None: no open item)


def load(run, f) -> VisitsData:
    """Every open item of frame ``f``'s scope on its data date."""
    df = open_items(run, f.units, f.as_of)
    return VisitsData(df, _date(df["as_of"].iloc[0]) if len(df) else None)


def open_view(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The city table as shown and downloaded: unit, days overdue (a number, empty when not overdue),
    deadline, status, kind, content, body in charge, visit date. Cells are plain text or numbers."""
    return pd.DataFrame({
        t("col.unit", lang): df["short_name"].tolist(),
        t("visits.col.days", lang): pd.array([None if pd.isna(x) else int(x) for x in df["days_overdue"]],
                                             dtype="Int64"),
        t("visits.col.due", lang): [fmt.date(d, lang) if _date(d) else "—" for d in df["due"]],
        t("visits.col.status", lang): [t(f"visits.status.{STATUSES[s]}", lang) for s in df["status"]],
        t("visits.col.kind", lang): [kind_text(k, lang) for k in df["kind"]],
        t("visits.col.text", lang): df["text"].tolist(),
        t("visits.col.owner", lang): [_text(o) or "—" for o in df["owner"]],
        t("visits.col.visit", lang): [fmt.date(d, lang) for d in df["visit_date"]],
    })


def filter_open(df: pd.DataFrame, owners: list[str], statuses: list[str], overdue_only: bool = False) -> pd.DataFrame:
    """The open items whose body in charge is one of ``owners`` (empty: any; "" stands for none given)
    and whose status is one of ``statuses`` (empty: any).

    >>> df = pd.DataFrame({"owner": ["Sở Nội vụ", None, "UBND phường"], "status": ["Chưa thực hiện",
    ...                    "Đang thực hiện", "Đang thực hiện"], "overdue": [True, False, True]})
    >>> len(filter_open(df, ["Sở Nội vụ", ""], [])), len(filter_open(df, [], ["Đang thực hiện"], True))
    (2, 1)
    """
    keep = pd.Series(True, index=df.index)
    if owners:
        keep &= df["owner"].fillna("").isin(owners)
    if statuses:
        keep &= df["status"].isin(statuses)
    if overdue_only:
        keep &= df["overdue"].astype(bool)
    return df[keep]


@dataclass(frozen=True)
class Overdue:
    directions: int  # overdue directions ("Chỉ đạo") in the scope
    items: int  # every overdue item in the scope
    open_items: int
    as_of: date | None
    top: pd.DataFrame  # unit_code, short_name, overdue_directions, … : units with an overdue direction


def overdue_summary(run, units: list[str] | None, as_of: date, top: int = 5) -> Overdue:
    """The overview's figures: overdue directions in the scope, and the units with the most."""
    df = run("visits/overdue_by_unit", units=units, as_of=as_of)
    if not len(df):
        return Overdue(0, 0, 0, None, df)
    with_dir = df[df["overdue_directions"] > 0]
    return Overdue(int(df["overdue_directions"].sum()), int(df["overdue_items"].sum()), int(df["open_items"].sum()),
                   _date(df["as_of"].iloc[0]), with_dir.head(top).reset_index(drop=True))
