"""Site visits drawn in Streamlit: the profile's "Kết luận kiểm tra" section and the overview's line on
overdue directions (the city table is ``pages/visits.py``). Data from ``communes.views.visits``.

Every piece of free text (an item's content, its body in charge) is escaped into our own markup with
``html.escape``, so it shows as the text it is: never HTML, never Markdown.
"""
from __future__ import annotations

import html

import streamlit as st

from communes import fmt, ui
from communes.i18n import t
from communes.views import visits as vv

CSS = """<style>
.visits {display: flex; flex-direction: column; gap: .45rem; margin: .2rem 0 .6rem}
.visit-item {border: 1px solid rgba(128,128,128,.3); border-left: .35rem solid #8A8A8A; border-radius: .35rem;
  padding: .4rem .7rem; background: rgba(128,128,128,.05)}
.visit-item.doing {border-left-color: #D9840B}
.visit-item.overdue {border-left-color: #D43C3C; background: rgba(212,60,60,.07)}
.visit-item.done {border-left-color: #2E8B3A; opacity: .75}
.visit-item .vh {display: flex; flex-wrap: wrap; gap: .2rem .8rem; font-size: .85rem; opacity: .9}
.visit-item .vk {font-weight: 700}
.visit-item.overdue .vs {color: #D43C3C; font-weight: 700}
.visit-item .vt {white-space: pre-wrap; overflow-wrap: anywhere; margin: .1rem 0}
.visit-item .vo {font-size: .85rem; opacity: .8}
@media print {.visit-item {break-inside: avoid}}
</style>"""


def _e(x) -> str:
    return html.escape(str(x), quote=True)


def _css_class(item: vv.Item) -> str:
    if item.overdue:
        return "overdue"
    if not item.is_open:
        return "done"
    return "doing" if item.status == "Đang thực hiện" else "todo"


def items_html(items: list[vv.Item], lang: str) -> str:
    """The items as a list of cards; overdue ones marked (red) with their days overdue.

    >>> from datetime import date
    >>> i = vv.Item(date(2025, 11, 28), "Phát hiện", "<b>**x**</b>", None, None, "Chưa thực hiện", None, True, None)
    >>> "&lt;b&gt;**x**&lt;/b&gt;" in items_html([i], "vi")
    True
    """
    owner_label = t("visits.col.owner", lang)
    parts = []
    for i in items:
        owner = f'<div class="vo">{_e(owner_label)}: {_e(i.owner)}</div>' if i.owner else ""
        parts.append(f'<div class="visit-item {_css_class(i)}"><div class="vh"><span class="vk">'
                     f'{_e(vv.kind_text(i.kind, lang))}</span><span class="vs">{_e(vv.status_text(i, lang))}</span>'
                     f'</div><div class="vt">{_e(i.text)}</div>{owner}</div>')
    return f'<div class="visits">{"".join(parts)}</div>'


def loaded(f: ui.Frame) -> bool:
    """True when the loaded data version has a follow-up list of site visits."""
    return vv.loaded(f.version.meta)


def unit_section(f: ui.Frame, unit: str) -> None:
    """The profile's "Kết luận kiểm tra": the last visit's items, open first, overdue in red with their
    days; then the open items of earlier visits; downloadable."""
    lg = f.lang
    st.header(f.t("visits.title"))
    if not loaded(f):
        st.caption(f.t("visits.no_list"))
        return
    u = vv.unit_visits(ui.data, unit, f.as_of)
    if u.last_visit is None:
        st.caption(f.t("visits.none"))
        return
    st.html(CSS)
    overdue_last = sum(1 for i in u.items if i.overdue)
    st.markdown(f.t("visits.last", date=fmt.date(u.last_visit, lg), n=fmt.number(len(u.items), lang=lg),
                    open=fmt.number(len(u.open_items), lang=lg), overdue=fmt.number(overdue_last, lang=lg)))
    with st.container(key="visits-last"):
        st.html(items_html(u.items, lg))
    if u.earlier_open:
        st.subheader(f.t("visits.earlier", n=fmt.number(len(u.earlier_open), lang=lg)))
        with st.container(key="visits-earlier"):
            st.html(items_html(u.earlier_open, lg))
    st.caption(f"{f.t('visits.as_of', date=fmt.date(u.as_of, lg))} · {f.t('visits.visits_n', n=u.visits)}")
    ui.downloads(f, vv.items_view(u.items + u.earlier_open, lg), f"ket-luan-kiem-tra-{unit}")


def overview_block(f: ui.Frame) -> None:
    """The overview's line: overdue directions in the scope, and the units with the most (linked)."""
    if not loaded(f):
        return
    lg = f.lang
    s = vv.overdue_summary(ui.data, f.units, f.as_of)
    st.subheader(f.t("visits.ov_title"), divider="red" if s.directions else "gray")
    c1, c2 = st.columns([1, 3])
    c1.metric(f.t("visits.ov_metric"), fmt.number(s.directions, lang=lg), border=True,
              help=f.t("visits.ov_help"))
    if s.as_of is not None:
        c1.caption(f.t("visits.ov_line", items=fmt.number(s.items, lang=lg), open=fmt.number(s.open_items, lang=lg),
                       date=fmt.date(s.as_of, lg)))
    if len(s.top):
        lines = [f"- **[{r.short_name}]({ui.unit_link(r.unit_code)})**: "
                 + f.t("visits.ov_unit", n=fmt.number(r.overdue_directions, lang=lg),
                       days=fmt.number(r.max_days_direction, lang=lg))
                 for r in s.top.itertuples()]
        c2.markdown(f"**{f.t('visits.ov_most')}**\n" + "\n".join(lines))
    else:
        c2.success(f.t("visits.ov_none"))
    c2.page_link("pages/visits.py", label=f.t("visits.ov_link"), icon=":material/fact_check:",
                 query_params=ui.link_params())
