"""The bundled sample reproduces the article's figures (../shared/seed/figures.md), read back through ``kpi``."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import copy_db

from communes import kpi, periods, settings

DATA = settings.ROOT / "data"
PQ, DD = "19873", "19885"


@pytest.fixture(scope="module")
def con(sample_con):
    return sample_con


def test_phong_quang_q3_2025(con):
    k = kpi.compute(periods.parse("2025-Q3"), [PQ], con=con)
    d, t, f = k["dossiers"], k["tourism"], k["fishery"]
    assert d["new_online"] + d["new_direct"] + d["new_postal"] > 2300
    assert 0.93 <= d["on_time_rate"] < 0.95
    assert d["digitized_rate"] >= 0.99
    assert 65_000 <= t["visitors"] <= 70_000
    assert 20e9 <= t["revenue_vnd"] <= 23e9
    assert round(f["aquaculture_tonnes"] + f["capture_tonnes"]) == 335


def test_phong_quang_rice_yield_2025(con):
    a = kpi.compute(periods.parse("2025"), [PQ], con=con)["agriculture"]
    assert round(a["rice_yield_quintal_per_ha"], 1) == 43.7


def test_dan_dien_since_the_merger(con):
    d = kpi.compute(periods.parse("2025-07-01..2025-10-31"), [DD], con=con)["dossiers"]
    assert d["resolved"] > 3200
    assert round(d["on_time_rate"] * 100, 1) == 98.8


def test_city_first_four_months(con):
    d = kpi.compute(periods.parse("2025-07-01..2025-10-31"), None, con=con)["dossiers"]
    assert d["on_time_rate"] > 0.95
    assert d["digitized_rate"] >= 0.98


def test_forty_units_after_the_merger_and_former_names_before(con):
    n_units, n_former = con.execute("""
        select count(distinct unit_code) filter (where received_at >= '2025-07-01'),
               count(distinct former_code) filter (where received_at < '2025-07-01') from dossiers""").fetchone()
    assert n_units == 40 and n_former == 133


def test_sample_is_marked_as_sample(con):
    assert dict(con.execute("select key, value from meta").fetchall())["sample"] == "true"


@pytest.mark.slow
def test_cli_kpi_prints_the_article_figure(sample_db, tmp_path):
    dbdir = copy_db(sample_db, tmp_path / "db")  # the sample built: the command reads it
    out = subprocess.run([sys.executable, "-m", "communes", "kpi", "--period", "2025-07-01..2025-10-31",
                          "--unit", "Đan Điền", "--data", str(DATA)], capture_output=True, text=True,
                         cwd=settings.ROOT, env={**__import__("os").environ, "COMMUNES_DB_DIR": str(dbdir)},
                         check=True)
    doc = json.loads(out.stdout)
    assert doc["unit"] == "Xã Đan Điền"
    assert doc["period"] == {"start": "2025-07-01", "end": "2025-10-31"}
    assert round(doc["dossiers"]["on_time_rate"] * 100, 1) == 98.8
    assert set(doc) == {"unit", "period", "dossiers", "due_soon", "tourism", "agriculture", "fishery"}
    assert "DỮ LIỆU MẪU" in out.stderr  # sample numbers never pass for real
