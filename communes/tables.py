"""Result tables as the pages use them: the scope-total row apart, a one-row result as a dict, units
ranked with those without data last, and a table in two forms (to show, to download).

>>> df = pd.DataFrame({"unit_code": ["a", "b", None], "unit_name": ["A", "B", None], "m": [1, None, 1]})
>>> units, total = split_total(df)
>>> len(units), first_row(total, ["m"]), ranked(units, "m")["rank"].tolist()
(2, {'m': 1.0}, [1, <NA>])
"""
from __future__ import annotations

import pandas as pd

from communes.missing import value


def split_total(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A unit table's unit rows and its scope-total row (unit_code null) apart."""
    total = df["unit_code"].isna()
    return df[~total].reset_index(drop=True), df[total].reset_index(drop=True)


def first_row(df: pd.DataFrame, keys) -> dict:
    """The first row of a one-row indicator result as {key: value or None}; all None when empty."""
    row = df.iloc[0] if len(df) else None
    return {k: (value(row[k]) if row is not None else None) for k in keys}


def ranked(units: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Units with data ranked by ``metric`` (1 = highest, ties share a rank); units without data
    last with no rank (None), never ranked as zeros."""
    out = units.copy()
    has = out[metric].notna()
    out["rank"] = pd.Series(pd.NA, index=out.index, dtype="Int64")
    out.loc[has, "rank"] = out.loc[has, metric].rank(ascending=False, method="min").astype("Int64")
    return out.sort_values(["rank", "unit_name"], na_position="last", ignore_index=True)


RAW_ONLY = object()  # a two_tables formatter: the column goes to the download only


def two_tables(columns: list[tuple[str, pd.Series, object]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """From ``(header, values, formatter)`` triples: the table to show (each value through its
    formatter, so no data reads "không có dữ liệu") and the table to download (raw values, empty
    cells for no data), with the same headers and rows. A formatter None keeps the values as they
    are; a list gives the shown texts directly; ``RAW_ONLY`` leaves the column out of the table shown.

    >>> from communes import fmt
    >>> show, raw = two_tables([("n", pd.Series([1, None]), lambda x: fmt.number(x))])
    >>> list(show["n"]), raw["n"].tolist()
    (['1', 'không có dữ liệu'], [1, <NA>])
    """
    show, raw = {}, {}
    for header, values, formatter in columns:
        vals = [value(x) for x in values]
        raw[header] = pd.Series(vals, dtype=object).convert_dtypes()  # whole numbers stay whole in the CSV
        if isinstance(formatter, list):
            show[header] = formatter
        elif formatter is not RAW_ONLY:
            show[header] = vals if formatter is None else [formatter(x) for x in vals]
    return pd.DataFrame(show), pd.DataFrame(raw)
