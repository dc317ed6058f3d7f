"""Every page's data is one frozen dataclass (``views/<page>.load``): its fields by name and type, and what
``load`` fills them with on a small hand-made export (July 2025; figures worked out in the comments).

The profile's ``ProfileData`` has its own test (tests/test_profile_data.py).
"""
from __future__ import annotations

import dataclasses
import json
from datetime import date

import pandas as pd
import pytest
from conftest import write_exports

from communes import db, frame, queries, refdata, settings
from communes.briefing import data as briefing
from communes.views import agriculture, compare, data, dossiers, overview, tourism, visits

PQ, DD, PD = "19873", "19885", "19831"  # Phường Phong Quảng, Xã Đan Điền, Phường Phong Dinh
TOURISM_HEADER = ["unit", "month", "visitors_domestic", "visitors_international", "overnight_guests", "revenue_vnd"]
TOURISM = [
    ["Phường Phong Quảng", "2025-07", "1000", "200", "500", "600000000"],  # 1.200 visitors
    ["Xã Đan Điền", "2025-07", "3000", "0", "1000", "1200000000"],  # 3.000
    ["Xã Quảng Công", "2025-06", "800", "100", "400", "450000000"],  # June, a former commune of Phong Quảng: 900
    ["Xã Quảng Ngạn", "2024-07", "900", "150", "450", "500000000"],  # July 2024, also Phong Quảng: 1.050
]

VISITS_HEADER = ["visit_date", "unit", "kind", "text", "owner", "due", "status", "closed_on"]
VISITS = [  # Phường Phong Dinh; the data date is 05/08/2025 (the dossiers' latest)
    ["2025-07-10", "Phường Phong Dinh", "Chỉ đạo", "Rà soát quy trình", "UBND phường", "2025-07-31", "Đã hoàn thành",
     "2025-07-30"],  # done: not open
    ["2025-07-10", "Phường Phong Dinh", "Chỉ đạo", "Sửa mái che", "UBND phường", "2025-07-20", "Chưa thực hiện", ""],
    ["2025-07-28", "Phường Phong Dinh", "Kiến nghị", "Bổ sung cán bộ", "Sở Nội vụ", "2025-08-01", "Đang thực hiện", ""],
]


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    root = tmp_path_factory.mktemp("page-data")
    exports = write_exports(root / "data", tourism=(TOURISM_HEADER, TOURISM), visits=(VISITS_HEADER, VISITS))
    con = queries.connection(db.build(exports, root / "db").path)
    yield lambda name, **p: queries.run(name, con=con, **p)
    con.close()


@pytest.fixture(scope="module")
def july(env):
    """The frame of July 2025 over every unit, compared with June."""
    first, as_of = frame.span(env)
    return frame.from_params({"pk": "month", "p": "2025-07"}, refdata.load(settings.get("province")), first, as_of)


def shape(cls) -> dict[str, str]:
    return {f.name: f.type for f in dataclasses.fields(cls)}


def assert_frozen(d) -> None:
    name = dataclasses.fields(d)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(d, name, None)


def test_tourism_data(env, july):
    assert shape(tourism.TourismData) == {
        "cards": "dict[str, Cards | None]", "units": "pd.DataFrame", "monthly": "pd.DataFrame",
        "grid": "pd.DataFrame", "events": "pd.DataFrame", "window": "tuple[date, date]"}
    d = tourism.load(env, july)
    assert isinstance(d, tourism.TourismData)
    assert_frozen(d)
    assert (d.cards["now"]["visitors"], d.cards["now"]["revenue_vnd"]) == (4200, 1_800_000_000)  # 1.200 + 3.000
    assert d.cards["before"]["visitors"] == 900  # June 2025
    assert d.cards["other"]["visitors"] == 1050  # July 2024
    pq = d.units.set_index("unit_code").loc[PQ]
    assert (pq["visitors"], pq["visitors_before"]) == (1200, 900)
    assert d.window == (date(2024, 8, 1), date(2025, 7, 31))  # the 12 months up to the period's end
    assert d.monthly.set_index("month").loc[pd.Timestamp("2025-07-01"), "visitors"] == 4200


def test_agriculture_data(env, july):
    assert shape(agriculture.AgricultureData) == {
        "rice_cards": "dict[str, dict]", "rice": "pd.DataFrame", "scope_units": "pd.DataFrame",
        "rice_trend": "pd.DataFrame", "warnings": "pd.DataFrame", "fish_cards": "dict[str, dict | None]",
        "fish_units": "pd.DataFrame", "fish_monthly": "pd.DataFrame", "fish_detail": "pd.DataFrame",
        "events": "pd.DataFrame", "window": "tuple[date, date]"}
    d = agriculture.load(env, july, "year")
    assert_frozen(d)
    # no rice and no fishery export: no data (None), never 0
    assert d.rice_cards["now"] == dict.fromkeys(agriculture.RICE_KEYS)
    assert d.fish_cards["now"] == dict.fromkeys(agriculture.FISH_KEYS)
    assert len(d.scope_units) == 40 and d.rice.empty and d.fish_detail.empty
    assert "year" in d.fish_detail.columns and d.window == (date(2024, 8, 1), date(2025, 7, 31))


def test_data_page_data(env, july):
    assert shape(data.DataPageData) == {
        "meta": "dict", "datasets": "pd.DataFrame", "completeness": "pd.DataFrame", "warnings": "pd.DataFrame",
        "months": "list[date]"}
    d = data.load(env, july)
    assert_frozen(d)
    assert {x["dataset"]: x["rows"] for x in json.loads(d.meta["files"])} == {"dossiers": 11, "tourism": 4, "visits": 3}
    assert d.months == [date(2025, m, 1) for m in range(3, 9)]  # six months up to the data's as-of month (August)
    july_rows = d.completeness[(d.completeness["dataset"] == "tourism")
                               & (pd.to_datetime(d.completeness["month"]) == pd.Timestamp("2025-07-01"))]
    assert sorted(july_rows["unit_code"]) == [PQ, DD]


def test_compare_data(env, july):
    assert shape(compare.CompareData) == {
        "units": "list[str]", "table": "pd.DataFrame", "trend": "pd.DataFrame", "monthly": "pd.DataFrame",
        "merger": "pd.DataFrame"}
    d = compare.load(env, july, [PQ, DD])
    assert_frozen(d)
    assert d.units == [PQ, DD] and len(d.table) == 40  # every unit: the city median column
    pq = d.table.set_index("unit_code").loc[PQ]
    assert (pq["received"], pq["on_time_rate"]) == (8, 0.75)  # as tests/test_indicators.py works out
    assert set(d.merger["unit_code"]) == {PQ, DD}


def test_overview_data(env, july):
    assert shape(overview.OverviewData) == {
        "now": "dict[str, dict]", "before": "dict[str, dict]", "table": "pd.DataFrame",
        "table_before": "pd.DataFrame", "spark": "pd.DataFrame | None", "due_soon": "tuple[date, pd.DataFrame]",
        "freshness": "pd.DataFrame", "completeness": "str"}
    d = overview.load(env, july)
    assert_frozen(d)
    assert d.now["dossiers"]["received"] == 9  # Phong Quảng 8 + Đan Điền 1
    assert d.now["tourism"]["visitors"] == 4200 and d.before["tourism"]["visitors"] == 900
    assert d.table.set_index("unit_code").at[PQ, "on_time_rate"] == 0.75
    assert isinstance(d.completeness, str) and "8/2025" in d.completeness  # the data's latest month


def test_dossiers_data(env, july):
    assert shape(dossiers.DossiersData) == {
        "now": "dict", "before": "dict", "trend": "pd.DataFrame", "events": "pd.DataFrame",
        "types": "dict[str, dict]", "units": "pd.DataFrame", "by_unit": "pd.DataFrame",
        "due_soon_units": "tuple[date, pd.DataFrame]", "field": "pd.DataFrame | None",
        "backlog": "pd.DataFrame | None", "specialists": "list | None", "unit": "str | None",
        "unit_trend": "pd.DataFrame | None", "unit_events": "pd.DataFrame | None", "pending": "pd.DataFrame | None",
        "due_soon": "tuple[date, pd.DataFrame] | None"}
    d = dossiers.load(env, july, unit=PQ, sections=("drill",))
    assert_frozen(d)
    assert (d.now["received"], d.types["phuong"]["received"], d.types["xa"]["received"]) == (9, 8, 1)
    assert d.field is None and d.backlog is None and d.specialists is None  # parts not asked for
    # pending at the end of July: D2 (a former commune's, never done), D7, D8 (done 2 August), D9
    assert d.unit == PQ and sorted(d.pending["dossier_id"]) == ["D2", "D7", "D8", "D9"]


def test_visits_data(env, july):
    assert shape(visits.VisitsData) == {"items": "pd.DataFrame", "as_of": "date | None"}
    d = visits.load(env, july)
    assert_frozen(d)
    assert d.as_of == date(2025, 8, 5)
    # open items, the most overdue first: due 20/07 (16 days late on 05/08), due 01/08 (4 days)
    assert d.items["text"].tolist() == ["Sửa mái che", "Bổ sung cán bộ"]
    assert d.items["days_overdue"].tolist() == [16, 4]


def test_briefing_data(env, july):
    assert shape(briefing.BriefingData) == {
        "ref": "refdata.RefData", "period": "Period", "compare": "Period", "compare_kind": "str", "last_year": "Period",
        "as_of": "date | None", "scope": "Scope", "targets": "dict", "meta": "dict", "now": "dict[str, dict]",
        "before": "dict[str, dict]", "table": "pd.DataFrame", "lang": "str", "compare_monthly": "Period | None",
        "ly": "dict[str, dict] | None", "merger": "pd.DataFrame | None", "visits": "UnitVisits | None"}
    city = briefing.load(env, july)
    assert_frozen(city)
    assert (city.scope.kind, city.period.code, city.compare.code, city.last_year.code) == ("city", "2025-07", "2025-06",
                                                                                           "2024-07")
    assert city.now["dossiers"]["received"] == 9 and city.now["tourism"]["visitors"] == 4200
    assert city.before["tourism"]["visitors"] == 900 and len(city.table) == 40
    assert city.merger is None and city.visits is None  # a unit's briefing only
    unit = briefing.load(env, july, unit=PD)
    assert unit.scope.unit == PD and set(unit.merger["phase"]) >= {"before", "after"}
    # Phong Dinh's last visit (28/07) and the open item of the one before it
    assert unit.visits.last_visit == date(2025, 7, 28)
    assert [i.text for i in unit.visits.items] == ["Bổ sung cán bộ"]
    assert [i.text for i in unit.visits.earlier_open] == ["Sửa mái che"]
