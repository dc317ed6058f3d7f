"""The database a benchmark reads: the exports of ``--data`` (the bundled sample by default) built, or
found already built, in ``--db-dir`` (a new temporary folder by default)."""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from communes import db, queries, settings


def arguments(runs: int) -> argparse.ArgumentParser:
    """The options every database benchmark takes: ``--data``, ``--runs`` (default ``runs``), ``--db-dir``."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(settings.path("data_dir")))
    ap.add_argument("--runs", type=int, default=runs)
    ap.add_argument("--db-dir", default=None, help="database folder to build in or reuse (default: a new temporary one)")
    return ap


def built(args: argparse.Namespace):
    """(the build's result, a read-only connection to the version it made or found)."""
    res = db.build(Path(args.data), Path(args.db_dir or tempfile.mkdtemp(prefix="bench-db-")))
    return res, queries.connection(res.path)
