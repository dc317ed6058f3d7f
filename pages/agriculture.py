"""Nông nghiệp – Thủy sản: rice by unit and season (area, yield, production), fishery by unit and month."""
import streamlit as st

from communes import fmt, mapview, ui
from communes.changes import card_changes, rel_change, rel_text
from communes.comparisons import compare_period, period_label, second_period
from communes.figures import agriculture as fig
from communes.figures.common import events_text
from communes.frame import scope_label
from communes.views import agriculture as view

f: ui.Frame = ui.page_frame()
lg = f.lang
CHART = {"displaylogo": False}

# data: the fishery detail's grain is chosen at the bottom of the page (bound to the URL as "fg");
# its value is known before the widget is drawn, so only the chosen detail is queried
wanted = st.session_state.get("fg", st.query_params.get("fg"))
d = view.load(ui.data, f, wanted if wanted in view.GRAINS else view.GRAINS[0])
years, last = view.rice_years(f.period), view.rice_years(f.period.last_year())
span = (f.period.last_year().start.year, f.period.end.year)  # the crop years whose rows the page shows
st.title(f.t("agri.title", period=f.period.label(lg)))

# --- rice ------------------------------------------------------------------------------------------
st.header(f.t("agri.rice", years=years))
st.caption(f.t("agri.rice.caption", scope=scope_label(f), last=last))
now, ly = d.rice_cards["now"], d.rice_cards["last_year"]
_, city = view.rice_units(d.rice, d.scope_units, None)
cols = st.columns(3)
for col, key, show in ((cols[0], "rice_area_ha", lambda x: fmt.hectares(x, lg)),
                       (cols[1], "rice_production_tonnes", lambda x: fmt.tonnes(x, lg)),
                       (cols[2], "rice_yield_quintal_per_ha", lambda x: fmt.yield_(x, lg))):
    if key == "rice_yield_quintal_per_ha":
        change = None if now[key] is None or ly[key] is None else round(now[key] - ly[key], 1) + 0.0  # as shown
        text = None if change is None else f"{fmt.signed(change, 1, lg)} {'tạ/ha' if lg == 'vi' else 'quintals/ha'}"
    else:
        change = rel_change(now[key], ly[key])
        text = rel_text(change, lg)
    ui.metric_card(col, f.t(f"ind.{key}"), show(now[key]), change, text)  # the delta: vs last year
cols[2].caption(f.t("agri.vs_city", value=fmt.yield_(city["rice_yield_quintal_per_ha"], lg)))

if now["rice_production_tonnes"] is None:
    st.info(f.t("agri.rice.none", years=years))
else:
    st.subheader(f.t("agri.season_trend"))
    st.plotly_chart(fig.season_trend(d.rice_trend, lg), config=CHART)
    st.caption(f.t("agri.season_trend.note"))

    seasons = view.seasons_in(view.season_rows(d.rice))  # the seasons grown in the period
    codes = {view.ALL: None} | {view.season_code(s): s for s in seasons}
    code = ui.bound(st.radio, f.t("agri.season.label"), list(codes), "vu", horizontal=True,
                    format_func=lambda c: f.t("agri.season.all") if c == view.ALL else fig.season_name(codes[c], lg))
    season = codes[code]
    units, city = view.rice_units(d.rice, d.scope_units, season, d.warnings, span)
    season_text = f.t("agri.season.all_short") if season is None else fig.season_name(season, lg)
    left, right = st.columns(2)
    left.subheader(f.t("agri.ranking", season=season_text))
    left.plotly_chart(fig.rice_ranking(units, view.season_rows(d.rice), season, lg), config=CHART)
    left.caption(f.t("agri.ranking.note"))
    right.subheader(f.t("agri.yield", season=season_text))
    right.plotly_chart(fig.yield_dots(units, city["rice_yield_quintal_per_ha"], lg), config=CHART)
    right.caption(f.t("agri.yield.note", year=years, last=last))
    none = units.loc[~units["has_rice"], "short_name"].tolist()
    if none:
        st.caption(f.t("agri.no_rice_units", n=len(none), names=", ".join(none)))
    with (exp := ui.lazy_expander(f.t("map.title"), "rice_map_open", icon=":material/map:")):
        if exp.open:
            mapview.draw(f, units.reset_index(drop=True), "rice_production_tonnes", "tonnes", key="rice_map")

    st.subheader(f.t("agri.rice.table"))
    show, raw = view.rice_table(units, f.t, lg)
    st.dataframe(show, hide_index=True, width="stretch")
    ui.downloads(f, raw, f"lua-{years}-{code}")

# load warnings about the rows shown
wshow, wraw, others = view.warning_table(d.warnings, f.units, span, f.t, lg)
if len(wshow):
    st.subheader(f.t("agri.warn.title"))
    st.warning(f.t("agri.warn.box", n=len(wshow)), icon=":material/warning:")
    st.dataframe(wshow, hide_index=True, width="stretch")
    ui.downloads(f, wraw, "canh-bao-nong-nghiep")
if others:
    st.caption(f.t("agri.warn.others", n=others))

# --- fishery ---------------------------------------------------------------------------------------
other = second_period(f)
st.header(f.t("agri.fish", period=f.period.label(lg)))
fish_cmp = period_label(compare_period(f), lg)  # whole months, as many as the period's
st.caption(f.t("tourism.caption", scope=scope_label(f), compare=fish_cmp) if other is None else
           f.t("tourism.caption2", scope=scope_label(f), compare=fish_cmp, other=period_label(other, lg)))
fc = d.fish_cards
CARDS = [("aquaculture_tonnes", f.t("ind.aquaculture_tonnes"), lambda x: fmt.tonnes(x, lg)),
         ("capture_tonnes", f.t("ind.capture_tonnes"), lambda x: fmt.tonnes(x, lg)),
         ("fishery_tonnes", f.t("agri.fish.total"), lambda x: fmt.tonnes(x, lg)),
         ("aquaculture_area_ha", f.t("agri.fish.area"), lambda x: fmt.hectares(x, lg)),
         ("aquaculture_t_per_ha", f.t("agri.fish.per_ha"), lambda x: view.per_ha(x, lg))]
for col, (key, label, show) in zip(st.columns(3) + st.columns(3), CARDS):
    change, text, line = card_changes(fc["now"][key], fc["before"][key], (fc["other"] or {}).get(key), other, f.t, lg)
    ui.metric_card(col, label, show(fc["now"][key]), change, text,
                   help=f.t("agri.fish.area_help") if key in ("aquaculture_area_ha", "aquaculture_t_per_ha") else None)
    if line:
        col.caption(line)

if fc["now"]["fishery_tonnes"] is None:
    st.info(f.t("agri.fish.none"))
st.subheader(f.t("agri.fish.trend"))
st.plotly_chart(fig.fish_trend(d.fish_monthly, d.window, f.period, d.events, lg), config=CHART)
st.caption(f.t("agri.fish.trend.note") + ("  \n" + events_text(d.events, lg) if len(d.events) else ""))

ranked = view.fish_ranked(d.fish_units)
st.subheader(f.t("agri.fish.ranking"))
if ranked["fishery_tonnes"].notna().any():
    st.plotly_chart(fig.fish_ranking(ranked, lg), config=CHART)
    st.caption(f.t("agri.fish.ranking.note"))
with (exp := ui.lazy_expander(f.t("map.title"), "fish_map_open", icon=":material/map:")):
    if exp.open:
        mapview.draw(f, ranked.reset_index(drop=True), "fishery_tonnes", "tonnes", key="fish_map")
missing = ranked.loc[ranked["fishery_tonnes"].isna(), "short_name"].tolist()
if missing:
    st.caption(f.t("agri.fish.no_data_units", n=len(missing), names=", ".join(missing)))

st.subheader(f.t("agri.fish.table"))
show, raw = view.fish_table(d.fish_units, f.t, lg)
st.dataframe(show, hide_index=True, width="stretch")
ui.downloads(f, raw, f"thuy-san-{f.period.code}")

st.subheader(f.t("agri.fish.detail"))
grain = ui.bound(st.radio, f.t("agri.fish.grain"), list(view.GRAINS), "fg", horizontal=True,
                 format_func=lambda g: f.t(f"agri.fish.{g}"))
show, raw = view.fish_detail(d.fish_detail, grain, f.t, lg)
st.dataframe(show, hide_index=True, width="stretch")
ui.downloads(f, raw, f"thuy-san-theo-{grain}-{f.period.code}")
