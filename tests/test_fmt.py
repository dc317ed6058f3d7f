"""Locale formatting: expected strings written out in both languages."""
import doctest
import math
from datetime import date, datetime
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from communes import fmt

MISSING = [None, float("nan"), np.nan, np.float32("nan"), pd.NA, pd.NaT, math.inf, Decimal("NaN")]
NUMERIC = [fmt.number, fmt.signed, fmt.percent, fmt.points, fmt.tonnes, fmt.hectares, fmt.yield_]


def test_docstring_examples_hold():
    assert doctest.testmod(fmt).failed == 0


@pytest.mark.parametrize("value", MISSING, ids=repr)
@pytest.mark.parametrize("func", [*NUMERIC, fmt.money, fmt.date], ids=lambda f: f.__name__)
def test_missing_is_no_data_never_zero(func, value):
    assert func(value) == "không có dữ liệu"
    assert func(value, lang="en") == "no data"


def test_date_empty_string_is_no_data():
    assert fmt.date("") == "không có dữ liệu"


@pytest.mark.parametrize(("args", "vi", "en"), [
    ((1234567,), "1.234.567", "1,234,567"),
    ((1234.5, 1), "1.234,5", "1,234.5"),
    ((0,), "0", "0"),
    ((-1234567.5, 1), "−1.234.567,5", "−1,234,567.5"),
    ((-0.04, 1), "0,0", "0.0"),          # rounds to zero: no sign
    ((2.5,), "3", "3"),                  # half-up, not Babel's half-even
    ((0.5,), "1", "1"),
    ((2.675, 2), "2,68", "2.68"),        # the decimal value, not the binary float
    ((np.int64(1234567),), "1.234.567", "1,234,567"),
    ((999.96, 1), "1.000,0", "1,000.0"),
])
def test_number(args, vi, en):
    assert fmt.number(*args) == vi
    assert fmt.number(*args, lang="en") == en


@pytest.mark.parametrize(("args", "vi", "en"), [
    ((1234,), "+1.234", "+1,234"),
    ((-56,), "−56", "−56"),
    ((0,), "0", "0"),
    ((-0.4,), "0", "0"),
    ((12.25, 1), "+12,3", "+12.3"),
])
def test_signed(args, vi, en):
    assert fmt.signed(*args) == vi
    assert fmt.signed(*args, lang="en") == en


@pytest.mark.parametrize(("args", "vi", "en"), [
    ((0.952,), "95,2 %", "95.2%"),
    ((0.9549,), "95,5 %", "95.5%"),
    ((0.95449,), "95,4 %", "95.4%"),
    ((0.9545,), "95,5 %", "95.5%"),      # half-up on the exact decimal
    ((1,), "100,0 %", "100.0%"),
    ((0,), "0,0 %", "0.0%"),
    ((0.5, 0), "50 %", "50%"),
    ((0.12345, 2), "12,35 %", "12.35%"),
    ((-0.031,), "−3,1 %", "−3.1%"),
])
def test_percent(args, vi, en):
    assert fmt.percent(*args) == vi
    assert fmt.percent(*args, lang="en") == en


@pytest.mark.parametrize(("args", "vi", "en"), [
    ((0.008,), "+0,8 điểm %", "+0.8 pp"),
    ((-0.012,), "−1,2 điểm %", "−1.2 pp"),
    ((0,), "0,0 điểm %", "0.0 pp"),
    ((-0.0004,), "0,0 điểm %", "0.0 pp"),
    ((0.9549 - 0.9,), "+5,5 điểm %", "+5.5 pp"),  # float noise of the subtraction does not show
    ((0.1234, 2), "+12,34 điểm %", "+12.34 pp"),
])
def test_points(args, vi, en):
    assert fmt.points(*args) == vi
    assert fmt.points(*args, lang="en") == en


@pytest.mark.parametrize(("vnd", "vi", "en"), [
    (20.4e9, "20,4 tỷ đồng", "20.4 billion VND"),
    (1e9, "1,0 tỷ đồng", "1.0 billion VND"),
    (999_950_000, "1,0 tỷ đồng", "1.0 billion VND"),            # would read "1.000,0 triệu"
    (999_949_999, "999,9 triệu đồng", "999.9 million VND"),
    (950_000_000, "950,0 triệu đồng", "950.0 million VND"),
    (345_600_000, "345,6 triệu đồng", "345.6 million VND"),
    (1e6, "1,0 triệu đồng", "1.0 million VND"),
    (999_999.5, "1,0 triệu đồng", "1.0 million VND"),
    (999_999, "999.999 đồng", "999,999 VND"),
    (12_000, "12.000 đồng", "12,000 VND"),
    (0, "0 đồng", "0 VND"),
    (1_234e9, "1.234,0 tỷ đồng", "1,234.0 billion VND"),
    (-2.5e9, "−2,5 tỷ đồng", "−2.5 billion VND"),
])
def test_money(vnd, vi, en):
    assert fmt.money(vnd) == vi
    assert fmt.money(vnd, "en") == en


def test_money_sign_and_decimals():
    assert fmt.money(5e8, sign=True) == "+500,0 triệu đồng"
    assert fmt.money(-5e8, "en", sign=True) == "−500.0 million VND"
    assert fmt.money(20_449_000_000, decimals=2) == "20,45 tỷ đồng"


@pytest.mark.parametrize("value", [
    date(2025, 7, 3), datetime(2025, 7, 3, 23, 59), pd.Timestamp("2025-07-03 14:30"),
    "2025-07-03", "2025-07-03T14:30:00", " 2025-07-03 ",
], ids=repr)
def test_date_accepts_every_kind(value):
    assert fmt.date(value) == "03/07/2025"
    assert fmt.date(value, "en") == "3 Jul 2025"


def test_date_two_digit_day_and_month():
    assert fmt.date(date(2025, 12, 31)) == "31/12/2025"
    assert fmt.date(date(2025, 12, 31), "en") == "31 Dec 2025"


def test_month():
    assert fmt.month(2025, 7) == "Tháng 7/2025"
    assert fmt.month(2025, 12, "en") == "Dec 2025"
    assert fmt.month_short(2025, 7) == "T7/2025"
    assert fmt.month_short(2025, 1, "en") == "Jan 2025"
    with pytest.raises(ValueError):
        fmt.month(2025, 13)


@pytest.mark.parametrize(("q", "vi", "en"), [
    (1, "Quý I/2025", "Q1 2025"), (2, "Quý II/2025", "Q2 2025"),
    (3, "Quý III/2025", "Q3 2025"), (4, "Quý IV/2025", "Q4 2025"),
])
def test_quarter_roman_numerals(q, vi, en):
    assert fmt.quarter(2025, q) == vi
    assert fmt.quarter(2025, q, "en") == en


def test_quarter_out_of_range():
    with pytest.raises(ValueError):
        fmt.quarter(2025, 5)


def test_quantities_with_units():
    assert fmt.tonnes(12345.4) == "12.345 tấn"
    assert fmt.tonnes(12345.4, "en") == "12,345 tonnes"
    assert fmt.tonnes(12.46, decimals=1) == "12,5 tấn"
    assert fmt.hectares(1234.56) == "1.234,6 ha"
    assert fmt.hectares(1234.56, "en") == "1,234.6 ha"
    assert fmt.yield_(43.72) == "43,7 tạ/ha"
    assert fmt.yield_(43.72, "en") == "43.7 quintals/ha"


def test_plotly():
    assert fmt.plotly_separators() == ",."
    assert fmt.plotly_separators("en") == ".,"
    assert fmt.plotly_locale() == "vi"
    assert fmt.plotly_locale("en") == "en"


def test_spaces_are_ordinary_and_no_ascii_hyphen():
    # One consistent style: plain U+0020 before units, U+2212 for minus, nothing from Babel leaking.
    for text in [fmt.percent(-0.5), fmt.points(-0.5), fmt.money(-2e9), fmt.number(-1e6)]:
        assert "\xa0" not in text and "\u202f" not in text and "-" not in text


@pytest.mark.parametrize("call", [
    *[lambda lang, f=f: f(1, lang=lang) for f in NUMERIC],
    lambda lang: fmt.money(1, lang),
    lambda lang: fmt.date("2025-07-03", lang),
    lambda lang: fmt.month(2025, 7, lang),
    lambda lang: fmt.quarter(2025, 3, lang),
    fmt.plotly_separators,
    fmt.plotly_locale,
])
def test_unknown_language_is_refused(call):
    with pytest.raises(ValueError, match="fr"):
        call("fr")
