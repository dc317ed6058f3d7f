"""The unit profile's typed data (``views.profile.ProfileData``), read by the Streamlit profile and the phone page:
its fields, the unit's row, its peers, and the unit named any way ``?unit=`` accepts."""
from __future__ import annotations

import dataclasses
from datetime import date

import pandas as pd
import pytest

from communes import frame, queries, refdata, settings
from communes.views import profile as pv

PQ, DD = "19873", "19885"  # Phường Phong Quảng (coastal, formed from 3 former communes); Xã Đan Điền
DOSSIERS = [
    ["A1", "Phường Phong Hải", "Hộ tịch", "2", "2025-03-01", "2025-03-05", "2025-03-04", "1", ""],
    ["D1", "Phường Phong Quảng", "Hộ tịch", "2", "2025-07-03", "2025-07-10", "2025-07-08", "1", ""],
    ["D2", "Phường Phong Quảng", "Đất đai", "1", "2025-07-15", "2025-07-20", "", "0", ""],
    ["E1", "Xã Đan Điền", "Hộ tịch", "2", "2025-08-05", "2025-08-10", "2025-08-10", "1", ""],
]


@pytest.fixture(scope="module")
def ref():
    return refdata.load(settings.get("province"))


def test_profile_data_fields(make_exports, build_db, ref):
    con = build_db(make_exports(dossiers=DOSSIERS))
    f = frame.from_params({"pk": "month", "p": "2025-07"}, ref, date(2025, 3, 1), date(2025, 8, 10))
    d = pv.load(lambda name, **p: queries.run(name, con=con, **p), f, PQ)
    assert isinstance(d, pv.ProfileData) and d.unit == PQ
    frames_ = {x.name for x in dataclasses.fields(d) if x.type == "pd.DataFrame"}
    assert {"table", "trend", "monthly", "merger", "former", "backlog", "rice", "events"} <= frames_
    for name in frames_:
        assert isinstance(getattr(d, name), pd.DataFrame), name
    assert len(d.table) == 40  # every unit: ranks and medians are over the city
    row = d.row
    assert (row["unit_code"], row["unit_name"], row["unit_type"]) == (PQ, "Phường Phong Quảng", "Phường")
    # July: D1 on time, D2 pending and overdue at 31/07 (due 20/07)
    assert (row["received"], row["on_time_rate"], row["pending_overdue"]) == (2, 1.0, 1)
    assert d.backlog["dossier_id"].tolist() == ["D2"] and d.backlog["overdue"].tolist() == [True]
    assert sorted(d.former["former_name"].dropna()) == ["Phường Phong Hải", "Xã Quảng Công", "Xã Quảng Ngạn"]
    peers_ = d.peer_codes("type")
    assert PQ in peers_ and DD not in peers_ and len(peers_) == 21  # the 21 phường
    assert pv.sections(d) == {"tourism": False, "agriculture": False, "fishery": False, "staffing": False}


@pytest.mark.parametrize("text, code, former", [
    (PQ, PQ, None),
    ("phong quang", PQ, None),
    ("P. Phong Quảng", PQ, None),
    ("Xã Quảng Công", PQ, "Xã Quảng Công"),  # a former commune: its successor, and which one was named
    ("dan dien", DD, None),
])
def test_resolve_unit(ref, text, code, former):
    r = pv.resolve_unit(ref, text)
    assert (r.code, r.former_name, r.error) == (code, former, None)


@pytest.mark.parametrize("text", ["", "Nowhere", "12345"])
def test_resolve_unit_says_why_it_found_nothing(ref, text):
    r = pv.resolve_unit(ref, text)
    assert r.code is None and r.former_name is None
    assert r.error  # the reader's message (Vietnamese), shown on the page
