"""What a leader notices: chart ticks and hover labels in the cards' number format, icons that need no
emoji font and no CDN, the same empty rank cell in every table, and a sample that exercises lateness
within the due day."""
from __future__ import annotations

import re

import duckdb
import pandas as pd
import pytest
from apptest import open_app

from communes import fmt, settings
from communes.figures import compare as cfigs
from communes.figures import dossiers as dfigs
from communes.figures import profile as pfigs

ROOT = settings.ROOT
SOURCES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "communes").rglob("*.py"))]


# --- Plotly: ticks and hover labels as the cards print them ------------------------------------------

@pytest.mark.parametrize("lang, ticks, hover", [
    ("vi", ["80 %", "85 %", "90 %", "95 %", "100 %"], ["96,1 %", "91,5 %", "không có dữ liệu"]),
    ("en", ["80%", "85%", "90%", "95%", "100%"], ["96.1%", "91.5%", "no data"]),
])
def test_dossier_trend_rate_axis_and_hover(lang, ticks, hover):
    df = pd.DataFrame({"month": ["2025-07-01", "2025-08-01", "2025-09-01"], "new_online": [1234, 10, 0],
                       "new_direct": [5, 6, 0], "new_postal": [0, 0, 0], "on_time_rate": [0.9612, 0.915, None]})
    fig = dfigs.trend(df, pd.DataFrame(columns=["date", "label", "unit_code"]), lang)
    assert fig.layout.separators == (",." if lang == "vi" else ".,")  # counts: "1.234" / "1,234"
    assert list(fig.layout.yaxis2.ticktext) == ticks  # the axis starts at 80 % (dossiers._floor)
    assert list(fig.data[3].customdata) == hover and "%{customdata}" in fig.data[3].hovertemplate


def test_heat_map_colour_bar_and_hover():
    df = pd.DataFrame({"unit_code": ["a", "a"], "field": ["Hộ tịch", "Đất đai"], "on_time_rate": [0.9549, None],
                       "resolved": [1234, 0], "received": [1300, 2]})
    fig = dfigs.field_heatmap(df, {"a": "Phong Quảng"}, "vi")
    cells = dict(zip(fig.data[0].x, fig.data[0].customdata[0]))
    assert cells["Hộ tịch"] == ["1.234", "1.300", "95,5 %"] and cells["Đất đai"][2] == "không có dữ liệu"
    assert "%{customdata[2]}" in fig.data[0].hovertemplate
    # colours from 87 % (the 95 % target less four amber bands of 2 points) to 100 %
    assert list(fig.data[0].colorbar.ticktext) == ["88 %", "90 %", "92 %", "94 %", "96 %", "98 %", "100 %"]


def test_profile_and_compare_rates():
    tf = pd.DataFrame({"month": ["2025-07-01", "2025-08-01"], "new_online": [1, 2], "new_direct": [1, 1],
                       "new_postal": [0, 0], "value": [0.931, 0.9876], "peer_median": [0.95, 0.96],
                       "city_median": [0.96, 0.97]})
    fig = pfigs.trend(tf, None, "on_time_rate", "vi")
    assert [tr.customdata for tr in fig.data[1:4]] == [("96,0 %", "97,0 %"), ("95,0 %", "96,0 %"), ("93,1 %", "98,8 %")]
    assert fig.layout.yaxis2.ticktext[-1] == "100 %" and fig.layout.yaxis2.tickformat is None
    changes = pd.DataFrame({"unit_code": ["a"], "on_time_rate_before": [0.951], "on_time_rate_after": [0.9612]})
    ba = cfigs.before_after(changes, {"a": "A"}, "on_time_rate", "en")
    assert [tr.customdata for tr in ba.data[-2:]] == [("95.1%",), ("96.1%",)]


def test_no_figure_uses_d3_percent_formats():
    # d3's "%" writes "96.1%" whatever the locale: rates go through fmt.plotly_percent_axis / fmt.percents
    d3_percent = re.compile(r"""(:|["'])\.?\d*%[}"']""")
    for path in SOURCES:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "tickformat" in line or "hovertemplate" in line or "texttemplate" in line:
                assert not d3_percent.search(line.replace('"%{', "").replace("%{", "")), f"{path.name}:{n}: {line.strip()}"


# --- icons: Material icons in the app, a PNG the server serves as the tab icon ---------------------------

EMOJI = re.compile("[\U0001F000-\U0001FAFF\uFE0F]")  # pictographs and the emoji presentation selector


def test_no_emoji_in_the_interface_code():
    found = [f"{p.relative_to(ROOT)}:{n}" for p in SOURCES
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if EMOJI.search(line)]
    assert not found, found


def test_every_icon_is_a_material_icon_and_the_tab_icon_a_local_png():
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    icons = [m for p in SOURCES for m in re.findall(r"""\bicon=(["'][^"']*["'])""", p.read_text(encoding="utf-8"))]
    assert icons and all(re.fullmatch(r"""["']:material/[a-z_]+:["']""", i) for i in icons), icons
    assert '"communes" / "assets" / "favicon.png"' in app
    assert (ROOT / "communes" / "assets" / "favicon.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --- the empty rank cell ------------------------------------------------------------------------------

def test_rank_cell():
    assert [fmt.rank_cell(x) for x in (1, 12.0, None, float("nan"), pd.NA)] == ["1", "12", "", "", ""]


def test_units_without_data_have_an_empty_rank_in_every_ranking_table(make_exports, use_exports):
    use_exports(make_exports(tourism=(["unit", "month", "visitors_domestic", "visitors_international", "revenue_vnd"],
                                      [["Phường Phong Quảng", "2025-07", "10", "1", "100"]])), built=True)
    pages = [("pages/overview.py", {}, 0, "Xếp hạng"), ("pages/dossiers.py", {"view": "index"}, 1, "Xếp hạng"),
             ("pages/tourism.py", {}, None, "Hạng")]
    for page, extra, i, col in pages:
        at = open_app(page, pk="month", p="2025-07", **extra)
        assert not at.exception, (page, at.exception)
        frames = [d.value for d in at.dataframe if col in d.value.columns]
        df = frames[0] if i is None else at.dataframe[i].value
        ranks = df[col].tolist()
        assert all(isinstance(r, str) for r in ranks), (page, ranks)
        assert ranks[0] == "1" and ranks[-1] == "", (page, ranks)  # ranked first, unranked last and empty


# --- the sample: completed on the due day, after the due time ---------------------------------------------

def test_the_sample_has_dossiers_late_within_their_due_day():
    path = str(ROOT / "data" / "dossiers.csv.gz")
    n, example = duckdb.connect().execute(f"""
        select count(*), min(due_at || ' → ' || completed_at) from read_csv('{path}', all_varchar=true)
        where length(due_at) > 10 and left(completed_at, 10) = left(due_at, 10)
          and completed_at > due_at""").fetchone()
    assert n >= 100, n  # due 16:30, completed the same day between 16:40 and 17:20: late
    assert re.fullmatch(r"(\S+) 16:30 → \1 1[67]:\d\d", example), example
