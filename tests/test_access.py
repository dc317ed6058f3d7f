"""Who is who, and what a unit viewer can reach.

The local user (login off) is told apart from a signed-in user by a flag only ``auth.LOCAL`` has, never
by its name; the audit log names every signed-in user. A unit viewer signed in for Phong Quảng opens every
page, with URLs that ask for Đan Điền, and never gets a row of Đan Điền: not on the page, not in a
download (tables, the deck), not in the upload's preview. Đan Điền's rows carry marker values found
nowhere else (e.g. 777.777 visitors), so a leak shows even where no name is printed."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
import streamlit as st
from conftest import DOSSIERS
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

from communes import auth, refdata, settings, signin, steward
from communes.web import session

REF = refdata.load("Thành phố Huế")
PQ, DD = "19873", "19885"
TH = ["unit", "month", "visitors_domestic", "visitors_international", "revenue_vnd"]
AH = ["unit", "year", "season", "area_ha", "yield_quintal_per_ha", "production_tonnes"]
# Đan Điền's markers: numbers no figure of Phong Quảng can be
MARKERS = ["777777", "777.777", "777,777", "4321", "4.321", "4,321", "9876", "9.876"]
OTHER = ["Đan Điền", "Dan Dien", DD]


ROLES = """
[users."local"]
role = "leader"

[users."dulieu"]
role = "steward"

[users."ubnd.phongquang"]
role = "unit_viewer"
units = ["Phong Quảng"]
"""


@pytest.fixture
def app_env(tmp_path, make_exports, use_exports, monkeypatch):
    dossiers = [r for r in DOSSIERS if r[1] != "Xã Đan Điền"] + [
        ["M1", "Xã Đan Điền", "Đất đai", "2", "2025-07-06", "2025-07-09", "", "1", ""],
        ["M2", "Xã Đan Điền", "Hộ tịch", "1", "2025-07-07", "2025-07-08", "2025-07-08", "0", "Hài lòng"]]
    data = make_exports(dossiers=dossiers,
                        tourism=(TH, [["Phường Phong Quảng", "2025-07", "1234", "56", "1500000"],
                                      ["Xã Đan Điền", "2025-07", "777777", "4321", "9876000000"]]),
                        agriculture=(AH, [["Phường Phong Quảng", "2025", "Hè Thu", "100", "60", "600"],
                                          ["Xã Đan Điền", "2025", "Hè Thu", "4321", "55", "9876"]]))  # a load warning
    roles = tmp_path / "roles.toml"
    roles.write_text(ROLES, encoding="utf-8")
    monkeypatch.setenv("COMMUNES_ROLES_FILE", str(roles))
    return use_exports(data), tmp_path / "db"


def signed_in(monkeypatch, user: str, **params) -> AppTest:
    """The app as a browser holding ``user``'s session cookie (see tests/test_auth.py)."""
    monkeypatch.setattr(signin, "session_cookie", lambda: session.make_cookie(user, "k"))
    at = AppTest.from_file(str(settings.ROOT / "app.py"), default_timeout=120)
    at.secrets["communes"] = {"login": "password", "session_secret": "k", "passwords": {}}
    for k, v in {"pk": "month", "p": "2025-07", **params}.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    return at


# --- the local user ----------------------------------------------------------------------------------

def test_a_signed_in_user_named_local_is_not_the_local_user(tmp_path):
    roles = tmp_path / "roles.toml"
    roles.write_text(ROLES, encoding="utf-8")
    user = auth.user_for("local", REF, roles)
    assert user.name == "local" and user.role == "leader"
    assert user != auth.LOCAL and not user.local and auth.LOCAL.local
    assert auth.User("local", "leader") != auth.LOCAL  # the name and role alone never make the local user


def test_a_leader_named_local_may_not_upload(monkeypatch, app_env):
    at = signed_in(monkeypatch, "local")
    at.switch_page("pages/data.py").run()
    assert not at.exception
    assert not at.get("file_uploader")
    assert any("Chỉ cán bộ quản lý dữ liệu" in i.value for i in at.info)
    assert not [b for b in at.button if str(b.key).startswith("data_restore")]


def test_the_audit_log_names_the_signed_in_steward(monkeypatch, app_env):
    data, dbdir = app_env
    at = signed_in(monkeypatch, "dulieu")
    at.switch_page("pages/data.py").run()
    upload = "unit,month,visitors_domestic,visitors_international,revenue_vnd\nPhường Phong Quảng,2025-08,10,1,100\n"
    at.file_uploader(key="data_upload").set_value(("du-lich-08.csv", upload.encode(), "text/csv")).run()
    assert "dulieu" in " ".join(c.value for c in at.caption)
    at.button(key="data_dry_run").click().run()
    at.checkbox(key="data_confirm").check().run()
    at.button(key="data_apply").click().run()
    assert not at.exception
    entries = steward.audit(dbdir)
    assert [(e["who"], e["action"], e["file"]) for e in entries] == [("dulieu", "upload", "du-lich-08.csv")]


def test_the_audit_log_says_unknown_only_without_login(tmp_path):
    steward.log(tmp_path, who=None, action="rollback")
    steward.log(tmp_path, who="dulieu", action="rollback")
    assert [e["who"] for e in steward.audit(tmp_path)] == ["dulieu", steward.NOBODY]


# --- a unit viewer reaches only their unit -----------------------------------------------------------

@pytest.fixture
def downloads(monkeypatch):
    """Every download the pages offer: its file name and its bytes (lazy data is produced here)."""
    got = []
    original = DeltaGenerator.download_button

    def record(self, label, data, *args, **kw):
        content = data() if callable(data) else data
        got.append((kw.get("file_name") or label, content.encode() if isinstance(content, str) else bytes(content)))
        return original(self, label, data, *args, **kw)

    monkeypatch.setattr(DeltaGenerator, "download_button", record)
    monkeypatch.setattr(st, "download_button", lambda *a, **kw: record(st._main, *a, **kw))
    return got


def file_text(name: str, content: bytes) -> str:
    """A download as text: CSV decoded, XLSX and PPTX unzipped to their XML."""
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            return " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    return content.decode("utf-8-sig", "replace")


def page_text(at: AppTest) -> str:
    parts = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "error", "warning", "info", "success",
                 "text", "code", "metric", "json", "table", "dataframe", "selectbox", "multiselect", "radio"):
        for el in at.get(kind):
            for attr in ("value", "label", "options", "help"):
                v = getattr(el, attr, None)
                if v is not None:
                    parts.append(v.to_csv() if hasattr(v, "to_csv") else str(v))
    return "\n".join(parts)


def chart_text(at: AppTest) -> str:
    """The charts' JSON. The unit map draws every unit's shape (grey and "no data" for the others), so
    only the marker values, not the names, tell a leak here."""
    return "\n".join([el.proto.spec for el in at.get("plotly_chart")] +
                     [str(el.proto) for el in at.get("vega_lite_chart") + at.get("arrow_vega_lite_chart")])


def _marker(m: str) -> re.Pattern:
    return re.compile(r"(?<![\d.,])" + re.escape(m) + r"(?![\d])")


def leaks(text: str, charts: str = "", asked: tuple = ()) -> list[str]:
    """Names of the other unit in ``text`` (what the URL itself asked for, quoted back, aside) and its
    marker values anywhere."""
    for a in (x for value in asked for x in value.split(",")):
        text = text.replace(f"liên kết: {a}", "")
    return [m for m in OTHER if m in text] + [m for m in MARKERS if _marker(m).search(text + charts)]


PAGES = [
    ("pages/overview.py", {}),
    ("pages/overview.py", {"scope": "xa", "rank": "visitors"}),
    ("pages/dossiers.py", {"view": "drill", "unit": DD}),
    ("pages/dossiers.py", {"view": "backlog"}),
    ("pages/tourism.py", {"tm": "visitors"}),
    ("pages/agriculture.py", {}),
    ("pages/data.py", {}),
    ("pages/profile.py", {"unit": PQ}),
    ("pages/compare.py", {"units": f"{PQ},{DD}"}),
    ("pages/briefing.py", {}),
]


@pytest.mark.parametrize("page, params", PAGES, ids=[f"{p.split('/')[1][:-3]}-{'&'.join(q)}" for p, q in PAGES])
def test_a_unit_viewer_gets_no_row_of_another_unit(monkeypatch, app_env, downloads, page, params):
    at = signed_in(monkeypatch, "ubnd.phongquang", **params)
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert "Phong Quảng" in page_text(at)  # the page did render the viewer's own unit
    text, charts = page_text(at), chart_text(at)
    assert leaks(text, charts, tuple(params.values())) == [], [t[max(0, t.find(m) - 300):t.find(m) + 100] for t in (text, charts)
                                       for m in leaks(t) if m in t][:3]
    for name, content in downloads:  # the deck's map slide draws every unit's shape: there, values only
        assert leaks(*(("", file_text(name, content)) if name.endswith(".pptx") else (file_text(name, content),))) == [], name
    if page == "pages/briefing.py":
        assert any(name.endswith(".pptx") for name, _ in downloads)
    if page == "pages/data.py":  # no upload, hence no preview, for a viewer
        assert not at.get("file_uploader")


@pytest.mark.parametrize("page, params", [("pages/profile.py", {"unit": DD}), ("pages/profile.py", {"unit": "Đan Điền"}),
                                          ("pages/briefing.py", {"unit": DD}), ("pages/briefing.py", {"unit": "dan dien"})],
                         ids=["profile-code", "profile-name", "briefing-code", "briefing-name"])
def test_a_unit_viewer_asking_for_another_unit_by_url_gets_none_of_it(monkeypatch, app_env, downloads, page, params):
    at = signed_in(monkeypatch, "ubnd.phongquang", **params)
    at.switch_page(page).run()
    assert not at.exception
    text = page_text(at)
    # refused outright, or the viewer's own unit shown instead
    assert any("quyền" in e.value for e in at.error) or "Phong Quảng" in text
    assert leaks(text, chart_text(at), tuple(params.values())) == []
    for name, content in downloads:
        assert leaks("", file_text(name, content)) == [], name


def test_the_markers_are_visible_to_a_leader(monkeypatch, app_env, downloads):
    """Guard for the tests above: the markers and the name do show where the data is not restricted."""
    at = signed_in(monkeypatch, "dulieu", tm="visitors")
    at.switch_page("pages/tourism.py").run()
    assert not at.exception
    text = page_text(at) + chart_text(at)
    assert "Đan Điền" in text and "777.777" in text
    assert any("777777" in file_text(n, c) or "777.777" in file_text(n, c) for n, c in downloads)


def test_upload_preview_of_a_steward_lists_the_uploaded_units_only(monkeypatch, app_env):
    """The preview shows the units of the upload, not the rest of the stored data."""
    at = signed_in(monkeypatch, "dulieu")
    at.switch_page("pages/data.py").run()
    upload = "unit,month,visitors_domestic,visitors_international,revenue_vnd\nPhường Phong Quảng,2025-08,10,1,100\n"
    at.file_uploader(key="data_upload").set_value(("du-lich-08.csv", upload.encode(), "text/csv")).run()
    at.button(key="data_dry_run").click().run()
    assert not at.exception
    changes = next(d.value for d in at.dataframe if "Kỳ" in d.value.columns)
    assert changes.to_csv().count("Phong Quảng") == 1 and "Đan Điền" not in changes.to_csv()
