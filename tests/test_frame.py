"""The Streamlit-free frame: URL-style parameters → period, comparison, language, scope, with the sidebar's rules."""
from __future__ import annotations

from datetime import date

import pytest

from communes import auth, frame, groups, refdata, settings


@pytest.fixture(scope="module")
def ref():
    return refdata.load(settings.get("province"))


FIRST, AS_OF = date(2024, 1, 1), date(2025, 10, 16)


def make(ref, as_of=AS_OF, user=auth.LOCAL, **params):
    return frame.from_params(params, ref, FIRST, as_of, None, user)


def test_defaults_are_the_latest_complete_quarter_the_previous_one_and_vietnamese(ref):
    f = make(ref)
    assert (f.period.start, f.period.end, f.period.kind) == (date(2025, 7, 1), date(2025, 9, 30), "quarter")
    assert (f.compare.start, f.compare.end) == (date(2025, 4, 1), date(2025, 6, 30))
    assert (f.compare_kind, f.lang, f.scope, f.units, f.user) == ("prev", "vi", "all", None, auth.LOCAL)
    # on the last day of a quarter, that quarter is complete
    assert make(ref, as_of=date(2025, 9, 30)).period.code == "2025-Q3"
    assert make(ref, as_of=date(2025, 9, 29)).period.code == "2025-Q2"


@pytest.mark.parametrize("params, code, compare", [
    ({"pk": "month", "p": "2025-08"}, "2025-08", "2025-07"),
    ({"pk": "month", "p": "2025-08", "cmp": "yoy"}, "2025-08", "2024-08"),
    ({"pk": "month"}, "2025-10", "2025-09"),  # a kind without a period opens on its newest option
    ({"pk": "year", "p": "2024"}, "2024", "2023"),
    ({"pk": "year"}, "2025", "2024"),
    ({"pk": "quarter", "p": "2025q2"}, "2025-Q2", "2025-Q1"),  # the spellings periods.parse reads
    ({"pk": "ytd"}, "2025-01-01..2025-10-16", "2024-01-01..2024-10-16"),  # year to date: cùng kỳ, always
])
def test_periods_and_comparisons(ref, params, code, compare):
    f = make(ref, **params)
    assert (f.period.code, f.compare.code) == (code, compare)


@pytest.mark.parametrize("params, code", [
    ({"p": "2025-08"}, "2025-Q3"),  # a month while the kind is the default quarter: the sidebar ignores it too
    ({"pk": "quarter", "p": "2026-Q1"}, "2025-Q3"),  # after the data
    ({"pk": "quarter", "p": "2023-Q4"}, "2025-Q3"),  # before the data
    ({"pk": "month", "p": "juillet"}, "2025-10"),  # the month kind's default: the newest month
    ({"pk": "week"}, "2025-Q3"),
])
def test_a_period_the_data_does_not_offer_falls_back_to_the_default(ref, params, code):
    assert make(ref, **params).period.code == code


def test_a_range_is_ordered_and_kept_within_the_data(ref):
    f = make(ref, pk="range", **{"from": "2025-09-30", "to": "2025-07-01"})
    assert (f.period.start, f.period.end) == (date(2025, 7, 1), date(2025, 9, 30))
    assert (f.compare.start, f.compare.end) == (date(2025, 3, 31), date(2025, 6, 30))  # the 92 days before
    f = make(ref, pk="range", **{"from": "2020-01-01", "to": "2030-01-01"})
    assert (f.period.start, f.period.end) == (FIRST, AS_OF)
    f = make(ref, pk="range", **{"from": "not a date"})
    assert (f.period.start, f.period.end) == (date(2025, 1, 1), AS_OF)


def test_language_comparison_and_scope(ref):
    f = make(ref, lang="en", cmp="yoy", scope="xa")
    assert (f.lang, f.compare_kind, f.scope) == ("en", "yoy", "xa")
    assert len(f.units) == 19 and set(f.units) == set(ref.units.loc[ref.units.unit_type == "Xã", "unit_code"])
    g = groups.load(ref).groups[0]
    assert make(ref, scope=g.id).units == g.units
    f = make(ref, lang="fr", cmp="mom", scope="nowhere")
    assert (f.lang, f.compare_kind, f.scope, f.units) == ("vi", "prev", "all", None)


def test_a_unit_viewer_sees_only_their_units_whatever_the_scope(ref):
    viewer = auth.User("ubnd.phongquang", "unit_viewer", ("19873",))
    f = make(ref, user=viewer, scope="xa")
    assert (f.scope, f.units, f.user) == ("all", ["19873"], viewer)


@pytest.mark.parametrize("params", [
    {}, {"lang": "en"}, {"pk": "month", "p": "2025-07", "cmp": "yoy"}, {"pk": "year", "p": "2024"},
    {"pk": "range", "from": "2025-02-01", "to": "2025-03-15"}, {"pk": "ytd", "lang": "en"},
])
def test_params_reopen_the_same_frame_and_leave_defaults_out(ref, params):
    f = make(ref, **params)
    assert f.params() == params
    again = make(ref, **f.params())
    assert (again.period, again.compare, again.lang) == (f.period, f.compare, f.lang)


def test_the_pages_frame_is_this_one():
    from communes import ui

    assert ui.Frame is frame.Frame and ui.DataVersion is frame.DataVersion
