"""Hồ sơ đơn vị: one unit on one page for a site visit — against the city and its peers, dossiers and
their trend since January 2024, staff workload, before and after the merger, its sectors.
Reached by ``?unit=<code or name, any spelling>``; prints as a clean one-pager.

Two layouts (``communes.phone``): the full one, and on a phone (or ``?layout=phone``) a lighter one: the
unit, its headline cards and its overdue and due-soon counts first, then one section at a time, chosen
by a control (the others are not sent at all), its charts small inline SVG instead of Plotly."""
from contextlib import nullcontext

import streamlit as st

from communes import due_soon, fmt, peers, phone, signin, ui, visits_ui
from communes import specialists as sv
from communes.figures import profile as figs
from communes.views import profile as pv

f: ui.Frame = ui.page_frame()
lg = f.lang
# Static CSS only. Print: no sidebar, toolbar or controls (the sample banner stays), cards and charts kept whole.
# Phone: tables in a smaller type so that they fit 390 px without scrolling sideways.
st.markdown("""<style>@media print{
[data-testid="stSidebar"],[data-testid="stSidebarCollapsedControl"],[data-testid="stHeader"],header,
[data-testid="stToolbar"],[data-testid="stDecoration"],[data-testid="stStatusWidget"],[data-testid="stSelectbox"],
[data-testid="stDownloadButton"],[data-testid="stExpander"],[data-testid="stElementToolbar"],
[data-testid="stButtonGroup"],[data-testid="stLinkButton"]{display:none!important}
[data-testid="stMain"],[data-testid="stAppViewContainer"]{margin:0!important;padding:0!important}
[data-testid="stMainBlockContainer"]{max-width:100%!important;padding:0.4cm!important}
[data-testid="stMetric"],[data-testid="stPlotlyChart"],.stTable tr{break-inside:avoid}
[class*="st-key-keep-"]{break-inside:avoid}}
@media (max-width:640px){.stTable th,.stTable td{font-size:12px;padding:4px 5px!important}}</style>""",
            unsafe_allow_html=True)

# filters: the unit (any spelling in ?unit=; a former commune's name leads to its successor), the peers
units = f.ref.units.sort_values(["unit_type", "short_name"], ascending=[False, True])
units = units[units.unit_code.isin(f.user.allowed(units.unit_code.tolist()))]  # a unit viewer: own units only
codes, names = units.unit_code.tolist(), dict(zip(f.ref.units.unit_code, f.ref.units.unit_name))
wanted = st.query_params.get("unit")
if wanted and wanted not in codes:
    found = pv.resolve_unit(f.ref, wanted)
    wanted = found.code
    if wanted:
        st.query_params["unit"] = wanted
        if found.former_name:
            st.info(f.t("profile.successor", old=found.former_name, unit=names[wanted]))
    else:
        st.warning(f.t("profile.unknown_unit", text=st.query_params["unit"][:80], reason=found.error))
        st.query_params.pop("unit", None)
if wanted and wanted != st.session_state.get("_profile_seen"):  # a link opened in this session wins
    st.session_state["unit"] = wanted
unit = ui.bound(st.selectbox, f.t("profile.pick"), codes, "unit", format_func=names.get)
st.session_state["_profile_seen"] = unit
signin.require_unit(f, unit)
# the layout: the URL's when it names one (the toggle writes it there), else the browser's (a phone or not)
layout = ui.bound(st.segmented_control, f.t("profile.layout"), list(phone.LAYOUTS), "layout",
                  default=phone.from_headers(st.context.headers), format_func=lambda k: f.t(f"profile.layout_{k}"),
                  required=True)
peer_kind = ui.bound(st.sidebar.selectbox, f.t("profile.peers"), list(peers.PEER_KINDS), "peer",
                     format_func=lambda k: f.t(f"profile.peers_{k}"))

# data
d = pv.load(ui.data, f, unit)
table, row = d.table, d.row
peer_codes = d.peer_codes(peer_kind)
group = pv.peer_label(row, peer_kind, lg)
similar = peers.similar_units(table, unit, f.user.allowed(peer_codes), 2)
shown = pv.sections(d)


def show_table(df, **kw) -> None:
    """A static table (``ui.table``); on the phone a value keeps its "%" on its line ("95,1 %")."""
    if layout == "phone":
        df = df.map(lambda x: x.replace(" %", "\u00a0%") if isinstance(x, str) else x)
    ui.table(df, **kw)


def cards(domain: str, per_row: int = 4) -> None:
    """The domain's KPI cards, ``per_row`` to a row: four stack in one column on a narrow screen (in reading
    order), two stay side by side (their labels and values then wrap rather than being cut: ``PHONE_CSS``)."""
    inds = [i for i in pv.INDICATORS if i.domain == domain]
    with st.container(key=f"phone-cards-{domain}") if per_row == 2 else nullcontext():
        for k in range(0, len(inds), per_row):
            cards_row(inds[k:k + per_row], per_row)


def cards_row(inds: list, per_row: int) -> None:
    for col, ind in zip(st.columns(per_row, wrap=per_row > 2), inds):
        c = pv.card(table, unit, ind.key, peer_codes, group, lg)
        if c.higher_is_better is None:  # a volume: neither good nor bad
            col.metric(c.label, c.value, c.change_text, delta_color="gray", border=True, help=f.t("profile.delta_help"),
                       delta_arrow="off" if not c.change else "up" if c.change > 0 else "down")
        else:
            ui.metric_card(col, c.label, c.value, c.change, c.change_text, c.higher_is_better, help=f.t("profile.delta_help"))
        col.caption(c.note)


def header() -> None:
    """Name, type, group, area, population, the former communes it was formed from."""
    st.title(row["unit_name"])
    st.markdown(f"**{pv.facts_line(row, lg)}**  \n{pv.former_line(d.former, lg)}")


def backlog_counts() -> None:
    """Pending and overdue dossiers at the period's end, and "Sắp đến hạn" at the data date."""
    b = d.backlog
    st.markdown(f.t("profile.backlog_counts", pending=fmt.number(len(b), lang=lg),
                    overdue=fmt.number(len(b[b["overdue"]]), lang=lg), date=fmt.date(min(f.period.end, f.as_of), lg)))
    ds = d.due_soon  # the early warning beside the overdue count, at the data date (not the period's end)
    st.markdown(f.t("due_soon.line", n=fmt.number(ds.due_soon, lang=lg), overdue=fmt.number(ds.overdue, lang=lg),
                    as_of=fmt.date(ds.as_of, lg), until=fmt.date(ds.until, lg)),
                help=due_soon.rule_text(ds.as_of, ds.until, ds.days, lg))


def backlog_list() -> None:
    """The overdue dossiers, the longest overdue first, and the download of every pending one."""
    b = d.backlog
    overdue = b[b["overdue"]]
    if len(overdue):
        show_table(pv.backlog_view(overdue.head(pv.BACKLOG_ROWS), lg), hide_index=True)
        if len(overdue) > pv.BACKLOG_ROWS:
            st.caption(f.t("profile.backlog_more", n=fmt.number(len(overdue) - pv.BACKLOG_ROWS, lang=lg)))
    if len(b):
        ui.downloads(f, pv.backlog_view(b, lg), f"ho-so-ton-{unit}-{f.period.code}")


def staff_line() -> None:
    st.markdown(f.t("profile.staff_line", staff=fmt.indicator(row["staff"], "count", lg),
                    posts=fmt.indicator(row["approved_posts"], "count", lg), date=fmt.date(row["staff_as_of"], lg))
                if peers.as_float(row["staff"]) is not None else f.t("profile.no_staff"))


def specialists() -> None:
    """Specialists by field: the fields without one first."""
    spec = sv.for_unit(d.specialists, unit)
    if sv.has_staffing(spec):
        st.subheader(f.t("spec.title"))
        if none := sv.flagged(spec):
            st.warning(f.t("spec.flagged", n=len(none), fields=", ".join(r.field for r in none)), icon=":material/person_off:")
        show_table(sv.view(spec, lg), hide_index=True)
        st.caption(f.t("spec.note", months=fmt.number(sv.months(f.period, f.as_of), 1, lg)))


def merger_tables() -> tuple[dict, dict]:
    """Before and after the merger, and the former communes in the 12 months before; the phases' rows."""
    rates, volumes = pv.merger_views(pv.merger_table(d.merger), lg)
    with st.container(key="keep-merger"):
        st.header(f.t("profile.merger"))
        show_table(rates, hide_index=True)
        show_table(volumes, hide_index=True)
        st.caption(f"{pv.phase_spans(d.merger, lg)}. {f.t('peers.phase_disjoint')}. {f.t('profile.merger_note')}")
    before, after = pv.phase_row(d.merger, "before"), pv.phase_row(d.merger, "after")
    with st.container(key="keep-former"):
        st.subheader(f.t("profile.former_title", n=int(d.former["former_name"].notna().sum())))
        show_table(pv.former_view(d.former, before, row["short_name"], lg), hide_index=True)
    sectors = pv.former_sectors_view(d.former, before, row["short_name"], lg)
    if sectors is not None:
        show_table(sectors, hide_index=True)
    return before, after


def full() -> None:
    """Every section one below the other, Plotly charts."""
    header()
    link = f" · [{f.t('profile.compare_link')}](/compare?units={','.join([unit, *similar])})" if similar else ""
    st.caption(f"{f.period.label(lg)} · {f.t('profile.vs_note', group=group, n=len(peer_codes))}{link}"
               f" · [:material/smartphone: {f.t('mobile.quick_link')}]({ui.mobile_link(unit)})")

    # what the last site visit found and asked for, and whether it was done
    visits_ui.unit_section(f, unit)

    # dossiers: cards, trend since January 2024 (merger marked), backlog with the longest overdue first
    st.header(f.t("profile.domain_dossiers"))
    cards("dossiers")
    with st.container(key="keep-trend"):  # printed on one page: heading, chart and note together
        st.subheader(f.t("profile.trend"))
        metric = ui.bound(st.selectbox, f.t("profile.trend_metric"), pv.TREND_METRICS, "pt",
                          format_func=lambda k: f.t(f"ind.{k}"))
        tf = pv.trend_frame(d.trend, unit, peer_codes, metric)
        st.plotly_chart(figs.trend(tf, d.events, metric, lg, f.period, row["short_name"], group), config=figs.NOBAR)
        st.caption(f.t("profile.trend_note"))
    st.subheader(f.t("profile.backlog"))
    backlog_counts()
    backlog_list()

    # staff workload against the peer group: the article's central complaint
    if shown["staffing"]:
        st.header(f.t("profile.staffing"))
        cards("staffing")
        staff_line()
        wf = pv.workload_frame(table, f.user.allowed(peer_codes))
        if len(wf) > 1:
            s = peers.standing(table, unit, "dossiers_per_official_month", False, peer_codes)
            st.plotly_chart(figs.workload(wf, unit, s.peer_median, s.city_median, lg), config=figs.NOBAR)
        st.caption(f.t("profile.staff_note"))
    specialists()

    # before and after the merger, and the former communes of the period before
    before, after = merger_tables()
    if d.former["on_time_rate"].notna().sum() > 1:
        st.plotly_chart(figs.former_bars(d.former, "on_time_rate", before.get("on_time_rate"), after.get("on_time_rate"),
                                         lg), config=figs.NOBAR)
    st.caption(f.t("profile.former_note"))

    # sectors, only where the unit has data
    for domain, chart in (("tourism", lambda: figs.monthly(d.monthly, ["visitors_domestic", "visitors_international"],
                                                           lg, d.events, f.period)),
                          ("agriculture", lambda: figs.rice(d.rice, lg)),
                          ("fishery", lambda: figs.monthly(d.monthly, ["aquaculture_tonnes", "capture_tonnes"], lg,
                                                           d.events, f.period))):
        if shown[domain]:
            st.header(f.t(f"profile.domain_{domain}"))
            cards(domain)
            st.plotly_chart(chart(), config=figs.NOBAR, key=f"chart_{domain}")
            st.caption(f.t(f"profile.chart_note_{domain}"))


# --- the phone layout: one section at a time, small SVG charts -----------------------------------------

# Two cards side by side on a phone: a label or a value too long for half the screen wraps, never cut short
# ("20,6 tỷ đồng", "Đang giải quyết quá hạn"); values a little smaller than the full layout's.
PHONE_CSS = """<style>
[class*="st-key-phone-cards"] .stMarkdownEllipsis,[class*="st-key-phone-cards"] .stMarkdownEllipsis p
{white-space:normal!important;overflow:visible!important;text-overflow:clip!important}
[class*="st-key-phone-cards"] [data-testid="stMetricValue"]{font-size:1.75rem!important;line-height:1.2}
</style>"""
SECTORS = ("tourism", "agriculture", "fishery")
MONTHLY = {"tourism": ["visitors_domestic", "visitors_international"], "fishery": ["aquaculture_tonnes", "capture_tonnes"]}


def phone_sections() -> list[str]:
    """The sections the phone offers, in order: those without data for the unit left out."""
    out = ["trend", "backlog", "visits"]
    if shown["staffing"] or sv.has_staffing(sv.for_unit(d.specialists, unit)):
        out.append("staffing")
    out.append("merger")
    if any(shown[k] for k in SECTORS):
        out.append("sectors")
    return out


def phone_trend(last) -> None:
    metric = ui.bound(st.selectbox, f.t("profile.trend_metric"), pv.TREND_METRICS, "pt",
                      format_func=lambda k: f.t(f"ind.{k}"))
    tf = pv.trend_frame(d.trend, unit, peer_codes, metric)
    st.markdown(figs.trend_svg(tf, metric, lg, f.period, last, row["short_name"], group), unsafe_allow_html=True)
    st.caption(f.t("profile.phone_new"))
    st.markdown(figs.bars_svg(tf.assign(new=figs.new_per_month(tf)), ["new"], [f.t("peers.ind.new_dossiers")], lg,
                              f.period, last), unsafe_allow_html=True)
    st.caption(f.t("profile.phone_trend_note"))


def phone_sectors(last) -> None:
    for domain in SECTORS:
        if shown[domain]:
            st.subheader(f.t(f"profile.domain_{domain}"))
            cards(domain, 2)
            if domain in MONTHLY:
                st.markdown(figs.bars_svg(d.monthly, MONTHLY[domain], [f.t(f"ind.{c}") for c in MONTHLY[domain]], lg,
                                          f.period, last), unsafe_allow_html=True)
                st.caption(f.t(f"profile.chart_note_{domain}"))


def phone_layout() -> None:
    """Who the unit is, its headline cards and its overdue and due-soon counts; then the one section chosen."""
    st.html(PHONE_CSS + figs.SVG_CSS)
    header()
    st.caption(f"{f.period.label(lg)} · {f.t('profile.vs_note', group=group, n=len(peer_codes))}")
    st.link_button(f.t("mobile.quick_link"), ui.mobile_link(unit), icon=":material/smartphone:", type="primary",
                   width="stretch")
    cards("dossiers", 2)
    backlog_counts()
    last = min(f.period.end, f.as_of)
    section = ui.bound(st.segmented_control, f.t("profile.section"), phone_sections(), "sec",
                       format_func=lambda k: f.t(f"profile.sec_{k}"), required=True)
    if section == "trend":
        phone_trend(last)
    elif section == "backlog":
        st.subheader(f.t("profile.backlog"))
        backlog_list()
    elif section == "visits":
        visits_ui.unit_section(f, unit)
    elif section == "staffing":
        if shown["staffing"]:
            st.subheader(f.t("profile.staffing"))
            cards("staffing", 2)
            staff_line()
            st.caption(f.t("profile.phone_staff_note"))
        specialists()
    elif section == "merger":
        merger_tables()
        st.caption(f.t("profile.phone_former_note"))
    elif section == "sectors":
        phone_sectors(last)


if layout == "phone":
    phone_layout()
else:
    full()
