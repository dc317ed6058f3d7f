"""AppTest: every page opens on fixture data without an exception, and shows the same numbers as ``kpi``."""
from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from communes import fmt, kpi, periods, queries, settings


@pytest.fixture
def app_env(make_exports, tmp_path, monkeypatch):
    data = make_exports()
    monkeypatch.setenv("COMMUNES_DATA_DIR", str(data))
    monkeypatch.setenv("COMMUNES_DB_DIR", str(tmp_path / "db"))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield data
    st.cache_data.clear()
    st.cache_resource.clear()


def open_app(**params) -> AppTest:
    at = AppTest.from_file(str(settings.ROOT / "app.py"), default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def test_overview_opens_and_matches_kpi(app_env):
    at = open_app(pk="month", p="2025-07")
    assert not at.exception
    assert "Tháng 7/2025" in at.title[0].value
    from communes import db
    con = queries.connection(db.current_path())
    expected = kpi.compute(periods.parse("2025-07"), None, con=con)["dossiers"]
    cards = {m.label: m.value for m in at.metric}
    assert cards["Tỷ lệ đúng hạn"] == fmt.percent(expected["on_time_rate"])
    assert cards["Tỷ lệ trực tuyến"] == fmt.percent(expected["online_rate"])
    assert cards["Đang giải quyết quá hạn"] == fmt.number(expected["pending_overdue"])
    # the fixture has no tourism export: no data, never zero
    assert cards["Tổng lượt khách"] == fmt.number(None)


def test_overview_table_lists_every_unit(app_env):
    at = open_app(pk="month", p="2025-07")
    df = at.dataframe[0].value
    assert len(df) == 40
    assert df["Tổng số hồ sơ tiếp nhận"].notna().sum() == 2  # only Phong Quảng and Đan Điền have dossiers
