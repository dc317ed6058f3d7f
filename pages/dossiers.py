"""Hồ sơ TTHC: Biểu 06 indicators for the scope, the monthly trend, phường against xã, and one detail
view at a time (field × unit, backlog, service index after Decision 766, one unit's pending dossiers)."""
import streamlit as st

from communes import due_soon, fmt, mapview, targets, ui
from communes import service_index as si
from communes import specialists as sv
from communes.figures import dossiers as figs
from communes.frame import scope_label
from communes.views import dossiers as dv

f: ui.Frame = ui.page_frame()
lg = f.lang
TARGETS = targets.load()
units = f.ref.unit_rows(f.units)
names = dict(zip(units.unit_code, units.short_name))

head, controls = st.container(), st.container()  # the detail controls sit below the headline parts

# filters: one detail view at a time (heavy content behind a control), and the unit to drill into
with controls:
    st.divider()
    section = ui.bound(st.radio, f.t("dossiers.view"), list(dv.SECTIONS), "view", "field", horizontal=True,
                       format_func=lambda s: f.t(f"dossiers.view_{s}"))
    unit = None
    if section == "drill" and len(units):
        unit = ui.bound(st.selectbox, f.t("dossiers.unit"), units.unit_code.tolist(), "unit",
                        format_func=lambda c: names.get(c, c))

# data
d = dv.load(ui.data, f, unit=unit, sections=(section,))
now, before = d.now, d.before

# headline cards for the scope
with head:
    st.title(f.t("dossiers.title", period=f.period.label(lg)))
    st.caption(f"{f.ref.province} · {scope_label(f)} · {f.t('compare.vs', period=f.compare.label(lg))}")
    CARDS = [("on_time_rate", "rate"), ("online_rate", "rate"), ("digitized_rate", "rate"), ("overdue_rate", "rate"),
             ("received", "count"), ("resolved", "count"), ("pending_overdue", "count"), ("satisfaction_rate", "rate")]
    LOWER = {"overdue_rate", "pending_overdue"}
    for i, (key, kind) in enumerate(CARDS):
        if i % 4 == 0:
            cols = st.columns(4)
        a, b = now[key], before[key]
        change = None if a is None or b is None else a - b
        tg = TARGETS.get(key)
        ui.metric_card(cols[i % 4], f.t(f"ind.{key}"), fmt.indicator(a, kind, lg), change, fmt.indicator_change(change, kind, lg),
                       higher_is_better=key not in LOWER,
                       help=f"{f.t('overview.target')} {'≥' if tg.direction == 'min' else '≤'} "
                            f"{fmt.indicator(tg.target, 'rate', lg)} — {tg.source}" if tg else None)
        if key == "pending_overdue":  # the early warning beside the overdue count, at the data date
            soon_until, soon = d.due_soon_units
            cols[i % 4].caption(f.t("due_soon.card_line", n=fmt.number(int(soon["due_soon"].sum()), lang=lg),
                                    as_of=fmt.date(f.as_of, lg)),
                                help=due_soon.rule_text(f.as_of, soon_until, due_soon.default_days(), lg))

    # monthly trend since January 2024, with the merger and city-wide events marked
    st.subheader(f.t("dossiers.trend"))
    st.plotly_chart(figs.trend(d.trend, d.events, lg, f.period), config={"displayModeBar": False})
    st.caption(f.t("dossiers.trend_note") + "  \n" + figs.event_notes(d.trend, d.events, lg))

    # the unit map of the on-time rate against its target (a click opens the unit's profile)
    with (exp := ui.lazy_expander(f.t("map.title") + " – " + f.t("ind.on_time_rate"), "dossier_map_open",
                                  icon=":material/map:")):
        if exp.open:
            tg = TARGETS.get("on_time_rate")
            mapview.draw(f, d.by_unit, "on_time_rate", "rate", target=tg.target if tg else None,
                         key="dossier_map")

    # phường against xã, city-wide
    st.subheader(f.t("dossiers.types"))
    RATES = ["on_time_rate", "online_rate", "digitized_rate", "overdue_rate", "satisfaction_rate"]
    c1, c2 = st.columns([3, 2])
    c1.plotly_chart(figs.types_bars(d.types, RATES, lg), config={"displayModeBar": False})
    types = dv.types_view(d.types, lg)
    c2.dataframe(types, hide_index=True, width="stretch")
    ui.downloads(f, types, f"phuong-xa-{f.period.code}", c2)

# the detail view chosen above
st.subheader(f.t(f"dossiers.view_{section}"))
if section == "field":
    st.caption(f.t("dossiers.field_note"))
    if len(d.field):
        st.plotly_chart(figs.field_heatmap(d.field, names, lg, TARGETS.get("on_time_rate")),
                        config={"displayModeBar": False})
        table = dv.field_view(d.field, names, lg)
        ui.downloads(f, table, f"linh-vuc-{f.period.code}")
    else:
        st.info(f.t("no_data"))
elif section == "backlog":
    st.caption(f.t("dossiers.backlog_note", date=dv.as_of_text(f, lg)))
    table = dv.backlog_table(d.backlog, units, set(d.by_unit.unit_code))
    if table["total"].fillna(0).sum() > 0:
        st.plotly_chart(figs.backlog_bars(table, dv.BUCKETS, lg), config={"displayModeBar": False})
    view = dv.backlog_view(table, lg)
    st.dataframe(view, hide_index=True, width="stretch")
    ui.downloads(f, view, f"ton-dong-{f.period.code}")
elif section == "index":
    st.warning(f.t("dossiers.si_note", computable=si.MAX_COMPUTABLE), icon=":material/info:")
    groups_view = dv.index_groups_view(lg)
    ui.table(groups_view.set_index(groups_view.columns[0]))  # short, static text that must wrap: a plain table
    scores = si.table(d.by_unit, units)
    view, config = dv.index_view(scores, lg)
    st.dataframe(view, hide_index=True, width="stretch", height=min(38 + 35 * len(view), 740), column_config={
        k: st.column_config.ProgressColumn(format="localized", min_value=0, max_value=m, width="small")
        for k, m in config.items()})
    ui.downloads(f, view, f"chi-so-766-{f.period.code}")
elif section == "specialists":  # the city table, worst first: fields with dossiers and no specialist on top
    rows = sv.city_rows(d.specialists)
    if rows:
        none = sv.flagged(rows)
        if none:  # a warning, not an error box: the data are fine, the staffing is not
            st.warning(f.t("spec.flagged_city", n=len(none), units=len({r.unit_code for r in none})),
                       icon=":material/person_off:")
        else:
            st.success(f.t("spec.none_flagged"))
        view = sv.view(rows, lg, names)
        st.dataframe(view, hide_index=True, width="stretch")
        ui.downloads(f, view, f"can-bo-chuyen-mon-{f.period.code}")
        if missing := sv.units_without(d.specialists, units.unit_code.tolist()):
            st.caption(f.t("spec.units_without", units=", ".join(names[u] for u in missing)))
    else:
        st.info(f.t("spec.no_staffing"))
    st.caption(f.t("spec.note", months=fmt.number(sv.months(f.period, f.as_of), 1, lg)))
elif section == "due_soon":
    soon_until, rows = d.due_soon
    st.caption(due_soon.rule_text(f.as_of, soon_until, due_soon.default_days(), lg))
    if len(rows):
        st.dataframe(due_soon.list_view(rows, names, lg), hide_index=True, width="stretch", column_config={
            f.t("dossiers.col_received"): st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm"),
            f.t("dossiers.col_due"): st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm")})
        ui.downloads(f, due_soon.list_csv(rows, names, lg), f"sap-den-han-{f.as_of.isoformat()}")
    else:
        st.info(f.t("due_soon.none"))
elif d.unit is not None:
    st.markdown(f"**{names.get(d.unit, d.unit)}** · [{f.t('overview.profile')}]({ui.unit_link(d.unit)})")
    st.plotly_chart(figs.trend(d.unit_trend, d.unit_events, lg, f.period), config={"displayModeBar": False},
                    key="unit_trend")
    st.caption(figs.event_notes(d.unit_trend, d.unit_events, lg))
    pending = dv.pending_view(d.pending, lg)
    st.caption(f.t("dossiers.pending_note", n=len(pending), overdue=int(d.pending["overdue"].sum()),
                   date=dv.as_of_text(f, lg)))
    st.dataframe(pending, hide_index=True, width="stretch", column_config={
        f.t("dossiers.col_received"): st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm"),
        f.t("dossiers.col_due"): st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm"),
        f.t("dossiers.col_days"): st.column_config.NumberColumn(format="%d")})
    ui.downloads(f, dv.pending_csv(d.pending, lg), f"ho-so-ton-{d.unit}-{f.period.code}")
else:
    st.info(f.t("no_data"))
