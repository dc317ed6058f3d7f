"""Tổng quan: city KPIs against targets, the units that need attention, a ranking of all units, freshness."""
from urllib.parse import urlencode

import streamlit as st

from communes import attention, comparisons, due_soon, fmt, mapview, targets, ui, visits_ui
from communes.figures import overview as figs
from communes.frame import scope_label
from communes.views import overview as ov

f: ui.Frame = ui.page_frame()
lg = f.lang
TARGETS = targets.load()

# filters
metric = ui.bound(st.sidebar.selectbox, f.t("overview.rank_metric"), list(ov.METRICS), "rank", "on_time_rate",
                  format_func=lambda k: f.t(f"ind.{k}"))
kind = ov.METRICS[metric][1]
tg = TARGETS.get(metric)

# data
d = ov.load(ui.data, f, metric=metric)
now, before, table = d.now, d.before, d.table
soon_until, soon = d.due_soon
ranked = ov.ranking(table, d.table_before, metric)
flags = attention.needs_attention(table, TARGETS, lg)

# headline cards: value, change against the comparison, target and status
st.html("<style>[data-testid='stMetricValue'] > div {font-size: clamp(1.5rem, 2.1vw, 2.25rem)}</style>")
st.title(f.t("overview.title", period=f.period.label(lg)))
st.caption(f"{f.ref.province} · {scope_label(f)} · {f.t('compare.vs', period=f.compare.label(lg))}")
CARDS = [  # (section, indicator, kind, target shown under the card)
    ("dossiers", "on_time_rate", "rate", "on_time_rate"),
    ("dossiers", "online_rate", "rate", "online_rate"),
    ("dossiers", "digitized_rate", "rate", "digitized_rate"),
    ("dossiers", "pending_overdue", "count", "overdue_rate"),
    ("tourism", "visitors", "count", None),
    ("tourism", "revenue_vnd", "money", None),
    ("agriculture", "rice_production_tonnes", "tonnes", None),
    ("fishery", "aquaculture_tonnes", "tonnes", None),
]
cmp = comparisons.of(f.period, f.compare_kind)
BADGE = {"met": "green", "near": "orange", "not_met": "red", None: "gray"}
for i, (section, key, kind_, tkey) in enumerate(CARDS):
    if i % 4 == 0:  # one row of columns per four cards, so a longer status line does not push the next row
        cols = st.columns(4)
    a, b = now[section][key], before[section][key]
    change = None if a is None or b is None else a - b
    col = cols[i % 4]
    ui.metric_card(col, f.t(f"ind.{key}"), fmt.indicator(a, kind_, lg), change, fmt.indicator_change(change, kind_, lg),
                   higher_is_better=key != "pending_overdue", help=TARGETS[tkey].source if tkey in TARGETS else None)
    if tkey in TARGETS:  # status and target under the card (wraps on narrow screens, unlike a badge)
        t_, value = TARGETS[tkey], now["dossiers"][tkey]
        status = t_.status(value)
        rate = f"{f.t('ind.overdue_rate')} {fmt.percent(value, lang=lg)} · " if tkey == "overdue_rate" else ""
        col.caption(f":{BADGE[status]}-badge[{f.t(f'status.{status}') if status else f.t('no_data')}] {rate}"
                    f"{f.t('overview.target')} {'≥' if t_.direction == 'min' else '≤'} {fmt.percent(t_.target, 0, lg)}",
                    help=t_.source)
    if note := cmp.note(section, lg):  # rice and whole months: say what the change is against
        col.caption(note)
    if key == "pending_overdue":  # the early warning beside the overdue count, at the data date
        col.caption(f.t("due_soon.card_line", n=fmt.number(int(soon["due_soon"].sum()), lang=lg),
                        as_of=fmt.date(f.as_of, lg)), help=due_soon.rule_text(f.as_of, soon_until, due_soon.default_days(), lg))

# "Sắp đến hạn": pending dossiers due within the next working days, and the units with the most
n_soon = int(soon["due_soon"].sum())
most = due_soon.most_text(soon, dict(zip(table.unit_code, table.short_name)), lg)
st.markdown(f":orange[●] **{f.t('due_soon')}**: {f.t('due_soon.count', n=fmt.number(n_soon, lang=lg))}"
            + (f" · {f.t('due_soon.most', units=most)}" if most else "")
            + f" · [{f.t('due_soon.list_link')}](/dossiers?{urlencode(ui.link_params() | {'view': 'due_soon'})})",
            help=due_soon.rule_text(f.as_of, soon_until, due_soon.default_days(), lg))

# needs attention: units below target, worst first, each with its reason and a link
st.subheader(f.t("attention"), divider="red" if any(a.status == "not_met" for a in flags) else "gray")
lines = [f"- {':red[●]' if a.status == 'not_met' else ':orange[●]'} **[{a.unit_name}]({ui.unit_link(a.unit_code)})**: {a.reason}"
         f" · [{f.t('mobile.phone_open')}]({ui.mobile_link(a.unit_code)})" for a in flags]
if lines:
    st.markdown("\n".join(lines[:8]))
    if len(lines) > 8:
        with st.expander(f.t("overview.attention_more", n=len(lines) - 8)):
            st.markdown("\n".join(lines[8:]))
else:
    st.success(f.t("overview.attention_none"))
no_dossiers = table.loc[table["received"].isna(), "short_name"].tolist()
if no_dossiers:
    st.caption(f.t("overview.attention_no_data", n=len(no_dossiers), names=", ".join(no_dossiers)))

# directions given after site visits and now overdue, and the units with the most
visits_ui.overview_block(f)

# ranking of every unit of the scope, with rank change and a 12-month sparkline; the map's place beside it
st.subheader(f.t("overview.ranking", metric=f.t(f"ind.{metric}")))
view = ov.ranking_view(ranked, ov.sparklines(d.spark), metric, f, tg, keep=ui.link_params())
config = {
    f.t("overview.spark"): st.column_config.LineChartColumn(width="small", help=f.t("overview.spark_help")),
    f.t("overview.profile"): st.column_config.LinkColumn(display_text=f.t("overview.open"), width="small"),
    f.t("mobile.phone_col"): st.column_config.LinkColumn(display_text=f.t("mobile.phone_open"), width="small",
                                                         help=f.t("mobile.quick_link")),
    f.t("ind.received"): st.column_config.NumberColumn(format="localized"),
}
st.dataframe(view, hide_index=True, width="stretch", column_config=config, height=min(38 + 35 * len(view), 740))
ui.downloads(f, view.drop(columns=f.t("overview.spark")), f"xep-hang-{metric}-{f.period.code}")
st.caption(f.t("overview.no_data_note"))

# the unit map on the ranking's metric (a click opens the unit's profile), and the same as ranked bars
st.subheader(f.t("overview.map"))
mapview.draw(f, ranked, metric, kind, target=tg.target if tg else None,
             higher_is_better=ov.METRICS[metric][0], key="overview_map")
st.caption(f.t("map.click_hint"))
with (exp := ui.lazy_expander(f.t("overview.as_bars"), "overview_bars_open")):
    if exp.open:
        st.plotly_chart(figs.ranked_bars(ranked, metric, kind, lg, tg), config={"displayModeBar": False})
missing = ranked.loc[ranked[metric].isna(), "short_name"].tolist()
if missing:
    st.caption(f.t("overview.not_ranked", n=len(missing), names=", ".join(missing)))

# freshness: the latest date each dataset covers
st.subheader(f.t("overview.freshness"))
fresh = ov.freshness_view(d.freshness, lg)
st.dataframe(fresh, hide_index=True, width="content")
ui.downloads(f, fresh, "cap-nhat-du-lieu")
st.caption(f"{fmt.plain(d.completeness)} · [{f.t('overview.completeness_link')}](/data)")
