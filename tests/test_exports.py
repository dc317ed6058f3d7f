"""Table downloads (communes.exports): CSV with a BOM, XLSX, and no cell that runs as a formula."""
from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from communes import exports

DANGEROUS = ["=1+1", "+41 22", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1", '=HYPERLINK("http://x","bấm")']


def table() -> pd.DataFrame:
    return pd.DataFrame({
        "Đơn vị": ["Phường Phú Xuân", *DANGEROUS],
        "Số hồ sơ": [1234, -5, 0, 7, 8, 9, 10, 11],
        "Tỷ lệ": [0.952, None, 0.5, 0.25, 1.0, 0.0, 0.1, 0.2],
    })


@pytest.mark.parametrize("text", DANGEROUS)
def test_every_dangerous_start_gets_a_single_quote(text):
    assert exports.safe_text(text) == "'" + text


def test_harmless_values_are_untouched():
    assert exports.safe_text("Phường Phú Xuân") == "Phường Phú Xuân"
    assert exports.safe_text("95,2 %") == "95,2 %"
    assert exports.safe_text("−56") == "−56"  # fmt's true minus sign is not a formula start
    assert exports.safe_text(-5) == -5 and exports.safe_text(None) is None


def test_neutralise_touches_text_and_headers_only():
    df = pd.DataFrame({"=bad": ["=x", "ok"], "n": [-1, 2]})
    out = exports.neutralise(df)
    assert list(out.columns) == ["'=bad", "n"]
    assert out.iloc[:, 0].tolist() == ["'=x", "ok"]
    assert out["n"].tolist() == [-1, 2]  # numbers stay numbers (a negative count is not a formula)
    assert df.iloc[0, 0] == "=x"  # the caller's frame is not changed


def test_csv_is_utf8_with_bom_and_neutralised():
    raw = exports.csv_bytes(table())
    assert raw[:3] == b"\xef\xbb\xbf"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["Đơn vị", "Số hồ sơ", "Tỷ lệ"]
    assert rows[1] == ["Phường Phú Xuân", "1234", "0.952"]
    assert [r[0] for r in rows[2:]] == ["'" + x for x in DANGEROUS]
    assert rows[2][2] == ""  # no data stays empty, never 0


def test_csv_and_xlsx_give_sums_of_doubles_without_their_noise():
    df = pd.DataFrame({"Đơn vị": ["A", "B"], "Diện tích (ha)": [0.1 + 0.2, 1110.3000000000002],
                       "Tỷ lệ": [2 / 3, None]})
    rows = list(csv.reader(io.StringIO(exports.csv_bytes(df).decode("utf-8-sig"), newline="")))
    assert rows[1:] == [["A", "0.3", "0.666666666667"], ["B", "1110.3", ""]]
    ws = openpyxl.load_workbook(io.BytesIO(exports.xlsx_bytes(df))).active
    assert [ws["B2"].value, ws["B3"].value, ws["C3"].value] == [0.3, 1110.3, None]
    assert df["Diện tích (ha)"].iloc[1] == 1110.3000000000002  # the caller's frame is left as it was


def test_xlsx_cells_are_text_not_formulas():
    wb = openpyxl.load_workbook(io.BytesIO(exports.xlsx_bytes(table(), "Xếp hạng")))
    ws = wb["Xếp hạng"]
    assert [c.value for c in ws[1]] == ["Đơn vị", "Số hồ sơ", "Tỷ lệ"]
    assert ws["A2"].value == "Phường Phú Xuân" and ws["B2"].value == 1234 and ws["C2"].value == 0.952
    for i, text in enumerate(DANGEROUS, start=3):
        cell = ws.cell(i, 1)
        assert cell.data_type == "s" and cell.value == "'" + text
    assert ws["C3"].value is None


def test_xlsx_handles_lists_time_zones_and_long_sheet_names():
    df = pd.DataFrame({"spark": [[0.9, 0.95]], "at": [pd.Timestamp("2025-07-01 08:00", tz="Asia/Ho_Chi_Minh")]})
    wb = openpyxl.load_workbook(io.BytesIO(exports.xlsx_bytes(df, "a/b:c" * 10)))
    ws = wb.worksheets[0]
    assert ws["A2"].value == "0.9, 0.95"
    assert str(ws["B2"].value) == "2025-07-01 08:00:00"
    assert len(ws.title) <= 31 and "/" not in ws.title


def _buttons_app():
    import pandas as pd

    from communes.exports import download_buttons

    download_buttons(pd.DataFrame({"a": ["=1"]}), "bang", "vi")


def test_download_buttons_offer_csv_and_excel():
    at = AppTest.from_function(_buttons_app).run()
    assert not at.exception
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Tải CSV", "Tải Excel"]
