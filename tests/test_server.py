"""The real server (``python -m communes serve``, one ``st.App``) on the bundled sample: its own routes
answer next to the dashboard, the API's numbers equal ``python -m communes kpi``, the frontend files come
compressed with Streamlit's caching headers."""
from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

import brotli
import pytest
from conftest import copy_db

from communes import settings

pytestmark = pytest.mark.slow  # servers and commands in subprocesses


def get(url: str, **headers):
    req = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()


def test_health_and_the_dashboard_in_one_server(server):
    deadline = time.time() + 180
    while True:  # ready once the first database is built (serve builds it while the server starts)
        status, headers, body = get(f"{server}/healthz")
        health = json.loads(body)
        assert status == 200 and set(health) == {"pid", "version", "ready", "building", "started_at"}
        if health["ready"] or time.time() > deadline:
            break
        assert health["version"] is None
        time.sleep(0.5)
    assert health["ready"] is True and len(health["version"]) == 16
    assert get(f"{server}/_stcore/health")[2] == b"ok"  # Streamlit's own routes are still there
    assert b'id="root"' in get(f"{server}/")[2]


def test_api_equals_the_cli_on_the_sample(server, sample_db, tmp_path):
    url = f"{server}/api/v1/kpi?period=2025-Q3&unit=P.%20Phong%20Qu%E1%BA%A3ng"
    status, headers, body = get(url)
    assert status == 200 and headers["x-sample-data"] == "true"
    env = {**os.environ, "COMMUNES_DB_DIR": str(copy_db(sample_db, tmp_path / "db"))}  # the sample built
    cli = subprocess.run([sys.executable, "-m", "communes", "kpi", "--period", "2025-Q3", "--unit", "P. Phong Quảng"],
                         capture_output=True, text=True, cwd=settings.ROOT, env=env, timeout=300)
    assert cli.returncode == 0, cli.stderr
    assert json.loads(body) == json.loads(cli.stdout)
    assert headers["x-data-version"] == json.loads(get(f"{server}/healthz")[2])["version"]


def test_frontend_files_are_served_compressed_with_streamlits_cache_headers(server):
    index = get(f"{server}/")[2].decode()
    js = re.search(r'src="\.?/?(static/js/[^"]+\.js)"', index).group(1)
    plain = get(f"{server}/{js}")
    gz = get(f"{server}/{js}", **{"Accept-Encoding": "gzip"})
    br = get(f"{server}/{js}", **{"Accept-Encoding": "gzip, deflate, br"})
    assert "content-encoding" not in plain[1]
    assert gz[1]["content-encoding"] == "gzip" and gzip.decompress(gz[2]) == plain[2]
    assert br[1]["content-encoding"] == "br" and brotli.decompress(br[2]) == plain[2]
    assert len(br[2]) < len(gz[2]) < len(plain[2]) / 2
    for r in (plain, gz, br):
        assert r[1]["cache-control"] == "public, immutable, max-age=31536000"
        assert "accept-encoding" in r[1]["vary"].lower()
