"""The agriculture & fishery page: AppTest against ``communes.kpi.compute`` for several periods and
scopes, and hand-computed figures on a small fixture (Phong Quảng and Đan Điền; pre-merger rows under
the former communes' names; Phú Xuân grows vegetables, no rice; every other unit has no row).

Rice 2025, by hand (yield = production × 10 / area over the rows summed, never a mean of yields):

| unit | Đông Xuân (ha, t) | Hè Thu (ha, t) | year: ha / t / tạ/ha | 2024 |
|---|---|---|---|---|
| Phong Quảng | Quảng Công 100, 500 + Quảng Ngạn 50, 200 | 120, 420 | 270 / 1.120 / 41,5 (mean of yields: 41,7) | 200 / 850 / 42,5 |
| Đan Điền | Quảng Phú 200, 1.200 | 200, 1.000 (⚠ 200 × 55 / 10 = 1.100) | 400 / 2.200 / 55,0 | 180 / 900 / 50,0 |
| city | 350, 1.900 (54,3) | 320, 1.420 (44,4) | 670 / 3.320 / 49,6 | 380 / 1.750 / 46,1 |

Fishery Q3/2025: Phong Quảng aquaculture 10 + 12 + 8 = 30 t on 20, 22, 24 ha (mean 22 ha → 1,36 t/ha),
capture 30 + 28 = 58 t; Đan Điền aquaculture 40 t on 50 ha (0,80 t/ha), capture 60 t; city 70 + 118 =
188 t on 72 ha (0,97 t/ha). Q2/2025: Quảng Công (→ Phong Quảng) 5 t on 20 ha. Q3/2024: 30 + 25 = 55 t.
"""
from __future__ import annotations

import csv
import io
from datetime import date

import pandas as pd
import pytest
import streamlit as st
from apptest import open_app, serving
from streamlit.testing.v1 import AppTest

from communes import comparisons, db, fmt, groups, kpi, periods, queries, refdata, settings
from communes.exports import csv_bytes
from communes.figures import agriculture as figs
from communes.frame import Frame
from communes.i18n import t
from communes.views import agriculture as view
from communes.views.tourism import rel_change, rel_text

PQ, DD, PHU_XUAN, VY_DA = "19873", "19885", "19753", "19777"
AGRI_HEADER = ["unit", "year", "season", "crop", "area_ha", "yield_quintal_per_ha", "production_tonnes"]
AGRI = [  # editor line = index + 2
    ["Xã Quảng Công", "2025", "Đông Xuân", "Lúa", "100", "50", "500"],
    ["Xã Quảng Ngạn", "2025", "Đông Xuân", "Lúa", "50", "40", "200"],
    ["Phường Phong Quảng", "2025", "Hè Thu", "Lúa", "120", "35", "420"],
    ["Xã Quảng Phú", "2025", "Đông Xuân", "Lúa", "200", "60", "1200"],
    ["Xã Đan Điền", "2025", "Hè Thu", "Lúa", "200", "55", "1000"],  # line 6: off by −9,1 % → warning
    ["Xã Quảng Công", "2024", "Đông Xuân", "Lúa", "100", "45", "450"],
    ["Xã Quảng Công", "2024", "Hè Thu", "Lúa", "100", "40", "400"],
    ["Xã Quảng Phú", "2024", "Đông Xuân", "Lúa", "180", "50", "900"],
    ["Phường Phú Xuân", "2025", "Cả năm", "Rau", "10", "200", "200"],
    ["Xã Quảng Phú", "2023", "Đông Xuân", "Lúa", "100", "50", "600"],  # line 11: warning outside the years shown
]
FISH_HEADER = ["unit", "month", "kind", "output_tonnes", "area_ha"]
FISH = [
    ["Phường Phong Quảng", "2025-07", "Nuôi trồng", "10", "20"],
    ["Phường Phong Quảng", "2025-07", "Khai thác", "30", ""],
    ["Phường Phong Quảng", "2025-08", "Nuôi trồng", "12", "22"],
    ["Phường Phong Quảng", "2025-08", "Khai thác", "28", ""],
    ["Phường Phong Quảng", "2025-09", "Nuôi trồng", "8", "24"],
    ["Xã Đan Điền", "2025-07", "Nuôi trồng", "40", "50"],
    ["Xã Đan Điền", "2025-08", "Khai thác", "60", ""],
    ["Xã Quảng Công", "2025-05", "Nuôi trồng", "5", "20"],
    ["Xã Quảng Ngạn", "2024-07", "Khai thác", "25", ""],
    ["Xã Quảng Phú", "2024-09", "Nuôi trồng", "30", "40"],
]
DOSSIER_HEADER = ["dossier_id", "unit", "field", "channel", "received_at", "due_at", "completed_at", "digitized", "rating"]
DOSSIERS = [["A1", "Phường Phong Quảng", "Hộ tịch", "2", "2025-07-03", "2025-07-05", "2025-07-04", "1", ""],
            ["A2", "Xã Đan Điền", "Hộ tịch", "1", "2025-10-15", "2025-10-20", "2025-10-16", "1", ""]]  # as-of 16/10/2025
EVENTS = [["2025-08-11", "Sự cố liên thông", ""], ["2025-08-20", "Kiểm tra tại Phong Quảng", "Phường Phong Quảng"]]


def write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def make(root, agriculture=True, fishery=True):
    data = root / "data"
    data.mkdir()
    write(data / "dossiers.csv", DOSSIER_HEADER, DOSSIERS)
    write(data / "events.csv", ["date", "label", "unit"], EVENTS)
    if agriculture:
        write(data / "agriculture.csv", AGRI_HEADER, AGRI)
    if fishery:
        write(data / "fishery.csv", FISH_HEADER, FISH)
    return data


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """One export folder and database for the module; the app reads them through the settings."""
    root = tmp_path_factory.mktemp("agri")
    data = make(root)
    with serving(data, root / "db") as con:
        yield con


def open_page(**params) -> AppTest:
    return open_app("pages/agriculture.py", timeout=90, **params)


def cards(at) -> dict:
    return {m.label: (m.value, m.delta or None) for m in at.metric}


def table(at, header: str) -> pd.DataFrame:
    return next(df.value for df in at.dataframe if header in df.value.columns)


def kind_of(code: str) -> str:
    return "quarter" if "Q" in code else "year" if len(code) == 4 else "month"


def scope_units(scope):
    return groups.scope_units(refdata.load(settings.get("province")), scope)


# --- every figure equals communes.kpi.compute ---------------------------------------------------------

@pytest.mark.parametrize("code,scope,cmp", [("2025-Q3", "all", "prev"), ("2025-08", "xa", "prev"),
                                            ("2025", "coastal", "yoy"), ("2024-Q3", "phuong", "prev"),
                                            ("2025-Q2", "all", "yoy")])
def test_cards_equal_kpi(env, code, scope, cmp):
    at = open_page(pk=kind_of(code), p=code, scope=scope, cmp=cmp)
    assert not at.exception
    p = periods.parse(code)
    units = scope_units(scope)
    compare = p.previous() if cmp == "prev" else p.last_year()
    now, ly = kpi.compute(p, units, con=env), kpi.compute(p.last_year(), units, con=env)
    before = kpi.compute(compare, units, con=env)
    c = cards(at)
    r, r_ly = now["agriculture"], ly["agriculture"]
    assert c[t("ind.rice_area_ha")][0] == fmt.hectares(r["rice_area_ha"])
    assert c[t("ind.rice_production_tonnes")][0] == fmt.tonnes(r["rice_production_tonnes"])
    assert c[t("ind.rice_yield_quintal_per_ha")][0] == fmt.yield_(r["rice_yield_quintal_per_ha"])
    assert c[t("ind.rice_production_tonnes")][1] == rel_text(rel_change(r["rice_production_tonnes"],
                                                                        r_ly["rice_production_tonnes"]))
    for key in ("aquaculture_tonnes", "capture_tonnes"):
        a, b = now["fishery"][key], before["fishery"][key]
        assert c[t(f"ind.{key}")] == (fmt.tonnes(a), rel_text(rel_change(a, b))), key
    total = None if now["fishery"]["aquaculture_tonnes"] is None else \
        now["fishery"]["aquaculture_tonnes"] + now["fishery"]["capture_tonnes"]
    assert c[t("agri.fish.total")][0] == fmt.tonnes(total)


@pytest.mark.parametrize("code", ["2025-Q3", "2024"])
def test_rice_and_fishery_tables_equal_kpi_per_unit(env, code):
    at = open_page(pk=kind_of(code), p=code)
    assert not at.exception
    rice, fish = table(at, "Năng suất"), table(at, "Sản lượng nuôi trồng/ha")
    p = periods.parse(code)
    for unit, name in ((PQ, "Phường Phong Quảng"), (DD, "Xã Đan Điền")):
        exp = kpi.compute(p, [unit], con=env)
        row = rice[rice["Đơn vị"] == name].iloc[0]
        assert row["Năng suất"] == fmt.yield_(exp["agriculture"]["rice_yield_quintal_per_ha"])
        assert row["Sản lượng"] == fmt.tonnes(exp["agriculture"]["rice_production_tonnes"])
        assert row["Diện tích gieo cấy"] == fmt.hectares(exp["agriculture"]["rice_area_ha"])
        row = fish[fish["Đơn vị"] == name].iloc[0]
        f = exp["fishery"]
        assert row["Sản lượng nuôi trồng thủy sản"] == fmt.tonnes(f["aquaculture_tonnes"], decimals=1)
        assert row["Sản lượng khai thác thủy sản"] == fmt.tonnes(f["capture_tonnes"], decimals=1)


# --- rice by hand -------------------------------------------------------------------------------------

def test_rice_cards_and_table_by_hand(env):
    at = open_page(pk="quarter", p="2025-Q3")
    c = cards(at)
    assert c["Diện tích gieo cấy lúa"] == ("670,0 ha", "+76,3 %")  # vs 380 ha in 2024
    assert c["Sản lượng lúa"] == ("3.320 tấn", "+89,7 %")  # vs 1.750 t
    assert c["Năng suất lúa"] == ("49,6 tạ/ha", "+3,5 tạ/ha")  # 3.320 × 10 / 670 vs 1.750 × 10 / 380
    rice = table(at, "Năng suất")
    dd, pq = rice.iloc[0], rice.iloc[1]
    assert (dd["Hạng"], dd["Đơn vị"], dd["Năng suất"], dd["Sản lượng"]) == ("1", "Xã Đan Điền", "55,0 tạ/ha", "2.200 tấn")
    assert (dd["Năng suất so với năm trước (tạ/ha)"], dd["Năng suất so với bình quân thành phố (tạ/ha)"]) == ("+5,0", "+5,4")
    assert dd["Cảnh báo số liệu"] == "1"
    assert (pq["Hạng"], pq["Diện tích gieo cấy"], pq["Sản lượng"]) == ("2", "270,0 ha", "1.120 tấn")
    assert pq["Năng suất"] == "41,5 tạ/ha"  # 1.120 × 10 / 270; the mean of the row yields would be 41,7
    assert pq["Tỷ trọng sản lượng toàn thành phố"] == "33,7 %"
    assert (pq["Năng suất năm trước"], pq["Năng suất so với năm trước (tạ/ha)"]) == ("42,5 tạ/ha", "−1,0")
    assert pq["Năng suất so với bình quân thành phố (tạ/ha)"] == "−8,1"


def test_units_without_rice_are_shown_as_having_none_not_ranked(env):
    at = open_page(pk="year", p="2025")
    rice = table(at, "Năng suất")
    assert len(rice) == 40
    for name in ("Phường Phú Xuân", "Phường Vỹ Dạ"):  # vegetables only / no row at all
        row = rice[rice["Đơn vị"] == name].iloc[0]
        assert row["Hạng"] == ""
        assert row["Năng suất"] == row["Sản lượng"] == row["Diện tích gieo cấy"] == "không có lúa"
    assert list(rice["Hạng"][:2]) == ["1", "2"] and set(rice["Hạng"][2:]) == {""}
    assert any("Không trồng lúa (38 đơn vị" in x.value for x in at.caption)


def test_season_choice_is_bound_to_the_url(env):
    at = open_page(pk="quarter", p="2025-Q3", vu="dong-xuan")
    assert not at.exception
    assert at.radio[0].value == "dong-xuan"
    rice = table(at, "Năng suất")
    pq = rice[rice["Đơn vị"] == "Phường Phong Quảng"].iloc[0]
    assert pq["Năng suất"] == "46,7 tạ/ha"  # (500 + 200) × 10 / (100 + 50)
    assert pq["Năng suất so với bình quân thành phố (tạ/ha)"] == "−7,6"  # city Đông Xuân 1.900 × 10 / 350 = 54,3
    at.radio[0].set_value("all").run()
    assert "vu" not in at.query_params


def test_load_warnings_are_shown_for_the_rows_concerned(env):
    at = open_page(pk="quarter", p="2025-Q3")
    w = table(at, "Dòng")
    assert len(w) == 1
    row = w.iloc[0]
    assert (row["Tệp"], row["Dòng"], row["Đơn vị"], row["Năm"], row["Vụ"]) == ("agriculture.csv", "6", "Xã Đan Điền",
                                                                                "2025", "Hè Thu")
    assert (row["Diện tích gieo cấy"], row["Năng suất"], row["Sản lượng báo cáo"]) == ("200,0 ha", "55,0 tạ/ha", "1.000,0 tấn")
    assert (row["Diện tích × năng suất / 10"], row["Chênh lệch"]) == ("1.100,0 tấn", "−9,1 %")
    assert any(x.value.startswith("1 dòng số liệu có sản lượng lệch quá 2 %") for x in at.warning)
    assert "Tệp còn 1 cảnh báo khác ngoài phạm vi và năm đang xem." in [x.value for x in at.caption]
    # a scope without the row: no table, the warnings counted as elsewhere
    at = open_page(pk="quarter", p="2025-Q3", scope="phuong")
    assert not any("Dòng" in df.value.columns for df in at.dataframe)
    assert "Tệp còn 2 cảnh báo khác ngoài phạm vi và năm đang xem." in [x.value for x in at.caption]


# --- fishery by hand ----------------------------------------------------------------------------------

def test_fishery_cards_and_table_by_hand(env):
    at = open_page(pk="quarter", p="2025-Q3")
    c = cards(at)
    assert c["Sản lượng nuôi trồng thủy sản"] == ("70 tấn", "+1.300,0 %")  # vs 5 t in Q2
    assert c["Sản lượng khai thác thủy sản"] == ("118 tấn", None)  # Q2 capture 0: no base for a change
    assert c["Tổng sản lượng thủy sản"] == ("188 tấn", "+3.660,0 %")
    assert c["Diện tích nuôi trồng"][0] == "72,0 ha"  # 22 (mean of 20, 22, 24) + 50, not 116 summed over months
    assert c["Sản lượng nuôi trồng/ha"][0] == "0,97 tấn/ha"
    caps = [x.value for x in at.caption]
    assert "So với Quý III/2024: +241,8 %" in caps  # total 188 vs 55
    fish = table(at, "Sản lượng nuôi trồng/ha")
    dd, pq = fish.iloc[0], fish.iloc[1]
    assert (dd["Hạng"], dd["Đơn vị"], dd["Tổng sản lượng thủy sản"], dd["Sản lượng nuôi trồng/ha"]) == \
        ("1", "Xã Đan Điền", "100,0 tấn", "0,80 tấn/ha")
    assert (pq["Diện tích nuôi trồng"], pq["Sản lượng nuôi trồng/ha"], pq["Tỷ trọng sản lượng toàn thành phố"]) == \
        ("22,0 ha", "1,36 tấn/ha", "46,8 %")
    assert pq["Thay đổi tổng sản lượng so với kỳ so sánh"] == "+1.660,0 %"  # 88 vs 5
    assert dd["Thay đổi tổng sản lượng so với kỳ so sánh"] == "không có dữ liệu"
    rest = fish.iloc[2:]
    assert set(rest["Hạng"]) == {""} and set(rest["Tổng sản lượng thủy sản"]) == {"không có dữ liệu"}


def test_fishery_detail_by_month_and_by_year(env):
    at = open_page(pk="quarter", p="2025-Q3")
    detail = at.dataframe[-1].value
    assert len(detail) == 5  # PQ Jul–Sep, ĐĐ Jul, Aug
    pq_sep = detail[(detail["Đơn vị"] == "Phường Phong Quảng") & (detail["Tháng"] == "T9/2025")].iloc[0]
    assert (pq_sep["Sản lượng nuôi trồng thủy sản"], pq_sep["Sản lượng khai thác thủy sản"]) == ("8,0 tấn", "0,0 tấn")
    at.radio(key="fg").set_value("year").run()  # only the chosen detail is queried, on the rerun
    assert at.query_params["fg"] == ["year"] or at.query_params["fg"] == "year"
    detail = at.dataframe[-1].value  # the detail is the page's last table
    pq = detail[detail["Đơn vị"] == "Phường Phong Quảng"].iloc[0]
    # 2025: Quảng Công May 5 t (20 ha) + Jul–Sep 30 t → 35 t on the mean of 20, 20, 22, 24 = 21,5 ha
    assert (pq["Năm"], pq["Sản lượng nuôi trồng thủy sản"], pq["Diện tích nuôi trồng"]) == ("2025", "35,0 tấn", "21,5 ha")
    assert pq["Sản lượng nuôi trồng/ha"] == "1,63 tấn/ha"


def test_english(env):
    at = open_page(pk="quarter", p="2025-Q3", lang="en")
    assert not at.exception
    c = cards(at)
    assert c["Rice yield"][0] == "49.6 quintals/ha"
    assert c["Aquaculture output per ha"][0] == "0.97 t/ha"
    assert at.title[0].value == "Agriculture & fishery – Q3 2025"


def test_without_agriculture_and_fishery_exports(tmp_path, monkeypatch):
    data = make(tmp_path, agriculture=False, fishery=False)
    monkeypatch.setenv("COMMUNES_DATA_DIR", str(data))
    monkeypatch.setenv("COMMUNES_DB_DIR", str(tmp_path / "db"))
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = open_page(pk="quarter", p="2025-Q3")
        assert not at.exception
        c = cards(at)
        assert c["Năng suất lúa"][0] == c["Tổng sản lượng thủy sản"][0] == "không có dữ liệu"
        infos = [x.value for x in at.info]
        assert "Không có dữ liệu lúa cho năm 2025 trong phạm vi đã chọn." in infos
        assert "Không có dữ liệu thủy sản trong kỳ này cho phạm vi đã chọn." in infos
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()


# --- queries, data plan, figures, downloads -----------------------------------------------------------

def plain(con):
    return lambda name, **params: queries.run(name, con=con, **params)


def frame(code, scope="all"):
    ref = refdata.load(settings.get("province"))
    p = periods.parse(code)
    return Frame(ref, p, p.previous(), "prev", scope, groups.scope_units(ref, scope), None, date(2025, 10, 16))


@pytest.mark.parametrize("code,scope", [("2025", "all"), ("2025-Q3", "coastal"), ("2024-07-01..2025-06-30", "xa")])
def test_rice_query_equals_kpi_and_seasons_add_up(env, code, scope):
    p, units = periods.parse(code), scope_units(scope)
    rice = plain(env)("agriculture/rice", start=p.start, end=p.end, units=units)
    def expected(period, units):  # last year: the same seasons a year earlier (communes.comparisons)
        if period == "now":
            return kpi.compute(p, units, con=env)["agriculture"]
        return kpi.compute_compared(comparisons.of(p, "prev"), units, con=env)["agriculture"]

    for period in ("now", "last_year"):
        for level, unit in [("scope", None), ("city", None)] + [("unit", u) for u in (PQ, DD) if units is None or u in units]:
            r = view.rows(rice, period, level, None)
            r = r.loc[unit] if unit else r.iloc[0]
            exp = expected(period, [unit] if unit else (units if level == "scope" else None))
            assert r["rice_yield_quintal_per_ha"] == pytest.approx(exp["rice_yield_quintal_per_ha"]), (period, level, unit)
            assert r["rice_production_tonnes"] == pytest.approx(exp["rice_production_tonnes"])
            if level == "scope":
                continue  # the scope's rows are all seasons together (the cards)
            seasons = rice[(rice["period"] == period) & (rice["level"] == level) & rice["season"].notna()]
            if unit:
                seasons = seasons[seasons["unit_code"] == unit]
            assert seasons["rice_area_ha"].sum() == pytest.approx(exp["rice_area_ha"])  # seasons add up
            assert seasons["rice_production_tonnes"].sum() == pytest.approx(exp["rice_production_tonnes"])


def test_season_yield_sums_former_communes_first(env):
    rice = plain(env)("agriculture/rice", start=date(2025, 1, 1), end=date(2025, 12, 31), units=None)
    pq_dx = view.rows(rice, "now", "unit", "Đông Xuân").loc[PQ]
    assert pq_dx["rice_yield_quintal_per_ha"] == pytest.approx(700 * 10 / 150)  # not (50 + 40) / 2


def test_aquaculture_area_is_the_mean_of_the_months(env):
    run = plain(env)
    f = run("agriculture/fishery_periods", start=date(2025, 7, 1), end=date(2025, 9, 30), cmp_start=date(2025, 4, 1),
            cmp_end=date(2025, 6, 30), other_start=None, other_end=None, units=[PQ])
    f = f[f["period"] == "now"]
    unit, total = f[f["unit_code"] == PQ].iloc[0], f[f["unit_code"].isna()].iloc[0]
    assert unit["aquaculture_area_ha"] == pytest.approx(22.0)
    assert unit["aquaculture_t_per_ha"] == pytest.approx(30 / 22)
    assert total["aquaculture_tonnes"] == 30 and total["capture_tonnes"] == 58


def test_season_chart_marks_the_merger_between_the_seasons(env):
    d = view.load(plain(env), frame("2025-Q3"))
    fig = figs.season_trend(d.rice_trend)
    assert list(fig.layout.xaxis.ticktext) == ["Đông Xuân<br>2023", "Đông Xuân<br>2024", "Hè Thu<br>2024",
                                               "Đông Xuân<br>2025", "Hè Thu<br>2025"]  # three crop years up to 2025
    assert [s.x0 for s in fig.layout.shapes] == [3.5]  # after Đông Xuân 2025 (harvested by 30/6)
    # Đông Xuân yields 600 × 10 / 100; 1.350 × 10 / 280; 1.900 × 10 / 350
    assert list(fig.data[0].text) == ["60,0 tạ/ha", "48,2 tạ/ha", "54,3 tạ/ha"]


def test_yield_chart_draws_the_weighted_city_average(env):
    d = view.load(plain(env), frame("2025-Q3"))
    units, city = view.rice_units(d.rice, d.scope_units, None, d.warnings, (2024, 2025))
    fig = figs.yield_dots(units, city["rice_yield_quintal_per_ha"])
    avg = fig.data[-1]
    assert avg.x[0] == pytest.approx(3320 * 10 / 670)
    assert avg.name == "Bình quân TP: 49,6 tạ/ha"
    assert list(fig.data[1].y) == ["Đan Điền", "Phong Quảng"]


def test_downloads_are_utf8_with_bom_and_raw(env):
    d = view.load(plain(env), frame("2025-Q3"))
    units, _ = view.rice_units(d.rice, d.scope_units, None, d.warnings, (2024, 2025))
    _, raw = view.rice_table(units, t, "vi")
    data = csv_bytes(raw)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype={"Mã đơn vị": str})
    pq = back[back["Mã đơn vị"] == PQ].iloc[0]
    assert pq["Năng suất"] == pytest.approx(1120 * 10 / 270)
    assert back[back["Mã đơn vị"] == VY_DA]["Sản lượng"].isna().all()  # empty, not 0
    _, raw, _ = view.warning_table(d.warnings, None, (2024, 2025), t, "vi")
    assert list(raw["Dòng"]) == [6]


def test_warning_finds_its_row_after_a_blank_line(tmp_path):
    """The warning's line is the editor line; the loaded row's source_row skips blank lines."""
    data = make(tmp_path)
    lines = (data / "agriculture.csv").read_text(encoding="utf-8").splitlines()
    lines.insert(2, "")  # a blank line after the first row: Đan Điền's row moves to line 7
    (data / "agriculture.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    con = queries.connection(db.build(data, tmp_path / "db").path)
    w = plain(con)("agriculture/warnings")
    first = w.iloc[0]
    assert (first["line"], first["unit_label"], first["season"], first["production_tonnes"]) == (7, "Xã Đan Điền", "Hè Thu", 1000)


def test_bench_frames_load(env):
    for code, scope in [("2025-Q3", "all"), ("2025-09", "xa"), ("2025", "all"), ("2025-07-01..2025-10-31", "phuong")]:
        d = view.load(plain(env), frame(code, scope))
        assert set(vars(d)) >= {"rice_cards", "rice", "fish_cards", "fish_units", "fish_detail", "warnings", "events"}
    assert "year" in view.load(plain(env), frame("2025-Q3"), "year").fish_detail.columns


def test_rice_trend_by_year_and_season(env):
    """agriculture/rice_trend (rice_season_indicators): by hand for the city, and each year's seasons add up to
    rice_indicators of that year."""
    got = queries.run("agriculture/rice_trend", con=env, start=date(2024, 1, 1), end=date(2025, 12, 31), units=None)
    rows = {(r.year, r.season): (r.rice_area_ha, r.rice_production_tonnes, r.rice_yield_quintal_per_ha)
            for r in got.itertuples()}
    assert rows == {  # 2023 (Quảng Phú) left out; Phú Xuân's vegetables are not rice
        (2024, "Đông Xuân"): (280, 1350, pytest.approx(1350 * 10 / 280)),  # 48,2 tạ/ha
        (2024, "Hè Thu"): (100, 400, 40.0),
        (2025, "Đông Xuân"): (350, 1900, pytest.approx(1900 * 10 / 350)),  # 54,3
        (2025, "Hè Thu"): (320, 1420, pytest.approx(1420 * 10 / 320)),  # 44,4
    }
    for units in (None, [PQ], [DD], [DD, PQ], [VY_DA]):
        trend = queries.run("agriculture/rice_trend", con=env, start=date(2023, 3, 1), end=date(2025, 6, 30),
                            units=units)
        for year in (2023, 2024, 2025):
            seasons = trend[trend["year"] == year]
            whole = env.execute("select * from rice_indicators(make_date(?, 1, 1), make_date(?, 12, 31), ?, false)",
                                [year, year, units]).df()
            if whole.empty:
                assert seasons.empty
                continue
            assert seasons["rice_area_ha"].sum() == whole["rice_area_ha"].iloc[0]
            assert seasons["rice_production_tonnes"].sum() == whole["rice_production_tonnes"].iloc[0]
