""""Sắp đến hạn" (due soon): working days by hand around Tết and the public holidays, and the dossiers it picks.

Fixture (data date Friday 13/02/2026, the last working day before Tết Bính Ngọ; the office is closed
14–22/02 and reopens Monday 23/02, so with 2 working days a dossier due by Tuesday 24/02 is due soon):

| id | unit       | due                | at the end of 13/02     | due soon (N = 2)          |
|----|------------|--------------------|-------------------------|---------------------------|
| A1 | Phong Quảng| 13/02 (whole day)  | pending, in time        | yes, 0 working days left  |
| A2 | Phong Quảng| 24/02              | pending, in time        | yes, 2nd working day      |
| A3 | Phong Quảng| 25/02              | pending, in time        | no: 3rd working day       |
| A4 | Phong Quảng| 12/02              | overdue                 | no                        |
| A7 | Phong Quảng| 13/02 16:00        | overdue (at end of day) | no                        |
| A5 | Đan Điền   | 18/02 (in Tết)     | pending, in time        | yes                       |
| A6 | Đan Điền   | 20/02              | completed 13/02 10:00   | no                        |

A plain count of calendar days (13/02 + 2 = 15/02) would miss A2 and A5.
"""
from __future__ import annotations

from datetime import date

import pytest
from apptest import open_app

from communes import due_soon, fmt
from communes.i18n import t

PQ, DD = "19873", "19885"
ROWS = [
    ["A1", "Phường Phong Quảng", "Hộ tịch", "1", "2026-02-10", "2026-02-13", "", "1", ""],
    ["A2", "Phường Phong Quảng", "Đất đai", "2", "2026-02-10", "2026-02-24", "", "0", ""],
    ["A3", "Phường Phong Quảng", "Đất đai", "2", "2026-02-10", "2026-02-25", "", "0", ""],
    ["A4", "Phường Phong Quảng", "Hộ tịch", "1", "2026-02-10", "2026-02-12", "", "0", ""],
    ["A7", "Phường Phong Quảng", "Chứng thực", "1", "2026-02-12 08:00", "2026-02-13 16:00", "", "0", ""],
    ["A5", "Xã Đan Điền", "Xây dựng", "2", "2026-02-11", "2026-02-18", "", "1", ""],
    ["A6", "Xã Đan Điền", "Hộ tịch", "2", "2026-02-11", "2026-02-20", "2026-02-13 10:00", "1", ""],
]


# --- working days (the holidays package's calendar for Vietnam) ---------------------------------------

@pytest.mark.parametrize("as_of,n,expected", [
    (date(2026, 2, 13), 2, date(2026, 2, 24)),   # Tết Bính Ngọ: 14–22/02 off
    (date(2026, 2, 13), 1, date(2026, 2, 23)),
    (date(2025, 1, 24), 2, date(2025, 2, 4)),    # Tết Ất Tỵ: 25/01–02/02 off
    (date(2026, 4, 29), 2, date(2026, 5, 5)),    # 30/4 and 1/5 (Thu, Fri), then the weekend
    (date(2025, 4, 29), 1, date(2025, 5, 5)),    # 2025: 30/4, 1/5 and the bridge day 2/5 off
    (date(2026, 8, 28), 2, date(2026, 9, 4)),    # 31/8 bridge day, 1–2/9 National Day
    (date(2026, 8, 21), 1, date(2026, 8, 22)),   # Saturday 22/8/2026 is worked in exchange for 31/8
    (date(2026, 10, 30), 2, date(2026, 11, 3)),  # an ordinary weekend
    (date(2026, 10, 30), 0, date(2026, 10, 30)),
])
def test_until_counts_working_days_only(as_of, n, expected):
    assert due_soon.until(as_of, n) == expected


def test_holidays_and_weekends():
    assert [due_soon.is_working_day(date(2026, 2, d)) for d in range(13, 24)] == [
        True, False, False, False, False, False, False, False, False, False, True]  # 13/02 … 23/02
    assert not due_soon.is_working_day(date(2026, 9, 2)) and not due_soon.is_working_day(date(2026, 5, 1))
    assert due_soon.is_working_day(date(2025, 4, 26))  # a Saturday worked for the bridge day 2/5/2025
    assert due_soon.holiday_name(date(2026, 2, 17)) == "Tết Nguyên Đán"
    assert due_soon.working_days_left(date(2026, 2, 13), date(2026, 2, 24)) == 2
    assert due_soon.working_days_left(date(2026, 2, 13), date(2026, 2, 18)) == 0  # due during Tết
    assert due_soon.working_days_left(date(2026, 2, 13), date(2026, 2, 13)) == 0


def test_the_number_of_days_is_a_setting(monkeypatch):
    assert due_soon.default_days() == 2
    monkeypatch.setenv("COMMUNES_DUE_SOON_DAYS", "3")
    assert due_soon.until(date(2026, 2, 13)) == date(2026, 2, 25)
    monkeypatch.setenv("COMMUNES_DUE_SOON_DAYS", "hai")
    with pytest.raises(ValueError, match="COMMUNES_DUE_SOON_DAYS «hai»"):
        due_soon.default_days()


# --- the dossiers it picks ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def run(tmp_path_factory):
    from conftest import DOSSIER_HEADER, write_csv

    from communes import db, queries

    d = tmp_path_factory.mktemp("soon") / "data"
    d.mkdir()
    write_csv(d / "dossiers.csv", DOSSIER_HEADER, ROWS)
    con = queries.connection(db.build(d, d.parent / "db").path)
    return lambda name, **p: queries.run(name, con=con, **p)


def test_units_and_list(run):
    last, units = due_soon.by_unit(run, date(2026, 2, 13), None, days=2)
    assert last == date(2026, 2, 24)
    got = {r.unit_code: (r.due_soon, r.pending_overdue, r.pending) for r in units.itertuples()}
    assert got == {PQ: (2, 2, 5), DD: (1, 0, 1)}
    assert units["unit_code"].tolist() == [PQ, DD]  # most due soon first
    _, rows = due_soon.rows(run, date(2026, 2, 13), None, days=2)
    assert rows["dossier_id"].tolist() == ["A1", "A5", "A2"]  # earliest due first
    assert rows["working_days_left"].tolist() == [0, 0, 2]
    _, rows = due_soon.rows(run, date(2026, 2, 13), [PQ], days=3)
    assert rows["dossier_id"].tolist() == ["A1", "A2", "A3"]


def test_typed_loader_for_one_unit(run):
    pq = due_soon.load_unit(run, PQ, date(2026, 2, 13), days=2)
    assert pq == due_soon.DueSoon(PQ, date(2026, 2, 13), 2, date(2026, 2, 24), due_soon=2, overdue=2, pending=5)
    none = due_soon.load_unit(run, "19753", date(2026, 2, 13), days=2)  # nothing pending: zeros
    assert (none.due_soon, none.overdue, none.pending) == (0, 0, 0)


# --- the pages ------------------------------------------------------------------------------------------

@pytest.fixture
def app_env(make_exports, use_exports):
    return use_exports(make_exports(dossiers=ROWS), built=True)


def test_overview_dossier_page_and_profile_show_it(app_env):
    at = open_app(pk="month", p="2026-02")
    assert not at.exception
    line = next(m.value for m in at.markdown if t("due_soon") in m.value)
    assert "3 hồ sơ" in line and "Phong Quảng 2, Đan Điền 1" in line and "view=due_soon" in line
    assert any(c.value == "Sắp đến hạn: 3 hồ sơ (ngày 13/02/2026)" for c in at.caption)

    at = open_app("pages/dossiers.py", pk="month", p="2026-02", view="due_soon")
    assert not at.exception
    assert any(c.value == "Sắp đến hạn: 3 hồ sơ (ngày 13/02/2026)" for c in at.caption)
    table = at.dataframe[-1].value
    assert table[t("dossiers.col_id")].tolist() == ["A1", "A5", "A2"]
    assert table[t("due_soon.col_days_left")].tolist() == [0, 0, 2]
    assert any("24/02/2026" in c.value for c in at.caption)
    assert len(at.get("download_button")) >= 2

    at = open_app("pages/profile.py", pk="month", p="2026-02", unit=PQ)
    assert not at.exception
    line = next(m.value for m in at.markdown if m.value.startswith(f"**{t('due_soon')}**"))
    assert line == (f"**Sắp đến hạn**: 2 hồ sơ · **quá hạn**: 2 hồ sơ (ngày {fmt.date(date(2026, 2, 13))}; "
                    "hạn đến 24/02/2026)")

    at = open_app("pages/overview.py", lang="en", pk="month", p="2026-02")
    assert not at.exception
    assert any(c.value == "Due soon: 3 dossiers (13 Feb 2026)" for c in at.caption)


def test_phone_page_shows_it_beside_the_overdue_count(app_env):
    from communes import auth
    from communes.web import mobile

    status, html = mobile.unit_page(PQ, {"pk": "month", "p": "2026-02"}, auth.LOCAL)
    assert status == 200
    assert "<span><b>2</b> Sắp đến hạn</span>" in html  # A1 and A2, read through the same loader
    assert "24/02/2026" in html
    status, html = mobile.unit_page(DD, {"pk": "month", "p": "2026-02", "lang": "en"}, auth.LOCAL)
    assert "<span><b>1</b> Due soon</span>" in html


def test_overdue_and_pending_beside_it_are_biểu_06s_at_the_data_date(run):
    from communes import kpi, periods

    ytd = periods.ytd(date(2026, 2, 13))  # any period ending on the data date has these counts
    for units in (None, [PQ], [DD]):
        ds = due_soon.load(run, date(2026, 2, 13), units, days=2)
        d = kpi.compute(ytd, units, run=run)["dossiers"]
        assert (ds.overdue, ds.pending) == (d["pending_overdue"], d["pending"]), units
