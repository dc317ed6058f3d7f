"""Kết luận kiểm tra: every item of the site visits' follow-up list not yet done, in the sidebar's
scope, the longest overdue first; filterable by body in charge and status; downloadable."""
import streamlit as st

from communes import fmt, ui, visits_ui
from communes.views import visits as vv

f: ui.Frame = ui.page_frame()
lg = f.lang

st.title(f.t("visits.city_title"))
if not visits_ui.loaded(f):
    st.info(f.t("visits.no_list"))
    st.stop()

# data: every open item of the scope (the overdue rule on the data date)
d = vv.load(ui.data, f)
df = d.items
note = f.t("visits.as_of", date=fmt.date(d.as_of, lg)) if d.as_of is not None else ""
st.caption(f.t("visits.city_caption", as_of=note))
if not len(df):
    st.success(f.t("visits.city_none"))
    st.stop()

# filters: body in charge ("" = none named) and status, plus overdue only; kept in the URL, so a link
# opens the same list
owners = sorted(set(df["owner"].fillna("")))
c1, c2, c3 = st.columns([3, 3, 2], vertical_alignment="bottom")
picked_owners = ui.bound_many(c1.multiselect, f.t("visits.f_owner"), owners, "v_owner", placeholder=f.t("visits.any"),
                              format_func=lambda o: o or f.t("visits.no_owner"))
statuses = [s for s in vv.STATUSES if s in set(df["status"])]
picked_status = ui.bound_many(c2.multiselect, f.t("visits.f_status"), statuses, "v_status",
                              placeholder=f.t("visits.any"), format_func=lambda s: f.t(f"visits.status.{vv.STATUSES[s]}"))
overdue_only = ui.bound_flag(c3.toggle, f.t("visits.f_overdue"), "v_overdue")
shown = vv.filter_open(df, picked_owners, picked_status, overdue_only)

# the table: cells are plain text (never Markdown or HTML); days overdue as a number
view = vv.open_view(shown, lg)
st.caption(f.t("visits.shown", n=fmt.number(len(view), lang=lg)))
st.dataframe(view, hide_index=True, width="stretch", height=min(38 + 35 * len(view), 640), placeholder="—",
             column_config={f.t("col.unit"): st.column_config.TextColumn(pinned=True),
                            f.t("visits.col.days"): st.column_config.NumberColumn(format="localized"),
                            f.t("visits.col.text"): st.column_config.TextColumn(width="large"),
                            f.t("visits.col.kind"): st.column_config.TextColumn(width="small")})
st.caption(f.t("visits.city_note"))
ui.downloads(f, view, "viec-chua-hoan-thanh-sau-kiem-tra")
