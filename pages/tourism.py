"""Du lịch: visitors, overnight guests and revenue of the scope; trend, seasonality and ranking of units."""
import streamlit as st

from communes import fmt, mapview, ui
from communes.changes import card_changes
from communes.comparisons import compare_period, period_label, second_period
from communes.figures import tourism as fig
from communes.figures.common import events_text
from communes.frame import scope_label
from communes.views import tourism as view

f: ui.Frame = ui.page_frame()
lg = f.lang

# data
d = view.load(ui.data, f)
now, before, other = d.cards["now"], d.cards["before"], d.cards["other"] or {}
other_period = second_period(f)

# layout
st.title(f.t("tourism.title", period=f.period.label(lg)))
cmp_label = period_label(compare_period(f), lg)  # whole months, as many as the period's
st.caption(f.t("tourism.caption", scope=scope_label(f), compare=cmp_label) if other_period is None else
           f.t("tourism.caption2", scope=scope_label(f), compare=cmp_label,
               other=period_label(other_period, lg)))

SHOW = {"revenue_vnd": lambda x: fmt.money(x, lg), "revenue_per_visitor_vnd": lambda x: view.per_visitor(x, lg)}
LABEL = {k: f.t("tourism.revenue_per_visitor" if k == "revenue_per_visitor_vnd" else f"ind.{k}") for k in view.CARD_KEYS}
cols = st.columns(3) + st.columns(3)
for col, key in zip(cols, view.CARD_KEYS):
    show = SHOW.get(key, lambda x: fmt.number(x, lang=lg))
    change, text, line = card_changes(now[key], before[key], other.get(key), other_period, f.t, lg)
    ui.metric_card(col, LABEL[key], show(now[key]), change, text)
    if line:
        col.caption(line)

if now["visitors"] is None:
    st.info(f.t("tourism.no_data_period"))

# the indicator of the charts and the ranking (in the URL)
metric = ui.bound(st.radio, f.t("tourism.metric.label"), list(view.METRICS), "tm",
                  format_func=lambda m: f.t(f"tourism.metric.{m}"), horizontal=True)
ranked = view.ranked(d.units, metric)
metric_name = f.t(f"tourism.metric.{metric}").lower()

st.subheader(f.t("tourism.trend", metric=metric_name))
st.plotly_chart(fig.trend(d.monthly, metric, d.window, f.period, d.events, lg),
                config={"displaylogo": False})
st.caption(f.t("tourism.trend.note") + ("  \n" + events_text(d.events, lg) if len(d.events) else ""))

st.subheader(f.t("tourism.ranking", metric=metric_name))
if ranked[metric].notna().any():
    st.plotly_chart(fig.ranking(ranked, metric, lg), config={"displaylogo": False})
    st.caption(f.t("tourism.ranking.note"))
missing = ranked.loc[ranked[metric].isna(), "short_name"].tolist()
if missing:
    st.caption(f.t("tourism.no_data_units", n=len(missing), names=", ".join(missing)))
with (exp := ui.lazy_expander(f.t("map.title"), "tourism_map_open", icon=":material/map:")):
    if exp.open:
        mapview.draw(f, ranked, metric, "money" if metric == "revenue_vnd" else "count", key="tourism_map")

st.subheader(f.t("tourism.seasonality", metric=metric_name))
if len(d.grid):
    st.plotly_chart(fig.heatmap(d.grid, metric, d.window, lg), config={"displaylogo": False})
    st.caption(f.t("tourism.seasonality.note"))
else:
    st.info(f.t("tourism.no_data_period"))

st.subheader(f.t("tourism.table"))
show, raw = view.unit_table(d.units, metric, f.t, lg)
st.dataframe(show, hide_index=True, width="stretch")
c1, c2 = st.columns(2)
ui.downloads(f, raw, f"du-lich-{f.period.code}", c1)
ui.downloads(f, view.month_table(d.grid, f.t), f"du-lich-theo-thang-{f.period.code}", c2)
