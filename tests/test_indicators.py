"""Each Biểu 06 indicator against hand-computed values on the fixture dossiers."""
from __future__ import annotations

from communes import kpi, periods

PQ = "19873"  # Phường Phong Quảng
DD = "19885"  # Xã Đan Điền


def test_phong_quang_july_2025_by_hand(make_exports, build_db):
    con = build_db(make_exports())
    d = kpi.compute(periods.parse("2025-07"), [PQ], con=con)["dossiers"]
    # new in July: D4 direct; D5, D6, D8, D9 online; D7 postal. Carried over: D1, D2 (D3 was done in June).
    assert (d["new_online"], d["new_direct"], d["new_postal"], d["carried_over"]) == (4, 1, 1, 2)
    assert d["received"] == 8
    # D1 and D6 early; D5 on the due day (date-only due = end of day) is on time;
    # D4 completed 17:10 after a 16:00 due time the same day is late.
    assert (d["resolved_early"], d["resolved_on_time"], d["resolved_late"], d["resolved"]) == (2, 1, 1, 4)
    # pending at 31/07 end of day: D7 (due 05/08) and D8 (due 31/07, no time) in time;
    # D2 (due 30/06) and D9 (due 31/07 10:00) overdue.
    assert (d["pending_in_time"], d["pending_overdue"], d["pending"]) == (2, 2, 4)
    assert d["on_time_rate"] == 3 / 4
    assert d["online_rate"] == 4 / 6
    assert d["digitized_rate"] == 3 / 6  # D5, D6, D8
    assert d["overdue_rate"] == (1 + 2) / 8
    assert d["satisfaction_rate"] == 1 / 2  # D5 satisfied, D6 not


def test_city_sums_units_and_recomputes_rates(make_exports, build_db):
    con = build_db(make_exports())
    city = kpi.compute(periods.parse("2025-07"), None, con=con)["dossiers"]
    # Đan Điền adds D11: new online, completed 10/07 (no time) against due 10/07 16:00 → on time.
    assert city["received"] == 9 and city["resolved"] == 5
    assert city["resolved_on_time"] == 2
    assert city["on_time_rate"] == 4 / 5
    assert city["satisfaction_rate"] == 1 / 3


def test_empty_denominators_are_no_data(make_exports, build_db):
    rows = [["E1", "Phường Phong Quảng", "Đất đai", "1", "2025-07-01", "2025-07-05", "", "0", ""],
            ["E2", "Xã Đan Điền", "Đất đai", "1", "2025-09-01", "2025-09-05", "2025-09-02", "0", ""]]
    con = build_db(make_exports(dossiers=rows))
    d = kpi.compute(periods.parse("2025-08"), [PQ], con=con)["dossiers"]
    assert d["carried_over"] == 1 and d["received"] == 1 and d["new_online"] == 0
    assert d["resolved"] == 0 and d["on_time_rate"] is None  # nothing resolved: no data, not 0 %
    assert d["online_rate"] is None and d["digitized_rate"] is None  # nothing new
    assert d["satisfaction_rate"] is None
    assert d["pending_overdue"] == 1 and d["overdue_rate"] == 1.0


def test_unit_without_rows_is_no_data_not_zero(make_exports, build_db):
    con = build_db(make_exports())
    d = kpi.compute(periods.parse("2025-07"), ["19777"], con=con)["dossiers"]  # Vỹ Dạ: no dossier at all
    assert all(v is None for v in d.values())


def test_period_after_as_of_date_is_no_data(make_exports, build_db):
    con = build_db(make_exports())
    d = kpi.compute(periods.parse("2025-10"), [PQ], con=con)["dossiers"]
    assert d["received"] is None


def test_running_period_uses_as_of_date(make_exports, build_db):
    # data end on 05/08/2025 (D10); August is judged at 05/08 end of day, not at 31/08.
    con = build_db(make_exports())
    d = kpi.compute(periods.parse("2025-08"), [PQ], con=con)["dossiers"]
    # carried over: D2, D7, D8, D9; new: D10. D8 and D10 resolved (D8 late: 02/08 > 31/07).
    assert (d["carried_over"], d["received"], d["resolved"], d["resolved_late"]) == (4, 5, 2, 1)
    # pending at 05/08: D2 (30/06), D9 (31/07) overdue; D7 due 05/08 (no time) still in time.
    assert (d["pending_overdue"], d["pending_in_time"]) == (2, 1)


def test_identities_hold_for_every_unit_and_month(make_exports, build_db):
    con = build_db(make_exports())
    for p in ["2025-06", "2025-07", "2025-08", "2025-Q3", "2025-06-15..2025-07-15"]:
        period = periods.parse(p)
        bad = con.execute("""
            select unit_code from dossier_indicators(?, ?, null, true)
            where received <> new_online + new_direct + new_postal + carried_over
               or resolved <> resolved_early + resolved_on_time + resolved_late
               or pending <> pending_in_time + pending_overdue
               or received <> resolved + pending""", [period.start, period.end]).fetchall()
        assert bad == [], p


def test_former_communes_roll_up_and_are_kept(make_exports, build_db):
    con = build_db(make_exports())
    rows = con.execute("select dossier_id, unit_code, former_code from dossiers where dossier_id in ('D1','D2','D4') "
                       "order by dossier_id").fetchall()
    assert rows == [("D1", PQ, "19879"), ("D2", PQ, "19843"), ("D4", PQ, None)]


def test_clean_turns_every_kind_of_missing_into_none_and_numpy_into_python():
    import json

    import numpy as np
    import pandas as pd

    for missing in (None, float("nan"), np.float64("nan"), pd.NA, pd.NaT):
        assert kpi._clean(missing) is None
    assert type(kpi._clean(np.int64(3))) is int and kpi._clean(np.float64(0.5)) == 0.5
    assert json.dumps({"x": kpi._clean(pd.NA)}) == '{"x": null}'
