"""Peer-group medians and ranks, and normalisation, worked out by hand (communes/peers.py)."""
from __future__ import annotations

import doctest
from datetime import date

import pandas as pd
import pytest

from communes import groups, peers, refdata
from communes.views import profile as pv

# Six units: two groups, two types; one unit (e) without data.
TABLE = pd.DataFrame({
    "unit_code": ["a", "b", "c", "d", "e", "f"],
    "unit_type": ["Phường", "Phường", "Xã", "Xã", "Xã", "Phường"],
    "group_id": ["coast", "coast", "coast", "hill", "hill", None],
    "on_time_rate": [0.90, 0.96, 0.93, 0.99, None, 0.80],
    "pending_overdue": [4, 0, 0, 7, None, 2],
})


def test_docstring_examples_hold():
    assert doctest.testmod(peers).failed == 0
    assert doctest.testmod(pv).failed == 0


def test_median_ignores_missing_and_averages_the_middle_pair():
    # city: 0.80 0.90 0.93 0.96 0.99 → 0.93; e has no data and is not a zero
    assert peers.median(TABLE["on_time_rate"]) == pytest.approx(0.93)
    # coast: 0.90 0.93 0.96 → 0.93; hill: only d → 0.99
    assert peers.median([0.90, 0.96, 0.93]) == pytest.approx(0.93)
    assert peers.median([0.90, 0.96]) == pytest.approx(0.93)
    assert peers.median([None, float("nan")]) is None


def test_ranks_in_the_city_and_in_the_peer_group():
    s = peers.standing(TABLE, "c", "on_time_rate", True, peers.peer_units(TABLE, "c", "group"))
    # city order: d .99, b .96, c .93, a .90, f .80 → c is 3rd of 5 ranked (e not ranked)
    assert (s.city_rank, s.city_n) == (3, 5)
    # coast: b .96, c .93, a .90 → 2nd of 3, median 0.93, c − median = 0
    assert (s.peer_rank, s.peer_n, s.peer_median) == (2, 3, pytest.approx(0.93))
    assert s.vs_peers == pytest.approx(0.0)
    assert peers.rank_text(s.city_rank, s.city_n) == "hạng 3/5"
    # type group: the xã c, d, e → c is 2nd of the 2 ranked xã ("hạng 2/2 xã")
    st = peers.standing(TABLE, "c", "on_time_rate", True, peers.peer_units(TABLE, "c", "type"))
    assert peers.rank_text(st.peer_rank, st.peer_n, group="xã") == "hạng 2/2 xã"


def test_lower_is_better_ranks_ties_together():
    ranks = {c: peers.rank(dict(zip(TABLE.unit_code, TABLE.pending_overdue)), c, higher_is_better=False)
             for c in "abcdef"}
    assert ranks["b"] == (1, 5) and ranks["c"] == (1, 5)  # both 0 overdue share rank 1
    assert ranks["f"] == (3, 5) and ranks["a"] == (4, 5) and ranks["d"] == (5, 5)
    assert ranks["e"] == (None, 5)  # no data: not ranked, never last


def test_a_unit_without_data_has_no_standing():
    s = peers.standing(TABLE, "e", "on_time_rate", True, ["d", "e"])
    assert s.value is None and s.city_rank is None and s.peer_rank is None and s.vs_peers is None
    assert s.peer_median == pytest.approx(0.99) and s.peer_n == 1
    assert peers.rank_text(s.city_rank, s.city_n) == ""


def test_peer_units_fall_back_to_the_type_without_a_group():
    assert peers.peer_units(TABLE, "f", "group") == ["a", "b", "f"]  # f has no geographic group
    assert peers.peer_units(TABLE, "a", "group") == ["a", "b", "c"]
    assert peers.peer_units(TABLE, "a", "type") == ["a", "b", "f"]


def test_hue_peer_groups_from_the_settings_file():
    ref = refdata.load("Thành phố Huế")
    g = groups.load(ref)
    units = ref.units.assign(group_id=ref.units.unit_code.map(g.unit_group))
    coastal = peers.peer_units(units, "19873", "group")  # Phong Quảng is coastal
    assert len(coastal) == 7 and "19885" in coastal  # with Đan Điền
    assert len(peers.peer_units(units, "19873", "type")) == 21  # 21 phường
    assert len(peers.peer_units(units, "19885", "type")) == 19  # 19 xã
    mountain = peers.peer_units(units, ref.units.loc[ref.units.short_name == "A Lưới 1", "unit_code"].iloc[0])
    assert len(mountain) == 9


def test_months_in_a_period():
    assert peers.months_in(date(2025, 7, 1), date(2025, 9, 30)) == 3.0
    assert peers.months_in(date(2024, 7, 1), date(2025, 6, 30)) == 12.0
    assert peers.months_in(date(2025, 7, 1), date(2025, 7, 31)) == 1.0
    assert peers.months_in(date(2025, 2, 15), date(2025, 3, 31)) == pytest.approx(14 / 28 + 1)
    assert peers.months_in(date(2025, 7, 2), date(2025, 7, 1)) == 0.0


def test_normalisation_by_hand():
    # 450 new dossiers, 30,000 inhabitants, 40 km², 15 officials, 3 months
    assert peers.per_1000(450, 30_000) == pytest.approx(15.0)
    assert peers.per_km2(450, 40) == pytest.approx(11.25)
    assert peers.per_official_month(450, 15, 3.0) == pytest.approx(10.0)
    # missing or empty denominators are no data, never zero or infinity
    assert peers.per_1000(450, None) is None and peers.per_1000(450, 0) is None
    assert peers.per_official_month(450, 0, 3.0) is None and peers.per_official_month(None, 15, 3.0) is None


def test_derived_columns_of_the_unit_table():
    df = pd.DataFrame({
        "unit_code": ["a", "b"], "new_online": [200, None], "new_direct": [100, None], "new_postal": [0, None],
        "visitors": [9000, 10], "staff": [20, 10], "approved_posts": [25, None],
        "population": [50_000, None], "area_km2": [12.0, 30.0],
    })
    out = pv.derive(df, months=3.0)
    a, b = out.iloc[0], out.iloc[1]
    assert a["new_dossiers"] == 300
    assert a["new_per_1000"] == pytest.approx(6.0)  # 300 × 1000 / 50,000
    assert a["new_per_km2"] == pytest.approx(25.0)  # 300 / 12
    assert a["dossiers_per_official_month"] == pytest.approx(5.0)  # 300 / 3 / 20
    assert a["staff_fill_rate"] == pytest.approx(0.8)  # 20 / 25
    assert a["visitors_per_1000"] == pytest.approx(180.0)
    # b has no dossier: no data, not zero; no population: nothing per inhabitant
    assert pd.isna(b["new_dossiers"]) and pd.isna(b["dossiers_per_official_month"])
    assert pd.isna(b["visitors_per_1000"]) and b["visitors_per_km2"] == pytest.approx(10 / 30)
    assert pd.isna(b["staff_fill_rate"])


def test_best_value_marks():
    assert peers.best([0.9, None, 0.95, 0.95], True) == {2, 3}
    assert peers.best([3, 1, 2], False) == {1}
    assert peers.best([5, None], True) == set()  # one value: nothing to compare
    assert peers.best([5, 6], None) == set()  # no direction: no mark
