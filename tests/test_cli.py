"""The command line: check, load, kpi — exit codes, output, and an untouched database on bad input."""
from __future__ import annotations

import json

import pytest

from communes import db, settings, sources
from communes.cli import main


def test_check_valid_and_invalid(make_exports, capsys, tmp_path):
    good = make_exports()
    assert main(["check", str(good)]) == 0
    assert "dossiers.csv: 11 dòng, hợp lệ" in capsys.readouterr().out
    bad = make_exports("bad", dossiers=[["X1", "Xã Không Có", "Hộ tịch", "1", "2025-07-01", "2025-07-02", "", "1", ""]])
    assert main(["check", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "dossiers.csv, dòng 2, cột «unit»: giá trị «Xã Không Có»" in err


def test_load_refuses_bad_exports_and_keeps_the_database(make_exports, tmp_path, capsys):
    dbdir = tmp_path / "db"
    good = make_exports()
    assert main(["load", str(good), "--db", str(dbdir)]) == 0
    before = db.current_path(dbdir)
    digest = db.sha256(before)
    bad = make_exports("bad", dossiers=[["X1", "Phường Phong Quảng", "Hộ tịch", "1", "31/02/2025", "", "", "1", ""]])
    assert main(["load", str(bad), "--db", str(dbdir)]) == 1
    assert db.current_path(dbdir) == before and db.sha256(before) == digest
    assert sorted(p.name for p in dbdir.iterdir()) == sorted(["CURRENT", before.name, sources.folder(before).name])
    assert "dữ liệu đang dùng giữ nguyên" in capsys.readouterr().err


def test_load_is_idempotent_for_unchanged_exports(make_exports, tmp_path, capsys):
    good = make_exports()
    dbdir = tmp_path / "db"
    assert main(["load", str(good), "--db", str(dbdir)]) == 0
    first = db.current_path(dbdir)
    assert main(["load", str(good), "--db", str(dbdir)]) == 0
    assert db.current_path(dbdir) == first
    assert "không đổi" in capsys.readouterr().out


def test_kpi_json_for_a_unit_named_any_way(make_exports, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COMMUNES_DB_DIR", str(tmp_path / "db"))
    data = make_exports()
    assert main(["kpi", "--period", "2025-07", "--unit", "p. phong quang", "--data", str(data)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["unit"] == "Phường Phong Quảng"
    assert doc["dossiers"]["received"] == 8 and doc["dossiers"]["on_time_rate"] == 0.75
    assert doc["tourism"]["visitors"] is None  # no tourism export: no data, not zero
    # at the data date, Tuesday 05/08/2025: D7 (due that day) is due soon; D2 and D9 are overdue
    assert doc["due_soon"] == {"as_of": "2025-08-05", "working_days": 2, "until": "2025-08-07",
                               "due_soon": 1, "overdue": 2, "pending": 3}


def test_kpi_bad_period_and_unknown_unit(capsys):
    assert main(["kpi", "--period", "2025-13x"]) == 2
    assert main(["kpi", "--period", "2025-07", "--unit", "Không Tồn Tại"]) == 2
    assert "đơn vị «Không Tồn Tại»" in capsys.readouterr().err


def test_only_serve_takes_options_it_does_not_know(capsys, tmp_path):
    import pytest

    with pytest.raises(SystemExit) as exc:
        main(["check", str(tmp_path), "--server.port", "8502"])
    assert exc.value.code == 2
    assert "tham số không rõ: --server.port 8502" in capsys.readouterr().err


@pytest.mark.slow
def test_serve_builds_the_database_before_any_visit_and_passes_streamlit_options(make_exports, tmp_path):
    """``serve`` starts Streamlit with the given options and the child build; no page is opened here."""
    import os
    import subprocess
    import sys
    import time
    import urllib.request

    from browser_helpers import free_port

    data, dbdir, port = make_exports(), tmp_path / "db", free_port()
    env = {**os.environ, "COMMUNES_DATA_DIR": str(data), "COMMUNES_DB_DIR": str(dbdir)}
    proc = subprocess.Popen([sys.executable, "-m", "communes", "serve", "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true"],
                            cwd=settings.ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline, health = time.time() + 90, None
        while time.time() < deadline and (health != b"ok" or db.current_path(dbdir) is None):
            try:
                health = urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read()
            except OSError:
                pass
            time.sleep(0.3)
        assert health == b"ok", "the server did not answer on the port given to serve"
        built = db.current_path(dbdir)
        assert built is not None and db.read_meta(built)["fingerprint"] == db.fingerprint(data)
    finally:
        proc.terminate()
        out = proc.communicate(timeout=30)[0]
    assert "Cơ sở dữ liệu đã tạo" in out  # the child's report, in the server's output


def test_no_module_imports_the_command_line_entry():
    """``communes.cli`` sits on top: the subcommand modules it registers never import it back."""
    import ast

    imported = []
    for path in sorted((settings.ROOT / "communes").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [f"{node.module}.{a.name}" for a in node.names] if isinstance(node, ast.ImportFrom) and node.module
                     else [])
            if any(n == "communes.cli" or n.startswith("communes.cli.") for n in names):
                imported.append(path.relative_to(settings.ROOT).as_posix())
    assert imported == ["communes/__main__.py"]


def test_kpi_figures_summed_from_many_rows_carry_no_noise_of_doubles(sample_db, capsys):
    """Summed in some order, doubles leave noise in their last digits: the sample's rice area of 2025 came
    out as 53132.49999999999 and its production as 329511.4000000001. The CLI (and the API, which is its
    JSON) give every figure to 12 significant digits: the exports' own figures, and rates to spare."""
    assert main(["kpi", "--period", "2025", "--db", str(db.current_path(sample_db))]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["agriculture"]["rice_area_ha"] == 53132.5  # the seed's 53.132,5 ha
    assert doc["agriculture"]["rice_production_tonnes"] == 329511.4

    def floats(x):
        if isinstance(x, dict):
            return [f for v in x.values() for f in floats(v)]
        return [x] if isinstance(x, float) else []

    found = floats(doc)
    assert len(found) > 10
    assert all(len(repr(f).replace(".", "").replace("-", "").lstrip("0").rstrip("0")) <= 12 for f in found), found
