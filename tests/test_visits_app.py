"""Site visits in the app (AppTest): the profile's "Kết luận kiểm tra" section, the overview's overdue
directions, the city table of open items; free text stays text."""
from __future__ import annotations

import pytest
from apptest import open_app
from test_visits import DD, PD, VH, VISITS

# a finding whose text looks like Markdown, HTML and a spreadsheet formula: it must show as written
TRAP = "**đậm** <b>thẻ</b> [liên kết](http://x.invalid) =1+1"
ROWS = VISITS + [["2025-07-20", "Xã Đan Điền", "Phát hiện", TRAP, "", "", "Chưa thực hiện", ""]]


@pytest.fixture
def app_env(make_exports, use_exports):
    return use_exports(make_exports(visits=(VH, ROWS)), built=True)


def htmls(at) -> list[str]:
    return [h.proto.body for h in at.get("html")]


def test_profile_lists_the_last_visit_open_first_overdue_in_red(app_env):
    at = open_app("pages/profile.py", pk="month", p="2025-07", unit=PD)
    assert not at.exception, at.exception
    assert "Kết luận kiểm tra" in [h.value for h in at.header]
    assert any(m.value.startswith("Lần kiểm tra gần nhất: 28/07/2025 · 4 nội dung, 3 chưa hoàn thành, 1 quá hạn")
               for m in at.markdown)
    body = next(b for b in htmls(at) if "visit-item" in b and "Bổ sung" in b)
    # open first, the overdue one first and in red with its days; the done item last
    order = [body.index(x) for x in ("Bổ sung cán bộ", "Hướng dẫn nhiệm vụ", "Máy lấy số", "Niêm yết")]
    assert order == sorted(order)
    assert '<div class="visit-item overdue">' in body and "Quá hạn 4 ngày (hạn 01/08/2025)" in body
    assert body.count("visit-item overdue") == 1 and body.count("visit-item done") == 1
    assert "Còn mở từ các lần kiểm tra trước (1)" in [h.value for h in at.subheader]
    earlier = next(b for b in htmls(at) if "Sửa mái che" in b)
    assert "Quá hạn 16 ngày (hạn 20/07/2025)" in earlier
    assert any("Quá hạn tính đến ngày 05/08/2025" in c.value for c in at.caption)


def test_profile_shows_free_text_as_text(app_env):
    at = open_app("pages/profile.py", pk="month", p="2025-07", unit=DD)
    assert not at.exception, at.exception
    body = next(b for b in htmls(at) if "visit-item" in b and "Tập huấn" in b)
    assert "**đậm** &lt;b&gt;thẻ&lt;/b&gt; [liên kết](http://x.invalid) =1+1" in body
    assert "<b>" not in body
    assert not any("đậm" in m.value for m in at.markdown)  # never handed to Markdown


def test_profile_of_a_unit_without_visits(app_env):
    at = open_app("pages/profile.py", pk="month", p="2025-07", unit="19873")
    assert not at.exception, at.exception
    assert "Chưa có lần kiểm tra nào của đơn vị trong danh sách theo dõi." in [c.value for c in at.caption]


def test_profile_in_english(app_env):
    at = open_app("pages/profile.py", pk="month", p="2025-07", unit=PD, lang="en")
    assert not at.exception, at.exception
    assert "Site visit conclusions" in [h.value for h in at.header]
    assert any("4 days overdue (due 1 Aug 2025)" in b for b in htmls(at))


def test_overview_counts_overdue_directions_and_names_the_units(app_env):
    at = open_app(pk="month", p="2025-07")
    assert not at.exception, at.exception
    assert "Chỉ đạo quá hạn sau kiểm tra" in [s.value for s in at.subheader]
    assert {m.label: m.value for m in at.metric}["Chỉ đạo quá hạn"] == "3"
    most = next(m.value for m in at.markdown if m.value.startswith("**Đơn vị có nhiều chỉ đạo quá hạn nhất**"))
    lines = most.splitlines()[1:]
    assert lines[0].startswith("- **[Phong Dinh](/profile?unit=19831") and lines[0].endswith(
        "2 chỉ đạo quá hạn (lâu nhất 16 ngày)")
    assert lines[1].startswith("- **[Phú Xuân]") and lines[1].endswith("1 chỉ đạo quá hạn (lâu nhất 1 ngày)")
    assert len(lines) == 2
    assert any("4 việc quá hạn, 8 việc chưa hoàn thành (mọi loại), tính đến 05/08/2025" in c.value for c in at.caption)


def test_overview_of_a_scope_without_overdue_directions(app_env):
    at = open_app(pk="month", p="2025-07", scope="xa")
    assert not at.exception, at.exception
    assert {m.label: m.value for m in at.metric}["Chỉ đạo quá hạn"] == "0"
    assert "Không có chỉ đạo nào quá hạn." in [s.value for s in at.success]


def test_city_table_filters_by_owner_and_status(app_env):
    at = open_app("pages/visits.py", pk="month", p="2025-07")
    assert not at.exception, at.exception
    df = at.dataframe[0].value
    assert len(df) == 8 and df["Quá hạn (ngày)"].iloc[:4].tolist() == [16, 5, 4, 1]
    assert df["Nội dung"].tolist()[-1] == TRAP  # open, no deadline: last
    at.multiselect(key="v_owner").select("Sở Nội vụ").run()
    assert at.dataframe[0].value["Nội dung"].tolist() == ["Giao biên chế chính thức", "Bổ sung cán bộ quản lý đô thị"]
    at.multiselect(key="v_status").select("Đang thực hiện").run()
    assert at.dataframe[0].value["Nội dung"].tolist() == ["Bổ sung cán bộ quản lý đô thị"]
    at.multiselect(key="v_owner").unselect("Sở Nội vụ").run()
    at.toggle(key="v_overdue").set_value(True).run()
    assert at.dataframe[0].value["Nội dung"].tolist() == ["Bổ sung cán bộ quản lý đô thị", "Kiện toàn bộ phận chuyên môn"]
    assert len(at.get("download_button")) == 2  # CSV and Excel of the filtered table


def test_the_city_tables_filters_are_kept_in_the_url(app_env):
    """A link to the list opens it filtered as it was: each body in charge and status a repeated parameter
    (a name may hold a comma), overdue only as ``v_overdue=1``; names no longer in the list are dropped."""
    at = open_app("pages/visits.py", pk="month", p="2025-07")
    at.multiselect(key="v_owner").select("Sở Nội vụ").run()
    at.multiselect(key="v_status").select("Đang thực hiện").run()
    at.toggle(key="v_overdue").set_value(True).run()
    url = {k: v if isinstance(v, list) else [v] for k, v in at.query_params.items()}
    assert (url["v_owner"], url["v_status"], url["v_overdue"]) == (["Sở Nội vụ"], ["Đang thực hiện"], ["1"])
    shown = at.dataframe[0].value["Nội dung"].tolist()
    assert shown == ["Bổ sung cán bộ quản lý đô thị"]
    # the link opened in a new session
    link = open_app("pages/visits.py", pk="month", p="2025-07", v_owner=["Sở Nội vụ", "Không còn, có dấu phẩy"],
                    v_status="Đang thực hiện", v_overdue="1")
    assert not link.exception, link.exception
    assert link.multiselect(key="v_owner").value == ["Sở Nội vụ"] and link.toggle(key="v_overdue").value is True
    assert link.dataframe[0].value["Nội dung"].tolist() == shown
    # filters cleared: gone from the URL
    link.multiselect(key="v_owner").unselect("Sở Nội vụ").run()
    link.multiselect(key="v_status").unselect("Đang thực hiện").run()
    link.toggle(key="v_overdue").set_value(False).run()
    assert not {"v_owner", "v_status", "v_overdue"} & set(link.query_params)
    assert len(link.dataframe[0].value) == 8


def test_a_unit_viewer_sees_only_their_units_items(make_exports, use_exports, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from communes import settings, signin
    from communes.web import session

    mine = ["2025-07-20", "Phường Phong Quảng", "Chỉ đạo", "Việc của Phong Quảng", "", "2025-07-25",
            "Chưa thực hiện", ""]
    use_exports(make_exports(visits=(VH, ROWS + [mine])))
    monkeypatch.setattr(signin, "session_cookie", lambda: session.make_cookie("ubnd.phongquang", "k"))
    at = AppTest.from_file(str(settings.ROOT / "app.py"), default_timeout=90)
    at.secrets["communes"] = {"login": "password", "session_secret": "k", "passwords": {}}
    at.query_params["pk"], at.query_params["p"] = "month", "2025-07"
    at.run()
    assert not at.exception, at.exception
    # the overview counts their unit's overdue direction only (due 25/07, 11 days on 05/08)
    assert {m.label: m.value for m in at.metric}["Chỉ đạo quá hạn"] == "1"
    at.switch_page("pages/visits.py").run()
    assert not at.exception, at.exception
    assert at.dataframe[0].value["Nội dung"].tolist() == ["Việc của Phong Quảng"]
    assert at.dataframe[0].value["Quá hạn (ngày)"].tolist() == [11]
