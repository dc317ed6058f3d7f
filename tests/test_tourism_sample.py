"""The tourism and agriculture & fishery pages on the bundled sample show the press figures for Phong
Quảng ("gần 70.000 lượt khách du lịch, doanh thu hơn 20 tỷ đồng; năng suất lúa đạt 43,7 tạ/ha, sản
lượng thủy sản 335 tấn") exactly as ``communes.kpi.compute`` gives them, and open without an exception
in both languages.
"""
from __future__ import annotations

import pytest
from apptest import open_app, serving
from conftest import copy_db
from streamlit.testing.v1 import AppTest

from communes import fmt, kpi, periods, settings

DATA = settings.ROOT / "data"
PQ = "19873"
PQ_NAME = "Phường Phong Quảng"


@pytest.fixture(scope="module")
def con(sample_db, tmp_path_factory):
    """The bundled sample's database (a copy of the run's); the app reads it through the settings."""
    dbdir = copy_db(sample_db, tmp_path_factory.mktemp("sample-db"))
    with serving(DATA, dbdir) as con:
        yield con


def open_page(page: str, **params) -> AppTest:
    return open_app(f"pages/{page}.py", timeout=120, **params)


def row(at, column: str, name: str):
    df = next(d.value for d in at.dataframe if column in d.value.columns)
    return df[df["Đơn vị"] == name].iloc[0]


def test_phong_quang_q3_2025_tourism_and_fishery(con):
    k = kpi.compute(periods.parse("2025-Q3"), [PQ], con=con)
    at = open_page("tourism", pk="quarter", p="2025-Q3")
    assert not at.exception
    r = row(at, "Tổng lượt khách", PQ_NAME)
    assert r["Tổng lượt khách"] == fmt.number(k["tourism"]["visitors"])
    assert 65_000 <= int(r["Tổng lượt khách"].replace(".", "")) <= 70_000
    assert r["Doanh thu du lịch"] == fmt.money(k["tourism"]["revenue_vnd"])
    at = open_page("agriculture", pk="quarter", p="2025-Q3")
    assert not at.exception
    r = row(at, "Sản lượng nuôi trồng/ha", PQ_NAME)
    assert r["Tổng sản lượng thủy sản"] == "335,0 tấn"
    assert r["Sản lượng nuôi trồng thủy sản"] == fmt.tonnes(k["fishery"]["aquaculture_tonnes"], decimals=1)


def test_phong_quang_rice_yield_2025(con):
    at = open_page("agriculture", pk="year", p="2025")
    assert not at.exception
    r = row(at, "Năng suất", PQ_NAME)
    assert r["Năng suất"] == "43,7 tạ/ha"
    k = kpi.compute(periods.parse("2025"), [PQ], con=con)["agriculture"]
    assert r["Năng suất"] == fmt.yield_(k["rice_yield_quintal_per_ha"])


@pytest.mark.parametrize("page", ["tourism", "agriculture"])
@pytest.mark.parametrize("params", [{"pk": "month", "p": "2026-09", "scope": "xa"},
                                    {"pk": "ytd", "lang": "en"},
                                    {"pk": "year", "p": "2024", "cmp": "yoy", "scope": "mountain"}])
def test_pages_open_on_the_sample(con, page, params):
    at = open_page(page, **params)
    assert not at.exception
    assert at.metric
