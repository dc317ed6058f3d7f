"""The phone page's "Kết luận kiểm tra" (``/m/{unit}``): the unit's last site visit and its items, open
first, overdue ones marked with their days, then the items still open from earlier visits. The same
``communes.views.visits.UnitVisits`` as the desktop profile; the template escapes every text."""
from __future__ import annotations

from datetime import date

from communes import fmt
from communes.i18n import t
from communes.views import visits as vv

CLASSES = {"Đang thực hiện": "doing", "Chưa thực hiện": "todo"}


def _item(i: vv.Item, lang: str) -> dict:
    cls = "overdue" if i.overdue else "done" if not i.is_open else CLASSES.get(i.status, "todo")
    return {"kind": vv.kind_text(i.kind, lang), "text": i.text, "owner": i.owner or "",
            "state": vv.status_text(i, lang), "cls": cls}


def section(run, meta: dict, unit: str, as_of: date, lang: str) -> dict | None:
    """What the template shows: None when no follow-up list is loaded (the light page leaves the section
    out), a note when the unit has no visit, else the last visit's line, its items and the earlier open
    ones, and the data date of the overdue rule."""
    if not vv.loaded(meta):
        return None
    u = vv.unit_visits(run, unit, as_of)
    if u.last_visit is None:
        return {"note": t("visits.none", lang), "items": [], "earlier": []}
    overdue = sum(1 for i in u.items if i.overdue)
    return {
        "note": "",
        "last": t("visits.last", lang, date=fmt.date(u.last_visit, lang), n=fmt.number(len(u.items), lang=lang),
                  open=fmt.number(len(u.open_items), lang=lang), overdue=fmt.number(overdue, lang=lang)),
        "items": [_item(i, lang) for i in u.items],
        "earlier_title": t("visits.earlier", lang, n=fmt.number(len(u.earlier_open), lang=lang)),
        "earlier": [_item(i, lang) for i in u.earlier_open],
        "as_of": t("visits.as_of", lang, date=fmt.date(u.as_of, lang)),
        "owner_label": t("visits.col.owner", lang),
    }
