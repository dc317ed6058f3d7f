"""So sánh: two to six units side by side (``?units=19873,19885,19753``; codes or names, any spelling) —
small multiples of the monthly trend, a KPI table with each row's best marked, normalised figures,
and each unit's change across the merger."""
import streamlit as st

from communes import indicators, refdata, ui
from communes.figures import compare as figs
from communes.views import compare as cv

f: ui.Frame = ui.page_frame()
lg = f.lang

st.title(f.t("cmp.title", period=f.period.label(lg)))

# filters: the units, bound to the URL as comma-separated codes; the trend's indicator
units = f.ref.units.sort_values(["unit_type", "short_name"], ascending=[False, True])
options = f.user.allowed(units.unit_code.tolist())
names = dict(zip(f.ref.units.unit_code, f.ref.units.short_name))
raw = st.query_params.get("units")
if raw is not None and raw != st.session_state.get("_cmp_seen"):  # a link opened in this session wins
    wanted, bad = cv.parse_units(raw, lambda s: refdata.resolve(f.ref, s, before_merger=False).unit_code, options)
    if bad:
        st.warning(f.t("cmp.unknown", names=", ".join(x[:40] for x in bad[:6])))
    st.session_state["cmp_units"] = wanted
opened = raw is None and "cmp_units" not in st.session_state
if opened:  # no choice yet: open on the scope's top and bottom units on the on-time rate (kept in the URL)
    scope = [c for c in (f.units or options) if c in options]
    st.session_state["cmp_units"] = cv.top_and_bottom(indicators.unit_table(ui.data, f.period, f.as_of), scope)
chosen = st.multiselect(f.t("cmp.pick", max=cv.MAX_UNITS), options, key="cmp_units", max_selections=cv.MAX_UNITS,
                        format_func=lambda c: names.get(c, c), placeholder=f.t("cmp.placeholder"))
if chosen:
    st.query_params["units"] = ",".join(chosen)
else:
    st.query_params.pop("units", None)
st.session_state["_cmp_seen"] = st.query_params.get("units")
if opened and len(chosen) >= cv.MIN_UNITS:
    st.caption(f.t("cmp.opened", n=cv.OPEN_EACH, metric=f.t(f"ind.{cv.OPEN_METRIC}").lower()))
if len(chosen) < cv.MIN_UNITS:
    st.info(f.t("cmp.choose", min=cv.MIN_UNITS, max=cv.MAX_UNITS))
    st.stop()
metric = ui.bound(st.selectbox, f.t("cmp.metric"), cv.TREND_METRICS, "cm",
                  format_func=lambda k: indicators.label(k, lg))

# data
d = cv.load(ui.data, f, chosen)
table = d.table

# KPI table: best value of each row marked; the city median for reference
st.subheader(f.t("cmp.kpis"))
kpis = cv.kpi_table(table, chosen, lg)
st.dataframe(kpis, hide_index=True, width="stretch", height=38 + 35 * len(kpis))
st.caption(f.t("cmp.kpis_note"))
ui.downloads(f, kpis, f"so-sanh-{f.period.code}")

# small multiples of the monthly trend, the same axes for every unit
st.subheader(f.t("cmp.trend", metric=indicators.label(metric, lg)))
kind = "rate" if metric.endswith("_rate") else "count"
long = cv.trend_long(d.trend, d.monthly, chosen, metric)
st.plotly_chart(figs.small_multiples(long, chosen, names, metric, kind, lg), config={"displayModeBar": False})
st.caption(f.t("cmp.trend_note"))

# normalised figures: per 1,000 inhabitants, per km², per official
st.subheader(f.t("cmp.normalised"))
norm = cv.normalised_table(table, chosen, lg)
st.dataframe(norm, hide_index=True, width="stretch", height=38 + 35 * len(norm))
st.caption(f.t("cmp.normalised_note"))

# each unit's change across the merger
st.subheader(f.t("cmp.merger"))
changes = cv.merger_changes(d.merger, chosen)
rate = metric if metric in ("on_time_rate", "online_rate") else "on_time_rate"
st.plotly_chart(figs.before_after(changes, names, rate, lg), config={"displayModeBar": False})
st.dataframe(cv.merger_view(changes, names, lg), hide_index=True, width="stretch")
st.caption(f.t("cmp.merger_note", metric=indicators.label(rate, lg)))
