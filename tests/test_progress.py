"""Progress of long work: the phases an upload's dry run and a build report, the line the command line
rewrites on a terminal, and nothing at all when the output is not a terminal."""
from __future__ import annotations

import io
import re

from conftest import DOSSIER_HEADER, DOSSIERS, write_csv

from communes import db, progress, staging, steward
from communes.cli import main


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def folder(tmp_path, monkeypatch):
    data, dbdir = tmp_path / "data", tmp_path / "db"
    data.mkdir()
    write_csv(data / "dossiers.csv", DOSSIER_HEADER, DOSSIERS)
    monkeypatch.setenv("COMMUNES_DATA_DIR", str(data))
    monkeypatch.setenv("COMMUNES_DB_DIR", str(dbdir))
    return data, dbdir


def test_text_gives_the_phase_the_rows_and_their_rate_in_both_languages():
    assert progress.text("reading", 0, 0) == "Đang đọc tệp"
    assert progress.text("checking", 1234, 0.5) == "Đang kiểm tra: 1.234 dòng (2.468 dòng/giây)"
    assert progress.text("building", 1234, 2, "en") == "Building the new version: 1,234 rows"
    assert progress.text("done", 1234, 2, "en") == "Done: 1,234 rows (617 rows/s)"
    assert [progress.fraction(p) for p in ("reading", "checking", "building", "done")] == [0.05, 0.35, 0.6, 1.0]


def test_the_terminal_line_is_rewritten_in_place_and_ended_once():
    out = Tty()
    bar = progress.Terminal(out)
    bar("reading")
    bar("checking", 11, 1.0)
    bar.close()
    text = out.getvalue()
    assert text == "\r  5 % Đang đọc tệp" + "\r 35 % Đang kiểm tra: 11 dòng (11 dòng/giây)" + "\n"


def test_nothing_is_written_when_the_output_is_not_a_terminal():
    out = io.StringIO()
    bar = progress.Terminal(out)
    bar("checking", 11, 1.0)
    bar.close()
    assert out.getvalue() == ""


def test_a_dry_run_and_a_build_report_their_phases_with_rows(tmp_path, monkeypatch):
    data, dbdir = folder(tmp_path, monkeypatch)
    seen = []
    with db.reporting(lambda phase, rows, secs: seen.append((phase, rows))):
        db.build(data, dbdir)
    assert seen == [("reading", 0), ("checking", 11), ("building", 11), ("done", 11)]
    up = tmp_path / "ho-so-moi.csv"
    write_csv(up, DOSSIER_HEADER, [["N1", "Xã Đan Điền", "Hộ tịch", "2", "2025-08-06", "2025-08-08", "", "1", ""]])
    seen.clear()
    plan = steward.dry_run(staging.stage(up, up.name, dbdir), "dossiers", data, dbdir,
                           progress=lambda phase, rows, secs: seen.append((phase, rows)))
    assert plan.ok
    assert seen == [("reading", 0), ("checking", 1), ("building", 12), ("done", 1)]
    staging.discard(plan, dbdir)


def test_the_command_line_prints_no_progress_when_its_output_is_not_a_terminal(tmp_path, monkeypatch, capsys):
    data, dbdir = folder(tmp_path, monkeypatch)
    assert main(["load", str(data)]) == 0
    up = tmp_path / "ho-so-moi.csv"
    write_csv(up, DOSSIER_HEADER, [["N1", "Xã Đan Điền", "Hộ tịch", "2", "2025-08-06", "2025-08-08", "", "1", ""]])
    assert main(["load", str(up), "--dataset", "dossiers"]) == 0
    out, err = capsys.readouterr()
    assert "Đang" not in out + err and "\r" not in out + err and "%" not in err
    assert "Đã áp dụng" in out


def test_the_command_line_prints_a_progress_line_on_a_terminal(tmp_path, monkeypatch, capsys):
    data, dbdir = folder(tmp_path, monkeypatch)
    tty = Tty()
    monkeypatch.setattr("sys.stderr", tty)
    assert main(["load", str(data)]) == 0
    up = tmp_path / "ho-so-moi.csv"
    write_csv(up, DOSSIER_HEADER, [["N1", "Xã Đan Điền", "Hộ tịch", "2", "2025-08-06", "2025-08-08", "", "1", ""]])
    assert main(["load", str(up), "--dataset", "dossiers"]) == 0
    lines = tty.getvalue().split("\n")
    assert lines[0].startswith("\r  5 % Đang đọc tệp\r 35 % Đang kiểm tra: 11 dòng (")
    assert re.search("\r 60 % Đang dựng phiên bản mới: 11 dòng *\r100 % Xong: 11 dòng \\(", lines[0])
    assert "\r 35 % Đang kiểm tra: 1 dòng" in lines[1] and "\r 60 % Đang dựng phiên bản mới: 12 dòng" in lines[1]
    assert "100 % Xong: 1 dòng (" in lines[1]
