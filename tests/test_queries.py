"""Every named query on one small fixture database: parameters are checked when files load, each query
returns rows, its figures keep the contract's identities, and the headline figures of July 2025 are the
ones worked out by hand from the fixture rows below (and from the dossiers of tests/conftest.py)."""
from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest
from conftest import DOSSIER_HEADER, DOSSIERS, write_csv

from communes import db, queries, settings

PQ, DD = "19873", "19885"  # Phường Phong Quảng (Xã Quảng Công is one of its former communes); Xã Đan Điền
JULY = (date(2025, 7, 1), date(2025, 7, 31))

# Every dataset of the contract has rows in July 2025, so every query has something to return.
FILES = {
    "tourism": (["unit", "month", "visitors_domestic", "visitors_international", "overnight_guests", "revenue_vnd"], [
        ["Xã Quảng Công", "2025-06", "400", "0", "50", "200000000"],  # before the merger: counts for Phong Quảng
        ["Phường Phong Quảng", "2025-07", "800", "200", "300", "1000000000"],
        ["Phường Phong Quảng", "2025-08", "900", "100", "250", "1200000000"],
        ["Xã Đan Điền", "2025-07", "2500", "500", "1000", "3000000000"],
    ]),
    "agriculture": (["unit", "year", "season", "crop", "area_ha", "yield_quintal_per_ha", "production_tonnes"], [
        ["Phường Phong Quảng", "2024", "Đông Xuân", "Lúa", "90", "55", "495"],
        ["Phường Phong Quảng", "2025", "Đông Xuân", "Lúa", "100", "60", "600"],
        ["Phường Phong Quảng", "2025", "Hè Thu", "Lúa", "50", "50", "250"],
        ["Xã Đan Điền", "2025", "Đông Xuân", "Lúa", "200", "50", "1200"],  # 200 × 50 / 10 = 1000 ≠ 1200: a warning
    ]),
    "fishery": (["unit", "month", "kind", "output_tonnes", "area_ha"], [
        ["Phường Phong Quảng", "2025-07", "Nuôi trồng", "30", "10"],
        ["Phường Phong Quảng", "2025-07", "Khai thác", "50", ""],
        ["Phường Phong Quảng", "2025-08", "Nuôi trồng", "20", "10"],
        ["Xã Đan Điền", "2025-07", "Nuôi trồng", "5", "2"],
    ]),
    "events": (["date", "label", "unit"], [["2025-07-15", "Sự cố liên thông", ""],
                                           ["2025-08-01", "Khai trương bến cá", "Phong Quảng"]]),
    "visits": (["visit_date", "unit", "kind", "text", "owner", "due", "status", "closed_on"], [
        ["2025-07-10", "Phường Phong Quảng", "Chỉ đạo", "Sửa mái che khu chờ", "UBND phường", "2025-07-20",
         "Chưa thực hiện", ""],
        ["2025-07-10", "Phường Phong Quảng", "Kiến nghị", "Bổ sung cán bộ", "Sở Nội vụ", "2025-08-31",
         "Đang thực hiện", ""],
        ["2025-07-10", "Phường Phong Quảng", "Chỉ đạo", "Niêm yết thủ tục", "UBND phường", "2025-07-30",
         "Đã hoàn thành", "2025-07-25"],
    ]),
    "staffing": (["unit", "as_of", "approved_posts", "staff", "concurrent_posts"],
                 [["Phường Phong Quảng", "2025-07-01", "30", "25", "2"]]),
    "staffing_fields": (["unit", "as_of", "field", "specialists"], [["Phường Phong Quảng", "2025-07-01", "Đất đai", "2"],
                                                                   ["Phường Phong Quảng", "2025-07-01", "Hộ tịch", "0"]]),
    "units": (["unit", "population"], [["Phường Phong Quảng", "50000"]]),
}

# The value of every parameter a query may take, for July 2025 (the data's as-of day is 05/08/2025, D10).
PARAMS = {"start": JULY[0], "end": JULY[1], "units": None, "by_unit": True, "unit": PQ, "metric": "on_time_rate",
          "months": 12, "cmp_start": date(2025, 6, 1), "cmp_end": date(2025, 6, 30), "other_start": date(2024, 7, 1),
          "other_end": date(2024, 7, 31), "as_of": date(2025, 8, 5), "m_start": date(2025, 6, 1),
          "m_end": date(2025, 6, 30), "until": date(2025, 8, 7)}


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    """One database for the whole module: the queries only read it."""
    data = tmp_path_factory.mktemp("queries") / "data"
    data.mkdir()
    write_csv(data / "dossiers.csv", DOSSIER_HEADER, DOSSIERS)
    for name, (header, rows) in FILES.items():
        write_csv(data / f"{name}.csv", header, rows)
    return queries.connection(db.build(data, data.parent / "db").path)


def run(con, name: str, **given) -> pd.DataFrame:
    q = queries.QUERIES[name]
    missing = q.params - set(PARAMS) - set(given)
    assert not missing, f"add values for {missing} to PARAMS"
    return queries.run(name, con=con, **{k: given.get(k, PARAMS.get(k)) for k in q.params})


# --- every query: rows, and the contract's identities on them ----------------------------------------

def equal(a: pd.Series, b: pd.Series) -> pd.Series:
    """Row by row: both no data, or the same number (to float precision)."""
    a, b = pd.to_numeric(a).astype(float), pd.to_numeric(b).astype(float)
    return (a.isna() & b.isna()) | ((a - b).abs() <= 1e-9 * b.abs().clip(lower=1))


def ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    """num / den, no data where den is 0 or missing (never 0 % or 100 %)."""
    den = pd.to_numeric(den).astype(float)
    return pd.to_numeric(num).astype(float) / den.where(den > 0)


def broken_identities(df: pd.DataFrame) -> list[str]:
    """The identities of data-contract.md that the columns of ``df`` can be checked against; the broken ones."""
    c, out = set(df.columns), []

    def check(label, needed, left, right):
        if set(needed) <= c and not equal(left(), right()).all():
            out.append(label)

    new = ["new_online", "new_direct", "new_postal"]
    check("received = new + carried_over", [*new, "carried_over", "received"],
          lambda: df["received"], lambda: df[new].sum(axis=1, min_count=1) + df["carried_over"])
    check("resolved = early + on time + late", ["resolved_early", "resolved_on_time", "resolved_late", "resolved"],
          lambda: df["resolved"], lambda: df.resolved_early + df.resolved_on_time + df.resolved_late)
    check("pending = in time + overdue", ["pending_in_time", "pending_overdue", "pending"],
          lambda: df["pending"], lambda: df.pending_in_time + df.pending_overdue)
    check("received = resolved + pending", ["received", "resolved", "pending"],
          lambda: df["received"], lambda: df.resolved + df.pending)
    check("on_time_rate", ["on_time_rate", "resolved_early", "resolved_on_time", "resolved"],
          lambda: df["on_time_rate"], lambda: ratio(df.resolved_early + df.resolved_on_time, df.resolved))
    check("online_rate", [*new, "online_rate"],
          lambda: df["online_rate"], lambda: ratio(df.new_online, df[new].sum(axis=1, min_count=1)))
    check("overdue_rate", ["overdue_rate", "resolved_late", "pending_overdue", "received"],
          lambda: df["overdue_rate"], lambda: ratio(df.resolved_late + df.pending_overdue, df.received))
    check("visitors = domestic + international", ["visitors", "visitors_domestic", "visitors_international"],
          lambda: df["visitors"], lambda: df.visitors_domestic + df.visitors_international)
    check("revenue per visitor", ["revenue_per_visitor_vnd", "revenue_vnd", "visitors"],
          lambda: df["revenue_per_visitor_vnd"], lambda: ratio(df.revenue_vnd, df.visitors))
    check("rice yield = production × 10 / area",
          ["rice_yield_quintal_per_ha", "rice_production_tonnes", "rice_area_ha"],
          lambda: df["rice_yield_quintal_per_ha"], lambda: ratio(df.rice_production_tonnes * 10, df.rice_area_ha))
    for col in df.columns:
        values = pd.to_numeric(df[col], errors="coerce") if df[col].dtype != object else None
        if values is None:
            continue
        if col.endswith(("_rate", "_share")) and not values.dropna().between(0, 1).all():
            out.append(f"{col} within 0–100 %")
        counted = col.startswith(("new_", "resolved", "pending", "visitors", "rice_")) or col in (
            "received", "carried_over", "overnight_guests", "revenue_vnd") or col.endswith(("_tonnes", "_ha"))
        if counted and (values.dropna() < 0).any():
            out.append(f"{col} ≥ 0")
    return out


@pytest.mark.parametrize("name", sorted(queries.QUERIES))
def test_every_query_returns_rows_that_keep_the_identities(con, name):
    df = run(con, name)
    assert len(df) > 0, f"{name}: no row, although the fixture has July 2025 rows in every dataset"
    assert df.columns.is_unique, f"{name}: a column name twice"
    assert broken_identities(df) == [], name


def test_the_identity_check_can_fail():
    ok = pd.DataFrame({"received": [8], "resolved": [4], "pending": [4], "resolved_early": [2], "resolved_on_time": [1],
                       "resolved_late": [1], "on_time_rate": [0.75], "visitors_share": [0.25]})
    assert broken_identities(ok) == []
    bad = ok.assign(pending=[3], on_time_rate=[1.0], visitors_share=[1.5])
    assert broken_identities(bad) == ["received = resolved + pending", "on_time_rate", "visitors_share within 0–100 %"]
    assert broken_identities(ok.assign(resolved=[0], resolved_early=[0], resolved_on_time=[0], resolved_late=[0],
                                       pending=[8], on_time_rate=[0.0])) == ["on_time_rate"]  # 0 resolved: no data


# --- July 2025 by hand ----------------------------------------------------------------------------------

# Phong Quảng, July 2025 (tests/test_indicators.py explains each dossier): new D5 D6 D8 D9 online, D4 direct,
# D7 postal; D1 and D2 carried over; D1 and D6 early, D5 on time, D4 late; D7 and D8 pending in time,
# D2 and D9 overdue.
PQ_JULY = {"new_online": 4, "new_direct": 1, "new_postal": 1, "carried_over": 2, "received": 8, "resolved_early": 2,
           "resolved_on_time": 1, "resolved_late": 1, "resolved": 4, "pending_in_time": 2, "pending_overdue": 2,
           "pending": 4, "on_time_rate": 3 / 4, "online_rate": 4 / 6, "digitized_rate": 3 / 6,
           "overdue_rate": 3 / 8, "satisfaction_rate": 1 / 2}
# The city adds Đan Điền's D11: new online, completed 10/07 (no time) against due 10/07 16:00, on time,
# digitised, rated "Bình thường" (a rating, not a satisfied one).
CITY_JULY = {**PQ_JULY, "new_online": 5, "received": 9, "resolved_on_time": 2, "resolved": 5, "on_time_rate": 4 / 5,
             "online_rate": 5 / 7, "digitized_rate": 4 / 7, "overdue_rate": 3 / 9, "satisfaction_rate": 1 / 3}
TRENDS = ("new_online", "new_direct", "new_postal", "received", "pending_overdue", "on_time_rate", "online_rate",
          "digitized_rate", "overdue_rate", "satisfaction_rate")


def row(df: pd.DataFrame, **match) -> dict:
    for k, v in match.items():
        df = df[pd.to_datetime(df[k]) == pd.Timestamp(v)] if k == "month" else df[df[k] == v]
    assert len(df) == 1, f"{match}: {len(df)} rows"
    return df.iloc[0].to_dict()


def assert_figures(got: dict, expected: dict, keys=None) -> None:
    keys = keys or expected
    assert {k: got[k] for k in keys} == pytest.approx({k: expected[k] for k in keys}), sorted(keys)


@pytest.mark.parametrize("name,given,match,expected,keys", [
    ("kpi/dossiers", {"units": [PQ], "by_unit": False}, {}, PQ_JULY, None),
    ("kpi/dossiers", {}, {"unit_code": PQ}, PQ_JULY, None),
    ("kpi/dossiers", {"by_unit": False}, {}, CITY_JULY, None),
    ("kpi/dossiers_stored", {}, {"unit_code": PQ}, PQ_JULY, None),
    ("kpi/dossiers_stored", {"by_unit": False}, {}, CITY_JULY, None),
    ("dossiers/unit_trend", {}, {"month": JULY[0]}, PQ_JULY, None),
    ("dossiers/trend", {}, {"month": JULY[0]}, CITY_JULY, None),
    ("dossiers/trend_stored", {}, {"month": JULY[0]}, CITY_JULY, None),
    ("dossiers/trend", {"units": [PQ]}, {"month": JULY[0]}, PQ_JULY, None),
    ("compare/trend", {"start": JULY[0]}, {"unit_code": PQ, "month": JULY[0]}, PQ_JULY, TRENDS),
])
def test_dossier_figures_of_july_2025_by_hand(con, name, given, match, expected, keys):
    assert_figures(row(run(con, name, **given), **match), expected, keys)


@pytest.mark.parametrize("name", ["dossiers/field_unit", "dossiers/field_unit_stored"])
def test_the_fields_of_a_unit_add_up_to_it(con, name):
    fields = run(con, name).query("unit_code == @PQ").set_index("field")
    assert sorted(fields.index) == ["Chứng thực", "Hộ tịch", "Đất đai"]
    assert fields.loc["Đất đai", ["received", "pending_overdue"]].tolist() == [4, 2]  # D2 D7 D8 D9; D2 D9
    counts = [k for k, v in PQ_JULY.items() if isinstance(v, int)]
    assert fields[counts].sum().to_dict() == {k: PQ_JULY[k] for k in counts}


def test_pending_dossiers_and_backlog_at_the_end_of_july(con):
    # D2 due 30/06 (end of day): 31 days overdue on 31/07; D9 due 31/07 10:00, earlier on the last day: 1.
    pending = run(con, "dossiers/pending_list")
    assert pending[["dossier_id", "overdue"]].values.tolist() == [["D2", True], ["D9", True], ["D8", False],
                                                                  ["D7", False]]
    assert pending["days_overdue"].tolist()[:2] == [31, 1] and pending["days_overdue"][2:].isna().all()
    assert run(con, "dossiers/backlog")[["unit_code", "bucket", "dossiers"]].values.tolist() == [[PQ, "1-3", 1],
                                                                                                  [PQ, ">30", 1]]


def test_due_soon_on_the_data_date(con):
    # At the end of 05/08: D7 (due 05/08, no time) is pending and not overdue, due within the two working
    # days; D2 and D9 are overdue; D8 and D10 are done.
    assert run(con, "dossiers/due_soon_list")["dossier_id"].tolist() == ["D7"]
    assert row(run(con, "dossiers/due_soon_units"), unit_code=PQ) == {
        "unit_code": PQ, "due_soon": 1, "pending_overdue": 2, "pending": 3}


def test_tourism_fishery_and_rice_of_july_2025_by_hand(con):
    pq = {"visitors_domestic": 800, "visitors_international": 200, "visitors": 1000, "overnight_guests": 300,
          "revenue_vnd": 1e9, "revenue_per_visitor_vnd": 1e6}
    assert_figures(row(run(con, "kpi/tourism"), unit_code=PQ), pq)
    assert_figures(row(run(con, "tourism/unit_month"), unit_code=PQ, month=JULY[0]), pq)
    assert_figures(row(run(con, "tourism/monthly", units=[PQ]), month=JULY[0]), pq)
    table = run(con, "tourism/unit_table")
    assert_figures(row(table, unit_code=PQ), {**pq, "visitors_share": 1000 / 4000, "revenue_share": 1e9 / 4e9})
    assert table["unit_code"].isna().sum() == 1  # the scope's own row: Phong Quảng and Đan Điền together
    assert_figures(table[table.unit_code.isna()].iloc[0].to_dict(), {"visitors": 4000, "revenue_vnd": 4e9})
    # rice counts the calendar year 2025: Đông Xuân and Hè Thu; the yield is recomputed, 850 × 10 / 150
    rice = {"rice_area_ha": 150, "rice_production_tonnes": 850, "rice_yield_quintal_per_ha": 8500 / 150}
    assert_figures(row(run(con, "kpi/rice"), unit_code=PQ), rice)
    assert_figures(row(run(con, "kpi/rice_before"), unit_code=PQ), {"rice_area_ha": 90, "rice_production_tonnes": 495})
    assert_figures(row(run(con, "kpi/fishery"), unit_code=PQ), {"aquaculture_tonnes": 30, "capture_tonnes": 50})
    assert_figures(row(run(con, "agriculture/fishery_unit_month"), unit_code=PQ, month=JULY[0]),
                   {"aquaculture_tonnes": 30, "capture_tonnes": 50, "fishery_tonnes": 80, "aquaculture_area_ha": 10})
    assert_figures(row(run(con, "compare/unit_table"), unit_code=PQ),
                   {**pq, **rice, "aquaculture_tonnes": 30, "capture_tonnes": 50, "population": 50000, "staff": 25,
                    "approved_posts": 30})
    # the city: tourism 800 + 2.500 domestic, 200 + 500 international; rice 150 + 200 ha, 850 + 1.200 t
    assert_figures(run(con, "overview/city").iloc[0].to_dict(),
                   {"visitors": 4000, "revenue_vnd": 4e9, "rice_area_ha": 350, "rice_production_tonnes": 2050,
                    "aquaculture_tonnes": 35, "capture_tonnes": 50})
    # the comparison: June 2025 (Quảng Công's 400 visitors) and the rice of 2024
    assert_figures(run(con, "overview/city_before").iloc[0].to_dict(),
                   {"visitors": 400, "revenue_vnd": 2e8, "rice_area_ha": 90, "rice_production_tonnes": 495})


def test_specialists_visits_and_the_data_page_by_hand(con):
    load = run(con, "specialists/field_load").query("unit_code == @PQ").set_index("field")
    assert load["new_dossiers"].to_dict() == {"Chứng thực": 1, "Hộ tịch": 2, "Đất đai": 3}
    assert load.loc["Đất đai", "specialists"] == 2 and load.loc["Hộ tịch", "specialists"] == 0
    assert pd.isna(load.loc["Chứng thực", "specialists"])  # no row for the field: no data, not 0
    # on 05/08: "Sửa mái che" was due 20/07 (16 days overdue), "Bổ sung cán bộ" is due 31/08, the third is done
    assert run(con, "visits/open")[["text", "days_overdue"]].fillna(0).values.tolist() == [
        ["Sửa mái che khu chờ", 16], ["Bổ sung cán bộ", 0]]
    assert row(run(con, "visits/overdue_by_unit"), unit_code=PQ)["max_days_direction"] == 16
    datasets = run(con, "data/datasets").set_index("dataset")["n_rows"].to_dict()
    assert datasets == {"dossiers": 11, "tourism": 4, "agriculture": 4, "fishery": 4, "staffing": 1,
                        "staffing_fields": 2, "units": 1, "events": 2, "visits": 3}
    assert [pd.Timestamp(x) for x in run(con, "meta/data_span").iloc[0]] == [pd.Timestamp("2025-06-01"),
                                                                          pd.Timestamp("2025-08-05")]
    assert run(con, "agriculture/warnings")[["unit_code", "production_tonnes"]].values.tolist() == [[DD, 1200]]


# --- the files themselves ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(queries.QUERIES))
def test_every_query_file_has_a_header(name):
    text = queries.QUERIES[name].path.read_text(encoding="utf-8")
    head = text.lstrip().splitlines()[0]
    assert head.startswith("--"), f"{name}: open with a comment giving purpose, grain and parameters"
    assert re.search(r"grain", text, re.I), f"{name}: state the grain"


def test_wrong_parameter_names_fail_with_the_file_name(con):
    with pytest.raises(queries.QueryError, match="dossiers.sql"):
        queries.run("kpi/dossiers", con=con, start=date(2025, 7, 1), ends=date(2025, 7, 31), units=None, by_unit=False)


def test_no_sql_is_formatted_with_values():
    for q in queries.QUERIES.values():
        assert "{" not in q.sql, f"{q.name}: use $parameters, not formatting"


def test_every_setting_is_documented():
    doc = (settings.ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    for s in settings.SETTINGS.values():
        assert f"| `{s.env}` |" in doc, f"docs/operations.md has no row for {s.env}"
        assert s.help in doc, f"docs/operations.md does not give the meaning of {s.env}"


def test_no_page_holds_sql():
    for page in (settings.ROOT / "pages").glob("*.py"):
        text = page.read_text(encoding="utf-8").lower()
        assert not re.search(r"\bselect\b.+\bfrom\b", text), f"{page.name} holds SQL"
