"""What each figure is compared with (communes.comparisons), worked out by hand.

Fixture (besides the fixture dossiers, whose as-of day is 05/08/2025): Phong Quảng's domestic visitors are
10 × the month's number in 2024 (January 10 … December 120) and 100 × it in 2025 (January 100 … December
1.200); rice of Phong Quảng 2024 Đông Xuân 100 ha / 600 t, 2024 Hè Thu 100 ha / 500 t, 2025 Đông Xuân
110 ha / 660 t (Hè Thu 2025 not reported yet); Đan Điền 2024 Đông Xuân 50 ha / 300 t and nothing in 2025.
"""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from apptest import open_app

from communes import comparisons, fmt, kpi, periods
from communes.i18n import t
from communes.periods import Period

PQ, DD = "19873", "19885"
TOURISM = (["unit", "month", "visitors_domestic", "visitors_international", "revenue_vnd"],
           [["Phường Phong Quảng", f"{y}-{m:02d}", (10 if y == 2024 else 100) * m, 0, 1000]
            for y in (2024, 2025) for m in range(1, 13)])
RICE = (["unit", "year", "season", "crop", "area_ha", "yield_quintal_per_ha", "production_tonnes"],
        [["Phường Phong Quảng", 2024, "Đông Xuân", "Lúa", 100, 60, 600],
         ["Phường Phong Quảng", 2024, "Hè Thu", "Lúa", 100, 50, 500],
         ["Phường Phong Quảng", 2025, "Đông Xuân", "Lúa", 110, 60, 660],
         ["Xã Đan Điền", 2024, "Đông Xuân", "Lúa", 50, 60, 300]])


# --- the rules on dates alone --------------------------------------------------------------------------

def test_year_to_date_is_compared_with_the_same_dates_a_year_earlier():
    p = periods.ytd(date(2026, 10, 30))
    for kind in ("prev", "yoy"):
        c = comparisons.of(p, kind)
        assert c.kind == "yoy"
        assert (c.dates.start, c.dates.end) == (date(2025, 1, 1), date(2025, 10, 30))
        assert (c.monthly.start, c.monthly.end) == (date(2025, 1, 1), date(2025, 10, 30))  # Jan–Oct both
    # what "previous period" would have been: the 303 days before, 04/03–31/12/2025 (9 months of data)
    assert (p.previous().start, p.previous().end) == (date(2025, 3, 4), date(2025, 12, 31))
    assert len(comparisons.months_in(p.previous())) == 9 and len(comparisons.months_in(p)) == 10


def test_standard_periods_keep_their_comparison():
    q = periods.parse("2025-Q3")
    c = comparisons.of(q, "prev")
    assert c.dates.code == "2025-Q2" and c.monthly.code == "2025-Q2" and not c.months_aligned
    assert comparisons.of(q, "yoy").monthly.code == "2024-Q3"
    assert comparisons.of(periods.parse("2025-07"), "prev").monthly.code == "2025-06"


def test_a_range_is_compared_with_as_many_whole_months():
    p = Period(date(2025, 7, 15), date(2025, 10, 31), "range")  # counts Aug, Sep, Oct
    prev = comparisons.of(p, "prev")
    # the previous 109 days, 28/03–14/07/2025, would count Apr, May, Jun, Jul: four months against three
    assert (prev.dates.start, prev.dates.end) == (date(2025, 3, 28), date(2025, 7, 14))
    assert (prev.monthly.start, prev.monthly.end) == (date(2025, 5, 1), date(2025, 7, 31)) and prev.months_aligned
    assert prev.note("tourism") == "Du lịch, thủy sản so với T5–T7/2025 (cùng số tháng: 3)"
    assert prev.note("dossiers") is None
    yoy = comparisons.of(p, "yoy")
    # 15/07–31/10/2024 already counts Aug–Oct 2024: the dates are kept and nothing needs saying
    assert comparisons.months_in(yoy.monthly) == [date(2024, 8, 1), date(2024, 9, 1), date(2024, 10, 1)]
    assert not yoy.months_aligned and yoy.note("tourism") is None
    assert comparisons.months_label(Period(date(2024, 11, 1), date(2025, 2, 28), "range")) == "T11/2024–T2/2025"


def test_rice_is_compared_with_the_years_before_whatever_the_choice():
    for kind in ("prev", "yoy"):
        c = comparisons.of(periods.parse("2025-Q3"), kind)
        assert (c.rice.start, c.rice.end) == (date(2024, 1, 1), date(2024, 12, 31))
        assert c.note("agriculture") == "so với cùng vụ năm 2024"
    c = comparisons.of(periods.parse("2024-07-01..2025-06-30"), "prev")
    assert (c.rice.start, c.rice.end) == (date(2023, 1, 1), date(2024, 12, 31))
    assert c.note("agriculture", "en") == "vs the same seasons of 2023–2024"


# --- the figures, in the database -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def con(tmp_path_factory):
    from conftest import DOSSIER_HEADER, DOSSIERS, write_csv

    from communes import db, queries

    d = tmp_path_factory.mktemp("cmp") / "data"
    d.mkdir()
    write_csv(d / "dossiers.csv", DOSSIER_HEADER, DOSSIERS)
    write_csv(d / "tourism.csv", *TOURISM)
    write_csv(d / "agriculture.csv", *RICE)
    return queries.connection(db.build(d, d.parent / "db").path)


def visitors(con, p: Period, units=None):
    return kpi.compute(p, units, con=con)["tourism"]["visitors"]


def test_monthly_figures_are_compared_over_the_same_number_of_months(con):
    p = Period(date(2025, 7, 15), date(2025, 10, 31), "range")
    assert visitors(con, p) == 800 + 900 + 1000
    before = kpi.compute_compared(comparisons.of(p, "prev"), con=con)["tourism"]["visitors"]
    assert before == 500 + 600 + 700  # May–Jul, not Apr–Jul (2.200)
    assert kpi.compute_compared(comparisons.of(p, "yoy"), con=con)["tourism"]["visitors"] == 80 + 90 + 100
    ytd = periods.ytd(date(2025, 8, 5))  # Jan–Aug 2025 against Jan–Aug 2024, never Jun–Dec 2024 (630)
    assert visitors(con, ytd) == 3600
    assert kpi.compute_compared(comparisons.of(ytd, "prev"), con=con)["tourism"]["visitors"] == 360


def test_rice_is_compared_season_by_season_a_year_earlier(con):
    q3 = periods.parse("2025-Q3")
    now = kpi.compute(q3, con=con)["agriculture"]
    before = kpi.compute_compared(comparisons.of(q3, "prev"), con=con)["agriculture"]
    assert now["rice_production_tonnes"] == 660
    # 2024 Đông Xuân of Phong Quảng only: Hè Thu 2025 is not reported yet, Đan Điền has no 2025 rice
    assert before["rice_production_tonnes"] == 600 and before["rice_area_ha"] == 100
    assert before["rice_yield_quintal_per_ha"] == pytest.approx(60.0)
    # the previous quarter of the same year would read the same year: 660 against 660, "0 tấn"
    assert kpi.compute(q3.previous(), con=con)["agriculture"]["rice_production_tonnes"] == 660
    by_unit = kpi.compute_compared(comparisons.of(q3, "prev"), [DD], con=con)["agriculture"]
    assert by_unit["rice_production_tonnes"] is None  # nothing to compare like for like
    span = periods.parse("2024-07-01..2025-06-30")  # 2024 and 2025 against 2023 and 2024
    assert kpi.compute(span, con=con)["agriculture"]["rice_production_tonnes"] == 600 + 500 + 660 + 300
    assert kpi.compute_compared(comparisons.of(span, "prev"), con=con)["agriculture"]["rice_production_tonnes"] == 600


# --- the overview page ------------------------------------------------------------------------------------

@pytest.fixture
def app_env(make_exports, use_exports):
    return use_exports(make_exports(tourism=TOURISM, agriculture=RICE), built=True)


def test_overview_cards_say_what_they_compare_with(app_env):
    at = open_app(pk="quarter", p="2025-Q3", scope="all")
    assert not at.exception
    cards = {m.label: (m.value, m.delta) for m in at.metric}
    assert cards[t("ind.rice_production_tonnes")] == (fmt.tonnes(660), f"+60 {t('overview.tonnes')}")
    captions = [c.value for c in at.caption]
    assert "so với cùng vụ năm 2024" in captions

    at = open_app(pk="ytd", cmp="prev")  # year to date: cùng kỳ whatever the URL says
    assert not at.exception
    assert not [s for s in at.sidebar.selectbox if s.label == t("compare.label")]
    assert any(t("compare.yoy") in c.value for c in at.sidebar.caption)
    cards = {m.label: (m.value, m.delta) for m in at.metric}
    assert cards[t("ind.visitors")] == (fmt.number(3600), "+3.240")  # Jan–Aug 2025 against Jan–Aug 2024
    assert any("so với 01/01/2024 – 05/08/2024" in c.value for c in at.caption)


# --- before and after the merger: no month in two compared columns -----------------------------------

@pytest.mark.parametrize("as_of,after,after_ly", [
    # the sample's date: the latest 12 months, T11/2025–T10/2026, and T11/2024–T10/2025 (not T7/2024–T10/2025)
    ("2026-10-30 17:30", ("2025-11-01", "2026-10-30"), ("2024-11-01", "2025-10-30")),
    ("2026-06-30 09:00", ("2025-07-01", "2026-06-30"), ("2024-07-01", "2025-06-30")),  # exactly 12 months
    ("2025-08-05 10:00", ("2025-07-01", "2025-08-05"), ("2024-07-01", "2024-08-05")),  # fewer: since the merger
])
def test_merger_windows_share_no_month_between_compared_columns(make_exports, build_db, as_of, after, after_ly):
    rows = [["M1", "Phường Phong Quảng", "Hộ tịch", "1", "2024-07-02", "2024-07-09", "2024-07-03", "1", ""],
            ["M2", "Phường Phong Quảng", "Hộ tịch", "1", as_of[:10], as_of[:10], as_of, "1", ""]]
    con = build_db(make_exports(dossiers=rows))
    ph = {p: (str(s), str(e)) for p, s, e in con.execute("select phase, start, \"end\" from merger_phases").fetchall()}
    assert ph == {"before": ("2024-07-01", "2025-06-30"), "after": after, "after_ly": after_ly}

    def months(span):
        return set(comparisons.months_in(Period(date.fromisoformat(span[0]), date.fromisoformat(span[1]), "range")))
    assert not months(ph["after"]) & months(ph["before"])
    assert not months(ph["after"]) & months(ph["after_ly"])


def test_phone_page_compares_rice_with_the_same_seasons_a_year_earlier(app_env):
    from communes import auth
    from communes.web import mobile

    # 2025-Q3 against 2025-Q2: rice 660 t against 2024's Đông Xuân 600 t (never 660 against 660)
    status, html = mobile.unit_page(PQ, {"pk": "quarter", "p": "2025-Q3"}, auth.LOCAL)
    assert status == 200
    rice = html[html.index("Sản lượng lúa"):]
    rice = rice[:rice.index('<div class="r">')]
    assert "660 tấn" in rice and "+60" in rice and "so với cùng vụ năm 2024" in rice


def test_tourism_page_compares_a_range_with_as_many_whole_months(app_env):
    # 15/03–31/07/2025 counts Apr–Jul (400 + 500 + 600 + 700 = 2.200 visitors). The previous 139 days,
    # 27/10/2024–14/03/2025, would count five months (830); the cards compare with the four months just
    # before, Dec 2024–Mar 2025 (120 + 100 + 200 + 300 = 720: +205,6 %), the line under them with
    # Apr–Jul 2024 (220: +900,0 %)
    at = open_app("pages/tourism.py", pk="range", **{"from": "2025-03-15", "to": "2025-07-31"})
    assert not at.exception
    assert any(c.value.endswith("thẻ: so với T12/2024–T3/2025; dòng dưới thẻ: so với T4–T7/2024") for c in at.caption)
    cards = {m.label: (m.value, m.delta) for m in at.metric}
    assert cards[t("ind.visitors")] == (fmt.number(2200), "+205,6 %")
    assert "So với T4–T7/2024: +900,0 %" in [c.value for c in at.caption]

    at = open_app("pages/tourism.py", pk="ytd")  # Jan–Aug 2025 (3.600) against Jan–Aug 2024 (360) only
    assert not at.exception
    cards = {m.label: (m.value, m.delta) for m in at.metric}
    assert cards[t("ind.visitors")] == (fmt.number(3600), "+900,0 %")
    assert not any(c.value.startswith("So với ") for c in at.caption)  # no second comparison for a year to date


def test_briefing_names_the_months_tourism_is_compared_with():
    from communes.briefing import messages

    p = Period(date(2025, 3, 15), date(2025, 7, 31), "range")
    c = comparisons.of(p, "prev")
    d = SimpleNamespace(period=p, compare=c.dates, compare_kind="prev", compare_monthly=c.monthly,  # what the rule reads
                        now={"tourism": {"visitors": 2200, "visitors_international": 0, "revenue_vnd": 4e6}},
                        before={"tourism": {"visitors": 720, "visitors_international": 0, "revenue_vnd": 4e6}})
    text = messages.rule_tourism(d, "vi")
    assert "01/12/2024 – 31/03/2025" in text and "27/10/2024" not in text
