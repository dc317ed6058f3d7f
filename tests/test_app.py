"""AppTest: every page opens on fixture data without an exception, and shows the same numbers as ``kpi``."""
from __future__ import annotations

import pytest
from apptest import open_app

from communes import fmt, kpi, periods, queries


@pytest.fixture
def app_env(make_exports, use_exports):
    return use_exports(make_exports(), built=True)




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
