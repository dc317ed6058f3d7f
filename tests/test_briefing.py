"""The briefing deck (communes.briefing.deck) opened with python-pptx: the slide list, native charts whose
data equal ``communes.kpi.compute`` for the same period and scope, the messages, the notes, the CLI, the
page (AppTest), and the conversion by Debian's LibreOffice."""
from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date

import pytest
from apptest import open_app
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from streamlit.testing.v1 import AppTest

from communes import cli, db, fmt, kpi, periods, queries, refdata
from communes.briefing import data as view
from communes.briefing import deck, frame, messages
from communes.briefing import slides as sl
from communes.i18n import t

REF = refdata.load("Thành phố Huế")
PQ, DD = "19873", "19885"  # Phường Phong Quảng, Xã Đan Điền
CITY_SLIDES = ["title", "messages", "kpi", "attention", "ranking", "map", "dossiers", "tourism", "farm"]
CODE = dict(zip(REF.units.short_name, REF.units.unit_code))


def runner(con):
    def run(name, **p):
        return queries.run(name, con=con, **p)
    return run


def make_deck(con, period="2025-07", scope="all", unit=None, as_of=date(2025, 8, 5), kind="prev"):
    d = view.load(runner(con), frame(REF, periods.parse(period), kind, scope, as_of), unit=unit)
    return d, Presentation(io.BytesIO(deck.build(d)))


def charts(prs, key):
    """(title, categories, [(series name, values)]) of every chart on the slides named ``key``."""
    out = []
    for s in prs.slides:
        if s.name == key:
            for sh in s.shapes:
                if sh.has_chart:
                    c = sh.chart
                    out.append((c.chart_title.text_frame.text, list(c.plots[0].categories),
                                [(x.name, x.values) for x in c.plots[0].series]))
    return out


def texts(slide) -> str:
    return "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame).replace("\u00a0", " ")


@pytest.fixture
def con(make_exports, build_db):
    return build_db(make_exports())


def test_city_deck_slide_list_and_native_charts(con):
    d, prs = make_deck(con)
    assert [s.name for s in prs.slides] == CITY_SLIDES
    assert prs.slides[0].shapes[1].text_frame.text == "Giao ban: Thành phố Huế"
    n_charts = 0
    for s in prs.slides:
        for sh in s.shapes:
            assert sh.shape_type != MSO_SHAPE_TYPE.PICTURE  # charts and the map are never pictures
            n_charts += sh.has_chart
    assert n_charts == 4  # kpi, ranking, resolution, channels (the fixture has no tourism or fishery export)
    # the map draws every unit as a freeform shape named after it
    names = [sh.name for s in prs.slides if s.name == "map" for sh in s.shapes]
    assert sum(n.split(" ")[0] in set(REF.units.unit_code) for n in names) == 40


def test_chart_data_equal_kpi_compute(con):
    p = periods.parse("2025-07")
    now, before = kpi.compute(p, None, con=con), kpi.compute(p.previous(), None, con=con)
    _, prs = make_deck(con)
    [(title, cats, series)] = charts(prs, "kpi")
    keys = ["on_time_rate", "online_rate", "digitized_rate", "satisfaction_rate", "overdue_rate"]
    assert cats == [t(f"ind.{k}") for k in keys]
    assert series[0] == ("Tháng 7/2025", tuple(now["dossiers"][k] for k in keys))
    assert series[1][0] == "Tháng 6/2025"
    assert series[1][1] == tuple(before["dossiers"][k] for k in keys)
    assert series[0][1][0] == 4 / 5  # by hand: 2 early + 2 on time of 5 resolved (test_indicators)
    resolution = next(c for c in charts(prs, "dossiers") if c[0] == t("brief.c_resolution"))
    counts = ["resolved_early", "resolved_on_time", "resolved_late", "pending_in_time", "pending_overdue"]
    assert resolution[2][0][1] == tuple(float(now["dossiers"][k]) for k in counts)
    # the ranking: each unit's bar is that unit's kpi; units without dossiers are not ranked
    [(_, cats, [(_, values)])] = charts(prs, "ranking")
    assert cats == ["1. Đan Điền", "2. Phong Quảng"]
    for cat, v in zip(cats, values):
        code = CODE[cat.split(". ", 1)[1]]
        assert v == kpi.compute(p, [code], con=con)["dossiers"]["on_time_rate"]


def test_group_deck_sums_the_group(con):
    p = periods.parse("2025-07")
    d, prs = make_deck(con, scope="coastal")
    assert [s.name for s in prs.slides] == CITY_SLIDES
    assert d.scope.units == d.scope.peers and PQ in d.scope.units
    [(_, _, series)] = charts(prs, "kpi")
    group = kpi.compute(p, d.scope.units, con=con)["dossiers"]
    assert series[0][1][0] == group["on_time_rate"]
    assert "nhóm Ven biển" in texts(prs.slides[1])


def test_unit_deck_adds_before_and_after_the_merger(con):
    d, prs = make_deck(con, unit="P. Phong Quảng")
    assert [s.name for s in prs.slides] == [*CITY_SLIDES, "merger"]
    [(_, cats, series)] = charts(prs, "merger")
    keys = sl.MERGER_RATES
    assert cats == [t(f"ind.{k}") for k in keys]
    before = kpi.compute(periods.Period(date(2024, 7, 1), date(2025, 6, 30), "range"), [PQ], con=con)["dossiers"]
    after = kpi.compute(periods.Period(date(2025, 7, 1), date(2025, 8, 5), "range"), [PQ], con=con)["dossiers"]
    assert series[0][1] == tuple(before[k] for k in keys)
    assert series[1][1] == tuple(after[k] for k in keys)
    # by hand: before 1 July 2025 the former communes filed D1, D2, D3; only D3 (online, early) was resolved
    assert before["on_time_rate"] == 1.0 and before["online_rate"] == 1 / 3
    assert "Phường Phong Hải, Xã Quảng Ngạn, Xã Quảng Công" in prs.slides[-1].notes_slide.notes_text_frame.text


def test_messages_slide_carries_the_key_messages_in_vietnamese_format(con):
    d, prs = make_deck(con)
    text = texts(prs.slides[1])
    for m in messages.key_messages(d, "vi"):
        assert "• " + m in text
    city = kpi.compute(periods.parse("2025-07"), None, con=con)["dossiers"]
    assert f"đạt {fmt.percent(city['on_time_rate'])}, giảm 20,0 điểm % so với tháng 6" in text  # 80,0 % vs 100 %


def test_notes_give_source_period_and_no_sample_mark_for_real_data(con):
    _, prs = make_deck(con)
    for s in prs.slides:
        notes = s.notes_slide.notes_text_frame.text
        assert notes.startswith("Nguồn dữ liệu:")
        assert ("du lịch (chưa có tệp)" if s.name == "tourism" else "(dossiers.csv;" if s.name != "farm"
                else "nông nghiệp (chưa có tệp); thủy sản (chưa có tệp)") in notes
        assert "Kỳ báo cáo: Tháng 7/2025 (01/07/2025 – 31/07/2025)." in notes
        assert "dữ liệu mẫu" not in notes


def test_english_deck(con):
    d, _ = make_deck(con)
    prs = Presentation(io.BytesIO(deck.build(d, "en")))
    assert "\nKey messages\n" in texts(prs.slides[1])
    assert "Jul 2025: the on-time rate of dossiers city-wide was 80.0%" in texts(prs.slides[1])


def test_a_period_without_data_says_so_and_draws_no_empty_chart(con):
    _, prs = make_deck(con, period="2023-Q1", scope="xa")
    assert "Quý I/2023, chưa có dữ liệu hồ sơ thủ tục hành chính khối xã." in texts(prs.slides[1])
    assert not any(sh.has_chart for s in prs.slides for sh in s.shapes)


def test_unit_viewer_gets_only_their_unit(con):
    from communes.auth import User

    f = frame(REF, periods.parse("2025-07"), as_of=date(2025, 8, 5))
    f = type(f)(**{**f.__dict__, "user": User("ubnd.phongquang", "unit_viewer", (PQ,))})
    d = view.load(runner(con), f)
    assert d.scope.unit == PQ and d.table["unit_code"].tolist() == [PQ]


# --- the command line writes the same deck --------------------------------------------------------------

def test_cli_writes_the_same_deck(make_exports, tmp_path, monkeypatch, con):
    data = make_exports()
    monkeypatch.setenv("COMMUNES_DB_DIR", str(tmp_path / "cli-db"))
    out = tmp_path / "giao-ban.pptx"
    assert cli.main(["briefing", "--period", "2025-07", "--unit", "Phong Quang", "--data", str(data),
                     "--out", str(out)]) == 0
    written = Presentation(str(out))
    _, expected = make_deck(con, unit=PQ)
    assert [s.name for s in written.slides] == [s.name for s in expected.slides]
    for key in ("kpi", "ranking", "dossiers", "merger"):
        assert charts(written, key) == charts(expected, key)
    assert [texts(s) for s in written.slides] == [texts(s) for s in expected.slides]


def test_cli_refuses_an_unknown_unit_or_group(capsys):
    assert cli.main(["briefing", "--period", "2025-07", "--unit", "Không Có", "--out", "x.pptx"]) == 2
    assert "LỖI: đơn vị «Không Có»" in capsys.readouterr().err
    assert cli.main(["briefing", "--period", "2025-07", "--group", "nowhere", "--out", "x.pptx"]) == 2
    assert cli.main(["briefing", "--period", "2025-13", "--out", "x.pptx"]) == 2


# --- the bundled sample: the figure, the sample mark, LibreOffice ---------------------------------

@pytest.fixture(scope="module")
def sample(sample_con):
    con = sample_con
    p = periods.parse("2025-Q3")
    d = view.load(runner(con), frame(REF, p, as_of=date(2026, 10, 30)))
    return con, d, deck.build(d)


def test_sample_city_q3_2025_messages_and_charts(sample):
    con, d, data = sample
    prs = Presentation(io.BytesIO(data))
    p = periods.parse("2025-Q3")
    city, q2 = kpi.compute(p, None, con=con), kpi.compute(p.previous(), None, con=con)
    change = messages.change_points(city["dossiers"]["on_time_rate"], q2["dossiers"]["on_time_rate"], "vi")
    first = messages.key_messages(d, "vi")[0]
    assert first.startswith("Quý III/2025, tỷ lệ hồ sơ giải quyết đúng hạn toàn thành phố đạt 96,1 %, "
                            f"{change} so với quý II; ")
    assert fmt.percent(city["dossiers"]["on_time_rate"]) == "96,1 %"  # the example figure
    [(_, _, series)] = charts(prs, "kpi")
    assert series[0][1][0] == city["dossiers"]["on_time_rate"]
    [(_, _, tourism)] = charts(prs, "tourism")
    keys = ["visitors_domestic", "visitors_international", "overnight_guests"]
    assert tourism[0][1] == tuple(float(city["tourism"][k]) for k in keys)
    assert tourism[1][1] == tuple(float(q2["tourism"][k]) for k in keys)
    [(_, _, fish)] = charts(prs, "farm")
    assert fish[0][1] == (city["fishery"]["aquaculture_tonnes"], city["fishery"]["capture_tonnes"])
    ranked = [v for c in charts(prs, "ranking") for v in c[2][0][1]]
    assert len(ranked) == 40 and ranked == sorted(ranked, reverse=True)
    farm = texts(next(s for s in prs.slides if s.name == "farm"))
    rice = city["agriculture"]
    assert f"Năng suất lúa năm 2025: {fmt.yield_(rice['rice_yield_quintal_per_ha'])}" in farm  # tạ/ha, not ha
    assert f"Sản lượng lúa năm 2025: {fmt.tonnes(rice['rice_production_tonnes'])}" in farm


def test_sample_notes_say_sample_data(sample):
    prs = Presentation(io.BytesIO(sample[2]))
    assert all("dữ liệu mẫu" in s.notes_slide.notes_text_frame.text for s in prs.slides)


@pytest.mark.slow
def test_libreoffice_converts_the_deck_to_pdf(sample, tmp_path):
    """Debian's LibreOffice (package libreoffice-impress, installed by scripts/install.sh) opens the deck."""
    exe = shutil.which("libreoffice") or shutil.which("soffice")
    assert exe, "install libreoffice-impress (scripts/install.sh)"
    src = tmp_path / "giao-ban.pptx"
    src.write_bytes(sample[2])
    profile = (tmp_path / "lo-profile").as_uri()  # a private profile: parallel runs do not collide
    proc = subprocess.run([exe, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                           "--outdir", str(tmp_path), str(src)], capture_output=True, text=True, timeout=240)
    pdf = tmp_path / "giao-ban.pdf"
    assert proc.returncode == 0, proc.stderr
    assert pdf.exists() and pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 50_000


# --- the page -------------------------------------------------------------------------------------------

@pytest.fixture
def app_env(make_exports, use_exports):
    return use_exports(make_exports(), built=True)


def open_briefing(**params) -> AppTest:
    return open_app("pages/briefing.py", timeout=90, **params)


def test_page_shows_the_messages_with_kpi_numbers(app_env):
    at = open_briefing(pk="month", p="2025-07", slide="2")
    assert not at.exception
    assert at.header[0].value == "Thông điệp chính"
    con = queries.connection(db.current_path())
    city = kpi.compute(periods.parse("2025-07"), None, con=con)["dossiers"]
    shown = " ".join(m.value for m in at.markdown).replace("\u00a0", " ")
    assert f"toàn thành phố đạt {fmt.percent(city['on_time_rate'])}" in shown
    assert f"tỷ lệ quá hạn {fmt.percent(city['overdue_rate'])}" in shown
    assert [b.label for b in at.get("download_button")][-1] == "Tải bản trình chiếu (.pptx)"


def test_page_previous_and_next_move_one_slide_and_keep_it_in_the_url(app_env):
    at = open_briefing(pk="month", p="2025-07")
    assert at.title[0].value == "Giao ban: Thành phố Huế"
    at.button(key="brief_next").click().run()
    assert at.header[0].value == "Thông điệp chính" and at.query_params["slide"] == "2"
    at.button(key="brief_next").click().run()
    assert at.header[0].value == t("brief.s_kpi")
    html = " ".join(h.proto.body for h in at.get("html"))
    con = queries.connection(db.current_path())
    city = kpi.compute(periods.parse("2025-07"), None, con=con)["dossiers"]
    assert f">{fmt.percent(city['online_rate'])}<" in html  # the card shows the kpi value
    at.button(key="brief_prev").click().run()
    assert at.header[0].value == "Thông điệp chính"


def test_page_one_unit_by_any_spelling(app_env):
    at = open_briefing(pk="month", p="2025-07", unit="phong quang", slide="10")
    assert not at.exception
    assert at.header[0].value == "Phường Phong Quảng: trước và sau sáp nhập"


def test_page_attention_table_can_be_downloaded(app_env):
    at = open_briefing(pk="month", p="2025-07", slide="4")
    assert not at.exception
    assert at.header[0].value == "Cần chú ý"
    assert [b.label for b in at.get("download_button")][-2:] == ["Tải CSV", "Tải Excel"]
