"""The tourism page: AppTest against ``communes.kpi.compute`` for several periods and scopes, and
hand-computed figures on a small fixture (Phong Quảng and Đan Điền, 2024–2025, pre-merger rows under
former communes' names). Every other unit has no tourism row: "không có dữ liệu", never 0, never ranked.

Fixture, by hand (Q3/2025 = July–September 2025):

| unit | Q3/2025 dom / intl / overnight / revenue | Q2/2025 | Q3/2024 |
|---|---|---|---|
| Phong Quảng | 3.000 / 600 / 1.500 / 1,8 tỷ | 1.400 / 200 / 700 / 0,8 tỷ (Apr + Quảng Công Jun) | Quảng Ngạn Jul: 900 / 150 |
| Đan Điền | 4.000 / 0 / 1.400 / 1,6 tỷ | — | Quảng Phú Aug: 2.500 / 0 |
| city | 7.000 / 600 / 2.900 / 3,4 tỷ → 7.600 visitors | 1.600 visitors | 3.550 visitors |

Revenue per visitor Q3/2025 = 3,4e9 / 7.600 = 447.368 đồng; shares of visitors 3.600 / 7.600 = 47,4 %
and 4.000 / 7.600 = 52,6 %; of revenue 1,8 / 3,4 = 52,9 % and 47,1 %.
"""
from __future__ import annotations

import io
from datetime import date

import pandas as pd
import pytest
from apptest import open_app, plotly_array, serving
from conftest import write_exports
from streamlit.testing.v1 import AppTest

from communes import exports, fmt, groups, kpi, periods, queries, refdata, settings
from communes.figures import tourism as figs
from communes.frame import Frame
from communes.i18n import t
from communes.views import tourism as view

PQ, DD, PHU_XUAN = "19873", "19885", "19753"
TOURISM_HEADER = ["unit", "month", "visitors_domestic", "visitors_international", "overnight_guests", "revenue_vnd"]
TOURISM = [
    ["Phường Phong Quảng", "2025-07", "1000", "200", "500", "600000000"],
    ["Phường Phong Quảng", "2025-08", "1500", "300", "700", "900000000"],
    ["Phường Phong Quảng", "2025-09", "500", "100", "300", "300000000"],
    ["Xã Đan Điền", "07/2025", "3000", "0", "1000", "1200000000"],
    ["Xã Đan Điền", "2025-09", "1000", "0", "400", "400000000"],
    ["Xã Quảng Công", "2025-06", "800", "100", "400", "450000000"],  # former commune → Phong Quảng
    ["Phường Phong Quảng", "2025-04", "600", "100", "300", "350000000"],  # re-keyed export: current name accepted
    ["Xã Quảng Ngạn", "2024-07", "900", "150", "450", "500000000"],  # → Phong Quảng
    ["Xã Quảng Phú", "2024-08", "2500", "0", "800", "1000000000"],  # → Đan Điền
]
DOSSIERS = [["T1", "Phường Phong Quảng", "Hộ tịch", "2", "2025-07-03", "2025-07-05", "2025-07-04", "1", ""],
            ["T2", "Xã Đan Điền", "Hộ tịch", "1", "2025-10-15", "2025-10-20", "2025-10-16", "1", ""]]  # as-of 16/10/2025
EVENTS = [["2025-08-11", "Sự cố liên thông", ""], ["2025-08-20", "Kiểm tra tại Phong Quảng", "Phường Phong Quảng"],
          ["2023-01-01", "Quá xa", ""]]


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """One export folder and database for the module; the app reads them through the settings."""
    root = tmp_path_factory.mktemp("tourism")
    data = write_exports(root / "data", DOSSIERS, tourism=(TOURISM_HEADER, TOURISM), events=(["date", "label", "unit"], EVENTS))
    with serving(data, root / "db") as con:
        yield con


def open_page(**params) -> AppTest:
    return open_app("pages/tourism.py", timeout=90, **params)


def scope_units(scope):
    return groups.scope_units(refdata.load(settings.get("province")), scope)


def cards(at) -> dict:
    return {m.label: (m.value, m.delta or None) for m in at.metric}


def kind_of(code: str) -> str:
    return "quarter" if "Q" in code else "year" if len(code) == 4 else "month"


# --- every figure equals communes.kpi.compute ---------------------------------------------------------

@pytest.mark.parametrize("code,scope,cmp", [("2025-Q3", "all", "prev"), ("2025-07", "xa", "prev"),
                                            ("2025-Q2", "coastal", "prev"), ("2025", "all", "yoy"),
                                            ("2025-09", "phuong", "yoy")])
def test_cards_equal_kpi(env, code, scope, cmp):
    at = open_page(pk=kind_of(code), p=code, scope=scope, cmp=cmp)
    assert not at.exception
    p = periods.parse(code)
    units = scope_units(scope)
    compare, other = (p.previous(), p.last_year()) if cmp == "prev" else (p.last_year(), p.previous())
    now, before, oth = (kpi.compute(x, units, con=env)["tourism"] for x in (p, compare, other))
    c = cards(at)
    for key in ("visitors", "visitors_domestic", "visitors_international", "overnight_guests", "revenue_vnd"):
        show = fmt.money(now[key]) if key == "revenue_vnd" else fmt.number(now[key])
        value, delta = c[st_label(key)]
        assert value == show, key
        assert delta == view.rel_text(view.rel_change(now[key], before[key])), key
    per = None if not now["visitors"] else now["revenue_vnd"] / now["visitors"]
    assert c["Doanh thu bình quân/lượt khách"][0] == view.per_visitor(per)
    caps = [x.value for x in at.caption]
    if (other.start, other.end) == (compare.start, compare.end):  # a year: last year is the previous period
        assert not any(c.startswith("So với") for c in caps)  # said once, on the cards
        return
    r2 = view.rel_change(now["visitors"], oth["visitors"])
    line = f"So với {other.label()}: {view.rel_text(r2)}" if r2 is not None else f"So với {other.label()}: không có dữ liệu"
    assert line in caps


def st_label(key: str) -> str:
    return t(f"ind.{key}")


@pytest.mark.parametrize("code", ["2025-Q3", "2025-08", "2024"])
def test_unit_table_equals_kpi_per_unit(env, code):
    at = open_page(pk=kind_of(code), p=code)
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 40
    p = periods.parse(code)
    for unit, name in ((PQ, "Phường Phong Quảng"), (DD, "Xã Đan Điền"), (PHU_XUAN, "Phường Phú Xuân")):
        exp = kpi.compute(p, [unit], con=env)["tourism"]
        row = table[table["Đơn vị"] == name].iloc[0]
        assert row["Tổng lượt khách"] == fmt.number(exp["visitors"])
        assert row["Lượt khách nội địa"] == fmt.number(exp["visitors_domestic"])
        assert row["Doanh thu du lịch"] == fmt.money(exp["revenue_vnd"])
        assert row["Lượt khách lưu trú"] == fmt.number(exp["overnight_guests"])


# --- by hand ------------------------------------------------------------------------------------------

def test_q3_2025_by_hand(env):
    at = open_page(pk="quarter", p="2025-Q3")
    c = cards(at)
    assert c["Tổng lượt khách"] == ("7.600", "+375,0 %")  # vs Q2/2025: 1.600
    assert c["Lượt khách nội địa"] == ("7.000", "+400,0 %")  # vs 1.400
    assert c["Lượt khách quốc tế"] == ("600", "+200,0 %")  # vs 200
    assert c["Lượt khách lưu trú"] == ("2.900", "+314,3 %")  # vs 700
    assert c["Doanh thu du lịch"] == ("3,4 tỷ đồng", "+325,0 %")  # vs 0,8 tỷ
    assert c["Doanh thu bình quân/lượt khách"][0] == "0,45 triệu đồng"  # 447.368 đồng
    assert "So với Quý III/2024: +114,1 %" in [x.value for x in at.caption]  # 7.600 / 3.550


def test_ranking_shares_and_no_data_units(env):
    at = open_page(pk="quarter", p="2025-Q3")
    t = at.dataframe[0].value
    top = t.iloc[:2]
    assert list(top["Đơn vị"]) == ["Xã Đan Điền", "Phường Phong Quảng"]
    assert list(top["Hạng"]) == ["1", "2"]
    assert list(top["Tỷ trọng lượt khách toàn thành phố"]) == ["52,6 %", "47,4 %"]
    assert t.iloc[1]["Thay đổi lượt khách so với kỳ so sánh"] == "+125,0 %"  # 3.600 vs 1.600
    assert t.iloc[0]["Thay đổi lượt khách so với kỳ so sánh"] == "không có dữ liệu"  # no Q2 row: no base
    rest = t.iloc[2:]
    assert set(rest["Hạng"]) == {""}  # not ranked
    assert set(rest["Tổng lượt khách"]) == {"không có dữ liệu"}  # never "0"
    assert any("Không có dữ liệu du lịch (38 đơn vị" in x.value for x in at.caption)


def test_ranking_by_revenue_is_bound_to_the_url(env):
    at = open_page(pk="quarter", p="2025-Q3", tm="revenue_vnd")
    assert not at.exception
    assert at.radio[0].value == "revenue_vnd"
    t = at.dataframe[0].value
    assert list(t.iloc[:2]["Đơn vị"]) == ["Phường Phong Quảng", "Xã Đan Điền"]  # 1,8 tỷ > 1,6 tỷ
    assert list(t.iloc[:2]["Tỷ trọng doanh thu toàn thành phố"]) == ["52,9 %", "47,1 %"]
    at.radio[0].set_value("visitors").run()
    assert "tm" not in at.query_params  # the default leaves the URL clean
    assert at.dataframe[0].value.iloc[0]["Đơn vị"] == "Xã Đan Điền"


def test_scope_without_tourism_shows_no_data(env):
    at = open_page(pk="quarter", p="2025-Q3", scope="mountain")
    assert not at.exception
    c = cards(at)
    assert c["Tổng lượt khách"] == ("không có dữ liệu", None)
    assert c["Doanh thu bình quân/lượt khách"][0] == "không có dữ liệu"
    assert any(x.value.startswith("Không có dữ liệu du lịch trong kỳ này") for x in at.info)


def test_english(env):
    at = open_page(pk="quarter", p="2025-Q3", lang="en")
    assert not at.exception
    c = cards(at)
    assert c["Total visitors"][0] == "7,600"
    assert c["Tourism revenue"][0] == "3.4 billion VND"
    assert at.title[0].value == "Tourism – Q3 2025"


# --- the data plan, figures and downloads -------------------------------------------------------------

def frame(code, scope="all", cmp="prev", as_of=date(2025, 10, 16)):
    ref = refdata.load(settings.get("province"))
    p = periods.parse(code)
    return Frame(ref, p, p.previous() if cmp == "prev" else p.last_year(), cmp, scope,
                 groups.scope_units(ref, scope), None, as_of)


def plain(con):
    return lambda name, **params: queries.run(name, con=con, **params)


def test_trend_window_last_year_and_events(env):
    d = view.load(plain(env), frame("2025-Q3"))
    assert d.window == (date(2024, 10, 1), date(2025, 9, 30))
    m = d.monthly.set_index("month")["visitors"]
    assert m[pd.Timestamp("2025-07-01")] == 1000 + 200 + 3000  # PQ + ĐĐ in July
    assert m[pd.Timestamp("2024-07-01")] == 1050  # last year's line reads the rows 12 months back
    assert pd.Timestamp("2025-05-01") not in m.index  # a month without rows is a gap, not a zero
    assert list(d.events["label"]) == ["Sự cố liên thông"]  # city-wide only, inside the window
    fig = figs.trend(d.monthly, "visitors", d.window, frame("2025-Q3").period, d.events)
    names = [tr.name for tr in fig.data]
    assert names == ["Cùng kỳ năm trước", "Kỳ này", "Sự kiện"]
    assert fig.data[1].y[9] == 4200 and fig.data[0].y[9] == 1050  # July 2025 and July 2024
    assert fig.data[1].y[7] is None  # May 2025: no data, no point
    xs = {pd.Timestamp(s.x0) for s in fig.layout.shapes if s.type == "line"}
    assert pd.Timestamp("2025-07-01") in xs and pd.Timestamp("2025-08-11") in xs  # merger and event marked
    assert fig.layout.separators == ",."


def test_window_is_clipped_to_the_data_and_widened_to_long_periods():
    f = frame("2025")
    assert view.window(f) == (date(2024, 11, 1), date(2025, 10, 31))  # as-of 16/10/2025
    f = frame("2024-07-01..2025-09-30")
    assert view.window(f) == (date(2024, 7, 1), date(2025, 9, 30))


def test_heatmap_rows_are_units_with_data_and_colour_is_the_units_own_index(env):
    d = view.load(plain(env), frame("2025-Q3"))
    fig = figs.heatmap(d.grid, "visitors", d.window)
    hm = fig.data[0]
    # largest total over the 12 months first (PQ 5.200, ĐĐ 4.000); units without data left out
    assert list(hm.y) == ["Phong Quảng", "Đan Điền"]
    z = pd.DataFrame(hm.z, index=hm.y)
    # Đan Điền: July 3.000, Sept 1.000 → mean 2.000 → index 150 and 50; Aug no data (gap)
    assert z.loc["Đan Điền"].dropna().round(6).tolist() == [150.0, 50.0]


def test_downloads_are_utf8_with_bom_and_raw_numbers(env):
    d = view.load(plain(env), frame("2025-Q3"))
    show, raw = view.unit_table(d.units, "visitors", t, "vi")
    data = exports.csv_bytes(raw)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype={"Mã đơn vị": str})
    assert list(back.columns[:3]) == ["Hạng", "Mã đơn vị", "Đơn vị"]
    dd = back[back["Mã đơn vị"] == DD].iloc[0]
    assert dd["Tổng lượt khách"] == 4000 and dd["Doanh thu du lịch"] == 1_600_000_000
    assert back[back["Mã đơn vị"] == PHU_XUAN]["Tổng lượt khách"].isna().all()  # empty, not 0
    assert "Mã đơn vị" not in show.columns
    month = view.month_table(d.grid, t)
    assert len(month) == 7  # the 12 months of the heat map: PQ Apr, Jun–Sep; ĐĐ Jul, Sep


def test_bench_frame_loads(env):
    for code, scope in [("2025-Q3", "all"), ("2025-09", "xa"), ("2025", "all"), ("2025-07-01..2025-10-31", "phuong")]:
        d = view.load(plain(env), frame(code, scope))
        assert set(vars(d)) >= {"cards", "units", "monthly", "grid", "events", "window"}


def test_map_is_drawn_only_while_its_expander_is_open(env):
    """The map sits in a closed expander: not drawn (no server or browser time) until the reader opens it."""
    import json

    def maps(at):
        return [json.loads(c.proto.spec) for c in at.get("plotly_chart")
                if '"choroplethmap"' in c.proto.spec]

    at = open_page(pk="quarter", p="2025-Q3")
    assert maps(at) == []
    at.session_state["tourism_map_open"] = True  # what opening the expander does
    at.run()
    (shown,) = maps(at)
    values = dict(zip(shown["data"][0]["locations"], plotly_array(shown["data"][0]["z"])))
    assert values[PQ] == 3600 and values[DD] == 4000  # Q3/2025 visitors, by hand (module docstring)
