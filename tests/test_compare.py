"""Compare page: units from the URL, the KPI table (best marked, equal to ``kpi``), normalised figures,
the change across the merger, and the page opened with three units (AppTest)."""
from __future__ import annotations

import doctest

import pandas as pd
import pytest
from apptest import open_app
from streamlit.testing.v1 import AppTest

from communes import db, fmt, kpi, periods, queries
from communes.views import compare as cv
from tests.test_profile import DD, DOSSIERS, PQ, STAFFING, TOURISM, UNITS

PX = "19753"  # Phường Phú Xuân: no row in the fixture


def test_docstring_examples_hold():
    assert doctest.testmod(cv).failed == 0


def test_units_from_the_url_accept_codes_and_names():
    allowed = [PQ, DD, PX]
    resolve = {"Dan Dien": DD, "P. Phong Quảng": PQ}.get
    assert cv.parse_units("19873,Dan Dien,19753", resolve, allowed) == ([PQ, DD, PX], [])
    assert cv.parse_units(" P. Phong Quảng , 19873 ,,nowhere", resolve, allowed) == ([PQ], ["nowhere"])
    assert cv.parse_units("19873,19885", resolve, [PQ]) == ([PQ], ["19885"])  # not allowed for this user
    assert cv.parse_units(None, resolve, allowed) == ([], [])
    many = ",".join(str(19700 + i) for i in range(10))
    assert len(cv.parse_units(many, lambda s: s, [str(19700 + i) for i in range(10)])[0]) == cv.MAX_UNITS


def test_kpi_table_marks_the_best_of_each_row_and_leaves_volumes_unmarked():
    table = pd.DataFrame({
        "unit_code": ["a", "b", "c", "z"], "short_name": ["A", "B", "C", "Z"],
        "on_time_rate": [0.9, 0.95, None, 0.5], "overdue_rate": [0.02, 0.01, None, 0.3],
        "new_dossiers": [100, 300, None, 5], "visitors": [None, None, None, 7],
    })
    rows = [("on_time_rate", "rate", True), ("overdue_rate", "rate", False), ("new_dossiers", "count", None),
            ("visitors", "count", True)]
    out = cv.kpi_table(table, ["a", "b", "c"], "vi", rows).set_index("Chỉ tiêu")
    assert out.loc["Tỷ lệ đúng hạn"].tolist() == ["90,0 %", "★ 95,0 %", "không có dữ liệu", "90,0 %"]
    assert out.loc["Tỷ lệ quá hạn"].tolist() == ["2,0 %", "★ 1,0 %", "không có dữ liệu", "2,0 %"]
    assert out.loc["Hồ sơ mới tiếp nhận"].tolist()[:2] == ["100", "300"]  # a volume: no star
    assert "Tổng lượt khách" not in out.index  # none of the three has visitors: row left out


@pytest.fixture
def con(make_exports, build_db):
    return build_db(make_exports(dossiers=DOSSIERS, tourism=TOURISM, staffing=STAFFING, units=UNITS))


def test_merger_changes_per_unit(con):
    m = queries.run("compare/merger", con=con, units=[PQ, DD, PX])
    ch = cv.merger_changes(m, [PQ, DD, PX]).set_index("unit_code")
    assert ch.at[PQ, "on_time_rate_before"] == pytest.approx(4 / 6)
    assert ch.at[PQ, "on_time_rate_change"] == pytest.approx(0.5 - 4 / 6)
    # Đan Điền: E0 before (early, in person), E1 after (on time, online)
    assert ch.at[DD, "on_time_rate_before"] == pytest.approx(1.0) and ch.at[DD, "online_rate_after"] == 1.0
    assert ch.at[DD, "new_dossiers_change"] == pytest.approx((1 / 2) / (1 / 12) - 1)
    assert pd.isna(ch.at[PX, "on_time_rate_before"]) and pd.isna(ch.at[PX, "on_time_rate_change"])  # no data
    view = cv.merger_view(ch.reset_index(), {PQ: "Phong Quảng", DD: "Đan Điền", PX: "Phú Xuân"}, "vi")
    px = view.set_index("Chỉ tiêu")["Phú Xuân"]
    assert px.loc[["Đúng hạn – trước", "Đúng hạn – sau", "Đúng hạn – thay đổi"]].tolist() == [
        "không có dữ liệu", "không có dữ liệu", "—"]
    assert view.set_index("Chỉ tiêu").at["Đúng hạn – thay đổi", "Phong Quảng"] == "−16,7 điểm %"


def test_trend_long_has_the_city_median_of_each_month(con):
    trend = queries.run("compare/trend", con=con, start=cv.indicators.TREND_START, units=None)
    long = cv.trend_long(trend, pd.DataFrame(columns=["month", "unit_code", "visitors"]), [PQ, DD], "on_time_rate")
    july = long[pd.to_datetime(long["month"]) == "2025-07-01"].set_index("unit_code")
    assert july.at[PQ, "value"] == pytest.approx(0.5) and july.at[DD, "value"] == pytest.approx(1.0)
    assert july.at[PQ, "city_median"] == pytest.approx(0.75)  # only the two units have July dossiers


# --- the page ---------------------------------------------------------------------------------------

@pytest.fixture
def app_env(make_exports, use_exports):
    return use_exports(make_exports(dossiers=DOSSIERS, tourism=TOURISM, staffing=STAFFING, units=UNITS), built=True)


def open_compare(**params) -> AppTest:
    return open_app("pages/compare.py", timeout=90, **params)


def test_compare_page_with_three_units(app_env):
    at = open_compare(pk="month", p="2025-07", units=f"{PQ},{DD},{PX}")
    assert not at.exception, at.exception
    assert at.multiselect[0].value == [PQ, DD, PX]
    kpis = at.dataframe[0].value.set_index("Chỉ tiêu")
    assert list(kpis.columns) == ["Phong Quảng", "Đan Điền", "Phú Xuân", "Trung vị TP"]
    con = queries.connection(db.current_path())
    for code, name in ((PQ, "Phong Quảng"), (DD, "Đan Điền")):
        k = kpi.compute(periods.parse("2025-07"), [code], con=con)["dossiers"]
        assert kpis.at["Tỷ lệ đúng hạn", name].lstrip("★ ") == fmt.percent(k["on_time_rate"])
        assert kpis.at["Tỷ lệ trực tuyến", name].lstrip("★ ") == fmt.percent(k["online_rate"])
    assert kpis.at["Tỷ lệ đúng hạn", "Đan Điền"] == "★ 100,0 %"  # 1/1 against Phong Quảng's 1/2
    assert kpis.at["Tỷ lệ đúng hạn", "Phú Xuân"] == "không có dữ liệu"  # no dossier: no data, not 0
    norm = at.dataframe[1].value.set_index("Chỉ tiêu")
    assert norm.at["Hồ sơ mới / 1.000 dân", "Phong Quảng"] == "0,1"  # 3 new in July / 30,000 × 1,000
    assert norm.at["Hồ sơ / cán bộ / tháng", "Đan Điền"] == "0,2"  # 1 / 1 month / 6 officials
    assert list(at.dataframe[2].value.columns)[1:] == ["Phong Quảng", "Đan Điền", "Phú Xuân"]  # a column per unit


def test_compare_page_takes_names_and_rewrites_the_url(app_env):
    at = open_compare(units="Phong Quang,Xã Đan Điền,nowhere")
    assert not at.exception
    assert at.multiselect[0].value == [PQ, DD]
    assert any("nowhere" in w.value for w in at.warning)
    assert at.query_params["units"] in (f"{PQ},{DD}", [f"{PQ},{DD}"])


def test_compare_page_asks_for_two_units(app_env):
    at = open_compare(units=PQ)
    assert not at.exception
    assert any("2" in i.value and "6" in i.value for i in at.info)
    assert not at.dataframe


def test_compare_page_opens_on_the_scopes_top_and_bottom_units(app_env):
    # July 2025: only Đan Điền (1/1 on time) and Phong Quảng (1/2) have resolved dossiers, best first;
    # units without data are never picked as "worst"
    at = open_compare(pk="month", p="2025-07")
    assert not at.exception
    assert at.multiselect[0].value == [DD, PQ]
    assert at.query_params["units"] in (f"{DD},{PQ}", [f"{DD},{PQ}"])  # the choice is in the URL
    assert any("cao nhất" in c.value for c in at.caption)
    assert at.dataframe  # the page is drawn, not an info box alone
    # a unit viewer's or a chosen list in the URL wins over the opening choice
    at = open_compare(pk="month", p="2025-07", units=f"{PQ},{PX}")
    assert at.multiselect[0].value == [PQ, PX]
    assert not any("cao nhất" in c.value for c in at.caption)


def test_top_and_bottom_by_hand():
    import pandas as pd

    t = pd.DataFrame({"unit_code": [f"u{i}" for i in range(9)],
                      "on_time_rate": [0.91, 0.99, None, 0.80, 0.95, 0.85, 0.97, 0.70, 0.90]})
    # with data, best first: u1 .99, u6 .97, u4 .95, u0 .91, u8 .90, u5 .85, u3 .80, u7 .70 (u2: no data)
    assert cv.top_and_bottom(t, t["unit_code"].tolist()) == ["u1", "u6", "u4", "u5", "u3", "u7"]
    assert cv.top_and_bottom(t, ["u0", "u2", "u3"]) == ["u0", "u3"]
