"""The shared Streamlit frame: the filters every page shares, its banners and widgets, the page's data.

Data flows one way: widgets give plain values, ``data()`` turns them into
DataFrames through the query path (cached, with the data version in the key: ``communes.served``),
pure figure builders turn DataFrames into figures, and pages lay them out. Signing in is
``communes.signin``'s.
"""
from __future__ import annotations

import functools
import gc
import runpy
from datetime import date
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pandas as pd
import streamlit as st

from communes import auth, comparisons, fmt, groups, kpi, links, periods, refdata, served, settings
from communes.frame import (  # noqa: F401 — the frame lives there, Streamlit-free; pages name it ui.Frame
    COMPARE,
    KEEPS,
    PERIOD_KINDS,
    SCOPES_FIXED,
    DataVersion,
    Frame,
    period_options,
    span,
)
from communes.i18n import LANGS, t

# --- the data version and the page's data ----------------------------------------------------------

def data_version() -> DataVersion:
    version, problems = served.served_version()
    if version is None:
        st.error(t("app.no_valid_data", lang()))
        st.text("\n".join(problems[:30]))  # plain text: a value quoted from a file is never read as Markdown
        st.stop()
    return version


def data(name: str, **params) -> pd.DataFrame:
    """A named query's result for the current data version (cached; the version is in the key)."""
    return served.runner(st.session_state["_db_path"])(name, **params)


def kpis(period: periods.Period, units: list[str] | None) -> dict:
    """The contract's indicators for a period and units, through the same queries as the CLI."""
    return kpi.compute(period, units, run=data)


# --- the frame: filters every page shares ---------------------------------------------------------

def lang() -> str:
    """The language chosen in the URL (``?lang=en``); Vietnamese by default."""
    return st.session_state.get("lang") or (st.query_params.get("lang") if st.query_params.get("lang") in LANGS
                                            else "vi")


def bound(widget, label: str, options: list, key: str, default=None, **kw):
    """A select widget whose value lives in the URL under ``key`` as the option's code.

    Streamlit's own ``bind="query-params"`` writes the formatted label into the URL;
    codes keep links short and language-independent.

    A selectbox hands back its option's *label*, and after a language switch that is the
    other language's label ("Quý III/2025" where "Q3 2025" is shown), which is no option:
    then the value this widget gave last is restored, not the default (the period,
    comparison, scope and ranking survive a language switch).
    """
    default = options[0] if default is None or default not in options else default
    wanted = st.query_params.get(key)
    last = st.session_state.get(f"_bound.{key}")
    if key not in st.session_state:
        st.session_state[key] = wanted if wanted in options else default
    elif st.session_state[key] not in options:
        st.session_state[key] = last if last in options else default
    value = widget(label, options, key=key, **kw)
    st.session_state[f"_bound.{key}"] = value
    if value == default:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = value
    return value


def bound_many(widget, label: str, options: list, key: str, **kw) -> list:
    """A multiselect whose choices live in the URL under ``key``, one repeated parameter each
    (``?v_owner=A&v_owner=B``: a choice may hold a comma); choices that are no option are dropped."""
    if key not in st.session_state:
        st.session_state[key] = [v for v in st.query_params.get_all(key) if v in options]
    else:
        st.session_state[key] = [v for v in st.session_state[key] if v in options]
    value = widget(label, options, key=key, **kw)
    if value:
        st.query_params[key] = value
    else:
        st.query_params.pop(key, None)
    return value


def bound_flag(widget, label: str, key: str, **kw) -> bool:
    """A toggle or checkbox whose "on" lives in the URL as ``key=1``."""
    if key not in st.session_state:
        st.session_state[key] = st.query_params.get(key) == "1"
    value = widget(label, key=key, **kw)
    if value:
        st.query_params[key] = "1"
    else:
        st.query_params.pop(key, None)
    return value


def _bound_date(widget, label: str, key: str, default: date, **kw) -> date:
    wanted = st.query_params.get(key)
    if key not in st.session_state:
        try:
            st.session_state[key] = date.fromisoformat(wanted) if wanted else default
        except ValueError:
            st.session_state[key] = default
    value = widget(label, key=key, **kw)
    if value == default:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = value.isoformat()
    return value


def frame(user: auth.User = auth.LOCAL) -> Frame:
    """Draw the sidebar filters (bound to the URL) and return their plain values."""
    version = data_version()
    st.session_state["_db_path"] = version.path
    ref = refdata.load(settings.get("province"))
    first, as_of = span(data)
    sb = st.sidebar
    lg = bound(sb.selectbox, t("lang.label", lang()), list(LANGS), "lang", format_func=lambda x: t(f"lang.{x}", x))
    kind = bound(sb.selectbox, t("period.label", lg), PERIOD_KINDS, "pk", format_func=lambda k: t(f"period.{k}", lg))
    if kind in ("month", "quarter", "year"):
        opts = period_options(kind, first, as_of)
        default = periods.latest_complete_quarter(as_of).code if kind == "quarter" else opts[0]
        code = bound(sb.selectbox, t("period.pick", lg), opts, "p", default,
                     format_func=lambda c: periods.parse(c).label(lg))
        period = periods.parse(code)
    elif kind == "ytd":
        period = periods.ytd(as_of)
        sb.caption(period.label(lg))
    else:
        lo = _bound_date(sb.date_input, t("period.from", lg), "from", date(as_of.year, 1, 1), min_value=first,
                         max_value=as_of, format="DD/MM/YYYY")
        hi = _bound_date(sb.date_input, t("period.to", lg), "to", as_of, min_value=first, max_value=as_of, format="DD/MM/YYYY")
        if hi < lo:
            lo, hi = hi, lo
        period = periods.Period(lo, hi, "range")
    if kind == "ytd":  # a year to date is compared with the same dates a year earlier (cùng kỳ), always
        cmp_kind = "yoy"
        sb.caption(f"{t('compare.label', lg)}: {t('compare.yoy', lg)} ({t('compare.ytd_rule', lg)})")
    else:
        cmp_kind = bound(sb.selectbox, t("compare.label", lg), COMPARE, "cmp",
                         format_func=lambda k: t(f"compare.{k}", lg))
    compare = comparisons.dates(period, cmp_kind)
    g = groups.load(ref)
    scopes = {k: t(f"scope.{k}", lg) for k in SCOPES_FIXED}
    scopes |= {x.id: t("scope.group", lg, name=x.name_vi if lg == "vi" else x.name_en) for x in g.groups}
    if user.units is not None:  # a unit viewer's scope is always their own units
        scopes = {"all": t("scope.all", lg)}
    scope = bound(sb.selectbox, t("scope.label", lg), list(scopes), "scope", format_func=scopes.get)
    units = user.allowed(groups.scope_units(ref, scope))
    sb.caption(t("app.updated_to", lg, date=fmt.date(as_of, lg)) + " · "
               + t("app.version", lg, version=version.meta.get("fingerprint", "")[:8]))
    return Frame(ref, period, compare, cmp_kind, scope, units, version, as_of, lg, user)


def sample_banner(version: DataVersion, lg: str = "vi") -> None:
    if version.is_sample:
        st.warning(f"**{t('app.sample_tag', lg)}** — {t('app.sample_banner', lg)}", icon=":material/warning:")
    if version.building:
        st.info(t("app.building", lg), icon=":material/hourglass_top:")
    if version.problems:
        with st.expander(t("app.load_failed", lg, n=len(version.problems)), icon=":material/warning:"):
            st.text("\n".join(version.problems[:200]))


def table(df: pd.DataFrame, **kw) -> None:
    """``st.table`` (static, wrapping text) with every text cell, header and index label escaped, because
    ``st.table`` renders Markdown: a procedure or field name from a file is shown as typed, never as a link,
    an image or a colour. Pages call this, never ``st.table`` itself."""
    shown = df.map(fmt.plain)
    shown.columns = [fmt.plain(c) for c in shown.columns]
    shown.index = pd.Index([fmt.plain(i) for i in df.index], name=fmt.plain(df.index.name))
    st.table(shown, **kw)


def lazy_expander(label: str, key: str, **kw):
    """An expander whose content the page draws only while it is open (``if exp.open:``): opening or closing
    it reruns the page, so a closed map or chart costs neither the server nor the browser anything."""
    return st.expander(label, key=key, on_change="rerun", **kw)


def page_frame() -> Frame:
    """The frame app.py drew for this run.

    app.py always runs first and builds ``st.navigation`` before anything can stop it, so the frame is
    there. One case remains: until some session of the server process has called ``st.navigation``,
    Streamlit routes a deep link by the legacy ``pages/`` folder and runs the page alone; then run the
    router (it draws the frame, gates the login and runs this page) and stop this outer run.
    """
    if "frame" not in st.session_state:
        runpy.run_path(str(settings.ROOT / "app.py"), run_name="__main__")
        st.stop()
    return st.session_state["frame"]


def share_link(lg: str) -> None:
    """A "copy link" control: the page's URL with every filter in it (st.code has a copy button)."""
    try:
        parts = urlsplit(st.context.url or "")
    except Exception:  # noqa: BLE001 — no browser context (AppTest)
        parts = urlsplit("")
    query = urlencode({k: st.query_params.get(k) for k in st.query_params})
    url = urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
    with st.sidebar.popover(t("copy_link", lg), icon=":material/link:"):
        st.code(url, language=None, wrap_lines=True)


@functools.cache
def freeze_long_lived() -> None:
    """Once per server process, after the first script run: hand the objects of the imported
    libraries (plotly, pandas, streamlit: ~250 k) to ``gc.freeze``, so the full collection Streamlit
    runs after every rerun no longer walks them (measured: ~180 ms → ~35 ms of CPU per rerun)."""
    gc.freeze()


LINK_KEEPS = KEEPS


def link_params() -> dict:
    """The URL parameters a link to another page keeps: language, period and comparison."""
    return {k: st.query_params[k] for k in LINK_KEEPS if k in st.query_params}


def unit_link(code: str) -> str:
    """The unit's profile, in the current language and period."""
    return links.unit_link(code, link_params())


def mobile_link(code: str) -> str:
    """The unit's page for phones, in the current language and period."""
    return links.mobile_link(code, link_params())


def db_path() -> Path:
    return Path(st.session_state["_db_path"])


def metric_card(container, label: str, value: str, change: float | None, change_text: str | None,
                higher_is_better: bool = True, help: str | None = None) -> None:
    """A KPI card whose arrow follows the sign of the change and whose colour says good or bad."""
    if change is None or change_text is None:
        container.metric(label, value, help=help, border=True)
        return
    arrow = "up" if change > 0 else "down" if change < 0 else "off"
    good = (change > 0) == higher_is_better
    color = "gray" if change == 0 else "green" if good else "red"
    container.metric(label, value, change_text, delta_color=color, delta_arrow=arrow, help=help, border=True)


def downloads(f: Frame, df: pd.DataFrame, name: str, container=None) -> None:
    """CSV and Excel buttons for a table (formula-safe); sample data says so in the file name."""
    from communes import exports

    stem = ("du-lieu-mau_" if f.version.is_sample else "") + name
    exports.download_buttons(df, stem, f.lang, container)

