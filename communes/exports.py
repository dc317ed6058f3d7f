"""Table downloads: CSV (UTF-8 with BOM, so Excel opens Vietnamese text right) and XLSX, for any DataFrame.

Every text cell (and header) that a spreadsheet would read as a formula is neutralised first: a value
starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading single quote
(OWASP "CSV injection"). Numbers stay numbers, so a negative count is still a number; only text is
touched. Unit names and dossier fields come from outside exports, so this matters: a field named
``=HYPERLINK(...)`` would otherwise run in the leader's Excel.

>>> neutralise(pd.DataFrame({"x": ["=1+1", "Phú Xuân", "-5"], "n": [-5, 1, 2]})).to_dict("list")
{'x': ["'=1+1", 'Phú Xuân', "'-5"], 'n': [-5, 1, 2]}
>>> csv_bytes(pd.DataFrame({"Đơn vị": ["Phú Xuân"]}))[:3] == b"\\xef\\xbb\\xbf"
True
"""
from __future__ import annotations

import io
import re

import pandas as pd

from communes.i18n import t
from communes.missing import tidy_frame

_DANGER = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"


def safe_text(value: object) -> object:
    """``value`` with a leading ``'`` when it is text a spreadsheet would run as a formula.

    >>> safe_text("@SUM(A1)"), safe_text("\\t=1"), safe_text(-3), safe_text("An Cựu")
    ("'@SUM(A1)", "'\\t=1", -3, 'An Cựu')
    """
    if isinstance(value, str) and value.startswith(_DANGER):
        return "'" + value
    return value


def _is_text(s: pd.Series) -> bool:
    return (pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s)
            or isinstance(s.dtype, pd.CategoricalDtype))


def _plain(value: object) -> object:
    """Lists and other containers (e.g. sparkline values) as text; scalars unchanged."""
    if isinstance(value, (list, tuple, set, dict)):
        return ", ".join(map(str, value)) if not isinstance(value, dict) else str(value)
    return value


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells and headers cannot run as formulas (see the module)."""
    out = df.copy()
    out.columns = [safe_text(str(c)) for c in out.columns]
    for i, _col in enumerate(out.columns):
        s = out.iloc[:, i]
        if _is_text(s):
            out.isetitem(i, s.astype(object).map(lambda v: safe_text(_plain(v)), na_action="ignore"))
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """``df`` as CSV in UTF-8 with a byte-order mark (Excel then reads the diacritics), no index."""
    # CRLF as Excel writes it; it also makes the writer quote any field holding a bare CR or LF
    return tidy_frame(neutralise(df)).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _excel_ready(df: pd.DataFrame) -> pd.DataFrame:
    out = tidy_frame(neutralise(df))
    for i in range(out.shape[1]):
        s = out.iloc[:, i]
        if isinstance(s.dtype, pd.DatetimeTZDtype):  # Excel has no time zones
            out.isetitem(i, s.dt.tz_localize(None))
    return out


def xlsx_bytes(df: pd.DataFrame, sheet: str = "Dữ liệu") -> bytes:
    """``df`` as an Excel workbook (one sheet, header bold, columns sized to their text), no index.

    Text is written as text: openpyxl would otherwise store a string starting with ``=`` as a formula.
    """
    from openpyxl.utils import get_column_letter

    sheet = re.sub(r"[\[\]:*?/\\]", " ", sheet)[:31] or "Sheet1"
    buf = io.BytesIO()
    data = _excel_ready(df)
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        data.to_excel(xw, index=False, sheet_name=sheet)
        ws = xw.sheets[sheet]
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if cell.data_type == "f":  # never a formula, whatever the text
                    cell.data_type = "s"
        for i, col in enumerate(data.columns, start=1):
            longest = max([len(str(col))] + [len(str(v)) for v in data.iloc[:200, i - 1].tolist()])
            ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, longest + 2))
        ws.freeze_panes = "A2"
    return buf.getvalue()


def download_buttons(df: pd.DataFrame, name: str, lang: str = "vi", container=None) -> None:
    """Two buttons under a table: CSV and Excel. ``name`` is the file name without extension.

    The files are made only when clicked (deferred), and clicking does not rerun the page.
    """
    import streamlit as st

    row = (container or st).container(horizontal=True, gap="small")
    row.download_button(t("export.csv", lang), lambda: csv_bytes(df), file_name=f"{name}.csv", mime=CSV_MIME,
                       key=f"dl_csv_{name}", on_click="ignore", icon=":material/download:",
                       help=t("export.csv_help", lang))
    row.download_button(t("export.xlsx", lang), lambda: xlsx_bytes(df), file_name=f"{name}.xlsx", mime=XLSX_MIME,
                       key=f"dl_xlsx_{name}", on_click="ignore", icon=":material/table_view:",
                       help=t("export.xlsx_help", lang))
