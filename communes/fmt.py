"""Numbers, rates, money and dates as people in Huế read them (vi_VN by default, English optional).

Every function takes ``lang`` ("vi" or "en") and returns a string; ``None``, NaN, ``pd.NA`` and ``NaT``
give the "no data" text, never "0" or "nan". House choices, applied everywhere:

- Rounding is half-up on the decimal value (0.9545 → 95,5 %), not Babel's default half-even, so a
  figure on screen matches the one a reader works out by hand.
- Negative numbers carry the true minus sign U+2212 ("−56"), as Plotly's tick labels do.
  Note: ``st.metric`` decides a delta's arrow and colour by a leading ASCII "-", so a page that passes
  these strings as ``delta`` must set ``delta_arrow``/colour from the number itself.
- A value that rounds to zero has no sign ("0", "0,0 điểm %").
- Number and unit are separated by an ordinary space ("95,2 %", "20,4 tỷ đồng"); Babel's (narrow)
  no-break spaces are normalised to it, so the strings match the briefing texts and paste cleanly.

>>> percent(0.9549), percent(0.9549, lang="en")
('95,5 %', '95.5%')
"""
from __future__ import annotations

import math
from datetime import date as _date
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from itertools import pairwise

from babel.dates import format_date
from babel.numbers import format_decimal

from communes.i18n import LANGS
from communes.missing import is_missing

MINUS = "\u2212"
NO_DATA = {"vi": "không có dữ liệu", "en": "no data"}
_LOCALE = {"vi": "vi_VN", "en": "en"}
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


# --- helpers -------------------------------------------------------------------------------------

def _locale(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGS}")
    return _LOCALE[lang]


def _round(x: object, decimals: int) -> Decimal:
    """``x`` rounded half-up to ``decimals`` places; via ``str`` so 2.675 is 2.675, not 2.67499…"""
    try:
        d = Decimal(str(x))
    except InvalidOperation:
        raise TypeError(f"not a number: {x!r}") from None
    return d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _digits(d: Decimal, decimals: int, lang: str) -> str:
    """The absolute value of an already rounded ``d`` with the locale's separators."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    text = format_decimal(abs(d), format=pattern, locale=_locale(lang))
    return text.replace("\u202f", " ").replace("\xa0", " ")


def _num(x: object, decimals: int, lang: str, sign: bool = False, scale: int = 1) -> str | None:
    """``x × scale`` formatted, with "−" (and "+" when ``sign``); None when ``x`` is missing."""
    _locale(lang)
    if is_missing(x):
        return None
    d = _round(Decimal(str(x)) * scale, decimals)
    prefix = "" if d == 0 else MINUS if d < 0 else "+" if sign else ""
    return prefix + _digits(d, decimals, lang)


# --- numbers -------------------------------------------------------------------------------------

def number(x: object, decimals: int = 0, lang: str = "vi") -> str:
    """A plain number with the locale's grouping.

    >>> number(1234.5, 1), number(1234.5, 1, lang="en")
    ('1.234,5', '1,234.5')
    """
    return _num(x, decimals, lang) or NO_DATA[lang]


def signed(x: object, decimals: int = 0, lang: str = "vi") -> str:
    """A change in a count, always with its sign (none for zero).

    >>> signed(1234), signed(-56)
    ('+1.234', '−56')
    """
    return _num(x, decimals, lang, sign=True) or NO_DATA[lang]


def rank_cell(rank: object) -> str:
    """A rank as every table shows it: "7", or an empty cell for a unit without data (not ranked, never
    "không có dữ liệu" in a rank column nor a blank-looking "None").

    >>> import pandas as pd
    >>> rank_cell(7), rank_cell(pd.NA), rank_cell(None), rank_cell(3.0)
    ('7', '', '', '3')
    """
    return "" if is_missing(rank) else str(int(rank))


def percent(rate: object, decimals: int = 1, lang: str = "vi") -> str:
    """A rate given as a fraction 0–1.

    >>> percent(0.952), percent(0.952, lang="en")
    ('95,2 %', '95.2%')
    """
    text = _num(rate, decimals, lang, scale=100)
    if text is None:
        return NO_DATA[lang]
    return f"{text} %" if lang == "vi" else f"{text}%"


def points(delta: object, decimals: int = 1, lang: str = "vi") -> str:
    """A change between two rates (fractions), in percentage points, with its sign.

    >>> points(0.008), points(-0.012, lang="en")
    ('+0,8 điểm %', '−1.2 pp')
    """
    text = _num(delta, decimals, lang, sign=True, scale=100)
    if text is None:
        return NO_DATA[lang]
    return f"{text} điểm %" if lang == "vi" else f"{text} pp"


# --- quantities with units -----------------------------------------------------------------------

_MONEY_UNITS = {"vi": ("tỷ đồng", "triệu đồng", "đồng"), "en": ("billion VND", "million VND", "VND")}


def money(vnd: object, lang: str = "vi", *, decimals: int = 1, sign: bool = False) -> str:
    """An amount in đồng, scaled to tỷ (10⁹) or triệu (10⁶); smaller amounts in whole đồng.

    A scale is used when the next smaller one would show 1 000 or more after rounding, so
    999 949 999 đồng reads "999,9 triệu đồng" and 999 950 000 đồng "1,0 tỷ đồng", never "1.000,0 triệu".

    >>> money(20.4e9), money(345_600_000, "en"), money(12_000)
    ('20,4 tỷ đồng', '345.6 million VND', '12.000 đồng')
    """
    _locale(lang)
    if is_missing(vnd):
        return NO_DATA[lang]
    v = Decimal(str(vnd))
    steps = list(zip((10**9, 10**6, 1), (decimals, decimals, 0), _MONEY_UNITS[lang]))
    for (scale, dec, unit), (lower, lower_dec, _) in pairwise(steps):
        if abs(_round(v / lower, lower_dec)) * lower >= scale:
            return f"{_num(v / scale, dec, lang, sign=sign)} {unit}"
    return f"{_num(v, 0, lang, sign=sign)} {steps[-1][2]}"


def tonnes(x: object, lang: str = "vi", decimals: int = 0) -> str:
    """A mass in tonnes (tấn).

    >>> tonnes(12345.4), tonnes(12345.4, "en")
    ('12.345 tấn', '12,345 tonnes')
    """
    text = _num(x, decimals, lang)
    return NO_DATA[lang] if text is None else f"{text} {'tấn' if lang == 'vi' else 'tonnes'}"


def hectares(x: object, lang: str = "vi", decimals: int = 1) -> str:
    """An area in hectares.

    >>> hectares(1234.56), hectares(1234.56, "en")
    ('1.234,6 ha', '1,234.6 ha')
    """
    text = _num(x, decimals, lang)
    return NO_DATA[lang] if text is None else f"{text} ha"


def yield_(x: object, lang: str = "vi", decimals: int = 1) -> str:
    """Rice yield in quintals (tạ, 100 kg) per hectare.

    >>> yield_(43.72), yield_(43.72, "en")
    ('43,7 tạ/ha', '43.7 quintals/ha')
    """
    text = _num(x, decimals, lang)
    return NO_DATA[lang] if text is None else f"{text} {'tạ/ha' if lang == 'vi' else 'quintals/ha'}"


# --- dates and periods ---------------------------------------------------------------------------

# --- an indicator by its kind (the contract's: rate, count, money, tonnes, hectares, yield, decimal) -----

def kind_of(key: str) -> str:
    """How an indicator is printed, read off its name as the data contract spells names: a rate, an amount
    (revenue) in đồng, tonnes, a yield (before hectares: "…_per_ha" is a yield, not an area), hectares, else a count.

    >>> [kind_of(k) for k in ("on_time_rate", "revenue_vnd", "capture_tonnes", "rice_yield_quintal_per_ha", "rice_area_ha", "received")]
    ['rate', 'money', 'tonnes', 'yield', 'hectares', 'count']
    """
    if key.endswith("_rate"):
        return "rate"
    if key == "revenue_vnd":  # an amount in tỷ đồng (a per-visitor amount has its own format)
        return "money"
    if key.endswith("_tonnes"):
        return "tonnes"
    if key.endswith("_per_ha"):
        return "yield"
    if key.endswith("_ha"):
        return "hectares"
    return "count"


def indicator(value: object, kind: str, lang: str = "vi") -> str:
    """A value as cards and tables print it ("95,2 %", "20,4 tỷ đồng", "1.234", "12,5").

    >>> indicator(0.952, "rate"), indicator(20.4e9, "money"), indicator(1234, "count"), indicator(12.54, "decimal")
    ('95,2 %', '20,4 tỷ đồng', '1.234', '12,5')
    """
    if kind == "rate":
        return percent(value, lang=lang)
    if kind == "money":
        return money(value, lang)
    if kind == "tonnes":
        return tonnes(value, lang)
    if kind == "hectares":
        return hectares(value, lang)
    if kind == "yield":
        return yield_(value, lang)
    return number(value, 1 if kind == "decimal" else 0, lang)


def indicator_change(change: object, kind: str, lang: str = "vi") -> str | None:
    """A change (or a difference) between two values of ``kind``, with its sign and unit ("+0,8 điểm %",
    "−56", "+1,2 tấn"); None for no data.

    >>> indicator_change(0.008, "rate"), indicator_change(-56, "count"), indicator_change(None, "rate")
    ('+0,8 điểm %', '−56', None)
    """
    from communes.i18n import t

    if is_missing(change):
        return None
    if kind == "rate":
        return points(change, lang=lang)
    if kind == "money":
        return money(change, lang, sign=True)
    if kind in ("tonnes", "hectares"):
        unit = "ha" if kind == "hectares" else t("peers.tonnes", lang)
        return f"{signed(change, 0 if kind == 'tonnes' else 1, lang)} {unit}"
    if kind == "yield":
        return f"{signed(change, 1, lang)} {t('peers.quintal_ha', lang)}"
    return signed(change, 1 if kind == "decimal" else 0, lang)


def _as_date(d: object) -> _date:
    if isinstance(d, datetime):  # pandas Timestamp is a datetime too
        return d.date()
    if isinstance(d, _date):
        return d
    if isinstance(d, str):
        return datetime.fromisoformat(d.strip()).date()
    raise TypeError(f"not a date: {d!r}")


def date(d: object, lang: str = "vi") -> str:
    """A day: a date, datetime, pandas Timestamp or ISO string.

    >>> date("2025-07-03"), date("2025-07-03T14:30", "en")
    ('03/07/2025', '3 Jul 2025')
    """
    loc = _locale(lang)
    if is_missing(d) or d == "":
        return NO_DATA[lang]
    return format_date(_as_date(d), "dd/MM/yyyy" if lang == "vi" else "d MMM y", locale=loc)


def _month(year: int, m: int, lang: str, vi: str) -> str:
    loc = _locale(lang)
    if not 1 <= m <= 12:
        raise ValueError(f"month must be 1–12, not {m!r}")
    return vi.format(m=m, y=year) if lang == "vi" else format_date(_date(year, m, 1), "MMM y", locale=loc)


def month(year: int, month: int, lang: str = "vi") -> str:
    """A calendar month in running text or a title.

    >>> month(2025, 7), month(2025, 7, "en")
    ('Tháng 7/2025', 'Jul 2025')
    """
    return _month(year, month, lang, "Tháng {m}/{y}")


def month_short(year: int, month: int, lang: str = "vi") -> str:
    """A calendar month for chart ticks.

    >>> month_short(2025, 7), month_short(2025, 7, "en")
    ('T7/2025', 'Jul 2025')
    """
    return _month(year, month, lang, "T{m}/{y}")


def quarter(year: int, q: int, lang: str = "vi") -> str:
    """A quarter, with Roman numerals in Vietnamese.

    >>> quarter(2025, 3), quarter(2025, 3, "en")
    ('Quý III/2025', 'Q3 2025')
    """
    _locale(lang)
    if q not in _ROMAN:
        raise ValueError(f"quarter must be 1–4, not {q!r}")
    return f"Quý {_ROMAN[q]}/{year}" if lang == "vi" else f"Q{q} {year}"


# --- Plotly --------------------------------------------------------------------------------------

def plotly_separators(lang: str = "vi") -> str:
    """``layout.separators``: the decimal mark, then the thousands mark.

    >>> plotly_separators(), plotly_separators("en")
    (',.', '.,')
    """
    _locale(lang)
    return ",." if lang == "vi" else ".,"


_RATE_STEPS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5)  # whole percents where they fit


def plotly_percent_axis(values=(), lang: str = "vi", lo: float | None = None, hi: float | None = None,
                        ticks: int = 7) -> dict:
    """Ticks of a Plotly axis (or colour bar) of rates given as fractions, written as the cards write
    them: "96 %", "96,5 %" (English "96%", "96.5%"). d3's "%" format knows neither the space nor the
    locale's percent style, so the ticks are explicit values and texts. ``lo``/``hi`` default to the
    data's smallest and largest values; at most ``ticks`` + 1 ticks, on round steps.

    >>> plotly_percent_axis([0.93, 0.975])["ticktext"]
    ['93 %', '94 %', '95 %', '96 %', '97 %', '98 %']
    >>> plotly_percent_axis(lo=0.0, hi=1.05, lang="en")["ticktext"]
    ['0%', '20%', '40%', '60%', '80%', '100%']
    >>> plotly_percent_axis([0.961, 0.963])["ticktext"]
    ['96,1 %', '96,2 %', '96,3 %']
    """
    xs = [float(v) for v in values if not is_missing(v)]
    given = lo is not None, hi is not None
    lo = min(xs, default=0.0) if lo is None else lo
    hi = max(xs, default=1.0) if hi is None else hi
    if hi <= lo:
        lo, hi = lo - 0.005, hi + 0.005
    step = next((s for s in _RATE_STEPS if (hi - lo) / s <= ticks), 1.0)
    decimals = max(0, -Decimal(str(step * 100)).normalize().as_tuple().exponent)
    # a bound taken from the data is widened to the next round tick (Plotly's autorange pads beyond it)
    first = (math.ceil if given[0] else math.floor)(round(lo / step, 6))
    last = (math.floor if given[1] else math.ceil)(round(hi / step, 6))
    vals = [round(k * step, 6) for k in range(first, last + 1)]
    return {"tickmode": "array", "tickvals": vals, "ticktext": [percent(v, decimals, lang) for v in vals]}


def percents(values, lang: str = "vi", decimals: int = 1) -> list[str]:
    """Rates as hover labels and bar texts print them, as on the cards ("96,1 %"; "không có dữ liệu")."""
    return [percent(v, decimals, lang) for v in values]


def plotly_locale(lang: str = "vi") -> str:
    """The Plotly ``config.locale`` (month names in date axes).

    >>> plotly_locale()
    'vi'
    """
    _locale(lang)
    return lang


_MARKDOWN = set("\\`*_{}[]()#+-.!|~$<>:=")


def plain(text: object) -> object:
    """Text from a file, escaped so that a table that renders Markdown (``st.table``) shows it as typed:
    no link, image, emphasis, colour directive or icon shortcode can come from the data. Not text: as is.

    >>> print(plain("**Đất đai** [x](http://a.b) :red[!] 1.234,5"))
    \\*\\*Đất đai\\*\\* \\[x\\]\\(http\\://a\\.b\\) \\:red\\[\\!\\] 1\\.234,5
    >>> plain(12.5)
    12.5
    """
    if not isinstance(text, str):
        return text
    return "".join("\\" + c if c in _MARKDOWN else c for c in text)
