"""AppTest on the Data page: a broken upload is refused with located messages, a good one is
dry-run (its indicators after = communes.kpi.compute on the version it becomes), applied, and
rolled back with one click; uploaded names are never rendered as markup."""
from __future__ import annotations

import re

import pytest
from apptest import open_app
from conftest import DOSSIER_HEADER, DOSSIERS, write_csv
from streamlit.testing.v1 import AppTest

from communes import db, fmt, kpi, periods, queries, settings, steward
from communes.views import data as view

TH = ["unit", "month", "visitors_domestic", "visitors_international", "revenue_vnd"]
TOURISM = [["Phường Phong Quảng", "2025-07", "1234", "56", "1500000"], ["Xã Đan Điền", "2025-07", "300", "2", "200000"]]


@pytest.fixture
def app_env(tmp_path, use_exports):
    data = tmp_path / "data"
    data.mkdir()
    write_csv(data / "dossiers.csv", DOSSIER_HEADER, DOSSIERS)
    write_csv(data / "tourism.csv", TH, TOURISM)
    return use_exports(data), tmp_path / "db"


def open_data(**params) -> AppTest:
    return open_app("pages/data.py", timeout=120, **params)


def csv_bytes(rows, header=TH) -> bytes:
    return ("\n".join(",".join(r) for r in [header, *rows]) + "\n").encode("utf-8")


def frames(at) -> list:
    return [d.value for d in at.dataframe]


def find(at, column: str):
    return next(df for df in frames(at) if column in df.columns)


def test_page_shows_datasets_completeness_and_versions(app_env):
    at = open_data()
    assert not at.exception
    assert at.title[0].value == "Dữ liệu"
    loaded = find(at, "Mã kiểm tra SHA-256")
    row = loaded[loaded["Loại dữ liệu"] == "Du lịch"].iloc[0]
    assert row["Tệp"] == "tourism.csv" and row["Số dòng"] == "2" and row["Nguồn"] == "Chính thức"
    assert row["Mã kiểm tra SHA-256"] == db.sha256(app_env[0] / "tourism.csv")
    assert (row["Từ ngày"], row["Đến ngày"]) == ("01/07/2025", "31/07/2025")
    assert loaded[loaded["Loại dữ liệu"] == "Thủy sản"].iloc[0]["Tệp"] == "(chưa có tệp)"
    # as-of is 05/08/2025 (last dossier): August; Đan Điền received dossiers in July only → not reported
    assert any("Hồ sơ TTHC 1/2 (chưa báo cáo: Đan Điền)" in m.value.replace("\\", "") for m in at.markdown)
    grid = find(at, "T8/2025")
    dd = grid[grid["Đơn vị"] == "Xã Đan Điền"].iloc[0]
    assert (dd["T7/2025"], dd["T8/2025"]) == ("1", "chưa báo cáo")
    assert grid.iloc[-1]["T8/2025"] == "—"  # a unit that never reports dossiers: not "chưa báo cáo"
    assert len(find(at, "Dấu vân tay")) == 1


def test_broken_upload_then_good_upload_apply_and_rollback(app_env):
    data, dbdir = app_env
    at = open_data()
    first = db.current_path(dbdir)
    original = db.sha256(data / "tourism.csv")

    # 1. a broken file: refused, every problem located, nothing changed
    bad = csv_bytes([["Xã Đan Điền", "2025-08", "-3", "1", "10"], ["Phường Atlantis", "2025-08", "1", "1", "1"]])
    at.file_uploader(key="data_upload").set_value(("du-lich-08.csv", bad, "text/csv")).run()
    assert at.selectbox(key=next(k for k in at.session_state if str(k).startswith("data_ds_"))).value == "tourism"
    at.button(key="data_dry_run").click().run()
    assert not at.exception
    assert "Tệp bị từ chối: 2 lỗi" in at.error[0].value
    probs = find(at, "Vấn đề / cần")
    assert probs[["Tệp", "Dòng", "Cột", "Giá trị"]].values.tolist() == [
        ["du-lich-08.csv", "2", "visitors_domestic", "-3"], ["du-lich-08.csv", "3", "unit", "Phường Atlantis"]]
    assert "số không được âm" in probs.iloc[0]["Vấn đề / cần"]
    assert db.current_path(dbdir) == first and db.sha256(data / "tourism.csv") == original
    assert not [b for b in at.button if b.key == "data_apply"]

    # 2. a good file under a name full of markup: dry run, preview, indicators before → after
    name = "<img src=x onerror=alert(1)>**du lịch**.csv"
    good = csv_bytes([["Xã Đan Điền", "2025-08", "40", "2", "5000"], ["Phường Phong Quảng", "2025-07", "1000", "50", "1400000"]])
    at.file_uploader(key="data_upload").set_value((name, good, "text/csv")).run()
    at.button(key="data_dry_run").click().run()
    assert not at.exception and not at.error
    assert "thêm 1 dòng, thay 1 dòng" in at.success[0].value and "Du lịch: 2 → 3 dòng" in at.success[0].value
    changes = find(at, "Số dòng sau khi nạp")
    assert changes.values.tolist() == [["Phường Phong Quảng", "T7/2025", "1", "1", "thay thế"],
                                       ["Xã Đan Điền", "T8/2025", "0", "1", "thêm mới"]]
    kpis = find(at, "Chênh lệch")
    assert db.current_path(dbdir) == first  # still nothing applied

    # 3. apply, after confirming
    assert at.button(key="data_apply").disabled
    at.checkbox(key="data_confirm").check().run()
    at.button(key="data_apply").click().run()
    assert not at.exception
    new = db.current_path(dbdir)
    assert new != first and db.fingerprint(data) == db.read_meta(new)["fingerprint"]
    con = queries.connection(new)
    after = kpi.compute(periods.Period(periods.parse("2025-07").start, periods.parse("2025-08").end, "range"), None,
                        con=con)["tourism"]
    assert kpis.set_index("Chỉ tiêu").loc["Tổng lượt khách", "Sau"] == fmt.number(after["visitors"])  # 1050 + 302 + 42
    assert after["visitors"] == 1050 + 302 + 42
    assert kpis.set_index("Chỉ tiêu").loc["Tổng lượt khách", "Trước"] == fmt.number(1290 + 302)
    assert "Đã áp dụng tệp" in at.success[0].value
    for el in [*at.markdown, *at.success, *at.caption, *at.info]:  # the name only ever shown as text
        assert not re.search(r"(?<!\\)<img", el.value) and not re.search(r"(?<!\\)\*\*du", el.value)
    log = find(at, "Người thực hiện")
    assert log.iloc[0]["Người thực hiện"] == "không rõ" and log.iloc[0]["Tệp"] == name
    assert log.iloc[0]["Thao tác"] == "tải lên" and log.iloc[0]["Dòng tải lên"] == "2"
    # AppTest reruns only the page after switch_page (the browser reruns app.py, which reads the new
    # version): a new session shows what any session opened now sees
    at = open_data()
    loaded = find(at, "Mã kiểm tra SHA-256")
    assert loaded[loaded["Loại dữ liệu"] == "Du lịch"].iloc[0]["Số dòng"] == "3"
    assert find(at, "Dấu vân tay")["Trạng thái"].tolist() == ["đang dùng", ""]

    # 4. one click restores the first version, data folder included
    at.button(key="data_restore_1").click().run()
    assert not at.exception
    assert db.current_path(dbdir) == first and db.sha256(data / "tourism.csv") == original
    assert "Đã khôi phục phiên bản" in at.success[0].value
    assert find(at, "Người thực hiện")["Thao tác"].tolist() == ["khôi phục", "tải lên"]
    at = open_data()
    loaded = find(at, "Mã kiểm tra SHA-256")
    assert loaded[loaded["Loại dữ liệu"] == "Du lịch"].iloc[0]["Số dòng"] == "2"


def test_too_large_upload_gets_a_clear_message(app_env, monkeypatch):
    monkeypatch.setenv("COMMUNES_UPLOAD_MAX_MB", "0.0001")
    at = open_data()
    at.file_uploader(key="data_upload").set_value(("du-lich.csv", csv_bytes(TOURISM * 20), "text/csv")).run()
    at.button(key="data_dry_run").click().run()
    assert not at.exception
    probs = find(at, "Vấn đề / cần")
    assert "tệp quá lớn" in probs.iloc[0]["Vấn đề / cần"] and "COMMUNES_UPLOAD_MAX_MB" in probs.iloc[0]["Vấn đề / cần"]


def test_completeness_summary_is_one_line(app_env):
    from communes import refdata
    from communes.frame import Frame

    res = db.build(app_env[0], app_env[1])
    con = queries.connection(res.path)
    p = periods.parse("2025-08")
    f = Frame(refdata.load(settings.get("province")), p, p.previous(), "prev", "all", None, None, p.end)
    line = view.completeness_summary(lambda name, **p: queries.run(name, con=con, **p), f)
    assert line == "Đơn vị đã báo cáo tháng 8/2025: Hồ sơ TTHC 1/2 (chưa báo cáo: Đan Điền) · Du lịch 0/2 " \
                   "(chưa báo cáo: Đan Điền, Phong Quảng)"
    assert "\n" not in line
    assert steward.audit(app_env[1]) == []  # nothing uploaded yet


def test_upload_preview_prints_each_indicator_and_its_change_in_its_own_unit():
    from types import SimpleNamespace

    from communes.i18n import t as tr

    plan = SimpleNamespace(kpis=[
        {"key": "on_time_rate", "before": 0.961, "after": 0.965},
        {"key": "rice_yield_quintal_per_ha", "before": 61.0, "after": 62.0},
        {"key": "visitors", "before": 1000, "after": 1234},
        {"key": "received", "before": 100, "after": None},
    ])
    table = view.kpi_table(plan, lambda key, **kw: tr(key, "vi", **kw), "vi")
    assert table.iloc[:, 1:].values.tolist() == [
        ["96,1 %", "96,5 %", "+0,4 điểm %"],  # a change of rates in points, not ×100
        ["61,0 tạ/ha", "62,0 tạ/ha", "+1,0 tạ/ha"],  # a yield, not an area
        ["1.000", "1.234", "+234"],
        ["100", "không có dữ liệu", "—"],
    ]
