"""Missing values: what pandas, DuckDB and the exports call "no data", turned into Python's ``None``.

A figure with no data is shown as "không có dữ liệu" and never computed as 0, so every layer asks the
same question in the same way: ``is_missing`` (None, NaN, ±inf, ``pd.NA``, ``NaT``), ``value`` (a plain
Python scalar or None) and ``as_float`` (a float or None).

>>> import numpy as np
>>> value(np.int64(3)), value(pd.NA), value(float("nan")), as_float("x"), as_float(np.float32(0.5))
(3, None, None, None, 0.5)
"""
from __future__ import annotations

import math
import numbers

import pandas as pd


def is_missing(x: object) -> bool:
    """True for None, NaN, ±inf, ``pd.NA`` and ``NaT`` (anything pandas calls missing, and infinities).

    >>> is_missing(None), is_missing(pd.NaT), is_missing(float("inf")), is_missing(0), is_missing("")
    (True, True, True, False, False)
    """
    if x is None:
        return True
    try:
        if pd.isna(x):
            return True
    except (TypeError, ValueError):  # not a scalar pandas knows
        return False
    return isinstance(x, numbers.Real) and not isinstance(x, bool) and not math.isfinite(x)


def value(x):
    """A plain Python scalar (numpy's unwrapped with ``.item()``), or None for no data.

    >>> value(pd.Timestamp("2025-07-01")) == pd.Timestamp("2025-07-01"), value("a")
    (True, 'a')
    """
    if is_missing(x):
        return None
    return x.item() if hasattr(x, "item") else x


def as_float(x) -> float | None:
    """A finite float, or None for no data and for anything that is not a number.

    >>> as_float(2), as_float(None), as_float(float("-inf"))
    (2.0, None, None)
    """
    if is_missing(x):
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


SIGNIFICANT = 12  # digits a figure keeps on its way out (a double holds 15 to 17)


def tidy(x: float) -> float:
    """``x`` without the noise that summing doubles in some order leaves in its last digits, for what other
    systems read (the API, the CSV and Excel downloads): rounded to ``SIGNIFICANT`` significant digits.

    >>> tidy(1110.3000000000002), tidy(0.1 + 0.2), tidy(1900200000000.0), tidy(0.96123456789012345)
    (1110.3, 0.3, 1900200000000.0, 0.96123456789)
    """
    return float(f"{x:.{SIGNIFICANT}g}") if math.isfinite(x) else x


def tidy_doc(doc):
    """A JSON document (dicts, lists, scalars) with every float ``tidy``.

    >>> tidy_doc({"a": [0.1 + 0.2, 1, "x"], "b": {"c": 2.675000000000001}})
    {'a': [0.3, 1, 'x'], 'b': {'c': 2.675}}
    """
    if isinstance(doc, float):
        return tidy(doc)
    if isinstance(doc, dict):
        return {k: tidy_doc(v) for k, v in doc.items()}
    if isinstance(doc, list | tuple):
        return [tidy_doc(v) for v in doc]
    return doc


def tidy_frame(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with the values of its float columns ``tidy`` (a copy when there is any).

    >>> tidy_frame(pd.DataFrame({"x": [0.1 + 0.2, None], "n": [1, 2]})).x.tolist()
    [0.3, nan]
    """
    floats = [i for i in range(df.shape[1]) if pd.api.types.is_float_dtype(df.iloc[:, i].dtype)]
    if not floats:
        return df
    out = df.copy()
    for i in floats:
        out.isetitem(i, out.iloc[:, i].map(tidy, na_action="ignore"))
    return out
