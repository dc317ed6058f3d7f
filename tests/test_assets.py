"""Streamlit's frontend files compressed once (``communes.web.assets``): the right bytes for each
``Accept-Encoding``, Streamlit's caching headers kept, nothing compressed twice, other files untouched."""
from __future__ import annotations

import gzip

import brotli
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.testclient import TestClient

from communes.web import assets

JS = ("function f(){return 'Phường Phong Quảng';}\n" * 400).encode()


def folder(tmp_path):
    root = tmp_path / "static"
    (root / "static" / "js").mkdir(parents=True)
    (root / "static" / "js" / "main.abc123.js").write_bytes(JS)
    (root / "index.html").write_bytes(b"<!doctype html><title>x</title>" + b" " * 2000)
    (root / "font.woff2").write_bytes(b"\x00" * 4000)
    (root / "tiny.js").write_bytes(b"1")
    return root


def client(root, store):
    app = Starlette(routes=[Mount("/", StaticFiles(directory=root, html=True))])
    return TestClient(assets.CompressedStatic(app, store=store, warm=False))


def test_each_encoding_gets_the_same_file_compressed(tmp_path):
    root = folder(tmp_path)
    c = client(root, assets.Store(root, tmp_path / "cache"))
    url = "/static/js/main.abc123.js"
    br = c.get(url, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert br.headers["content-encoding"] == "br" and br.headers["vary"] == "Accept-Encoding"
    assert int(br.headers["content-length"]) < len(JS) / 10
    assert br.headers["cache-control"] == "public, immutable, max-age=31536000"
    assert br.headers["content-type"].startswith("text/javascript") and br.content == JS  # httpx decodes br
    gz = c.get(url, headers={"Accept-Encoding": "gzip"})
    assert gz.headers["content-encoding"] == "gzip" and gz.content == JS
    raw = c.get(url, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in raw.headers and raw.content == JS and raw.headers["vary"] == "Accept-Encoding"
    html = c.get("/index.html", headers={"Accept-Encoding": "gzip"})
    assert html.headers["cache-control"] == "no-cache" and html.headers["content-encoding"] == "gzip"


def test_compressed_once_and_kept_on_disk(tmp_path, monkeypatch):
    root = folder(tmp_path)
    calls = []
    real = brotli.compress
    monkeypatch.setattr(assets.brotli, "compress", lambda data, **kw: calls.append(len(data)) or real(data, **kw))
    store = assets.Store(root, tmp_path / "cache")
    c = client(root, store)
    for _ in range(3):
        c.get("/static/js/main.abc123.js", headers={"Accept-Encoding": "br"})
        c.get("/static/js/main.abc123.js", headers={"Accept-Encoding": "gzip"})
    assert calls == [len(JS)]
    cached = tmp_path / "cache" / "static" / "js"
    assert gzip.decompress((cached / "main.abc123.js.gz").read_bytes()) == JS
    assert brotli.decompress((cached / "main.abc123.js.br").read_bytes()) == JS
    again = assets.Store(root, tmp_path / "cache")  # a restarted server reads them back
    assert again.get("static/js/main.abc123.js", "br") == (cached / "main.abc123.js.br").read_bytes()
    assert calls == [len(JS)]


def test_warm_compresses_every_compressible_file(tmp_path):
    root = folder(tmp_path)
    store = assets.Store(root, None)
    store.warm()
    assert {k[0] for k in store.mem} == {"static/js/main.abc123.js", "index.html"}  # not fonts, not tiny files


def test_conditional_request_and_other_files(tmp_path):
    root = folder(tmp_path)
    c = client(root, assets.Store(root, None))
    first = c.get("/static/js/main.abc123.js", headers={"Accept-Encoding": "gzip"})
    again = c.get("/static/js/main.abc123.js", headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    font = c.get("/font.woff2", headers={"Accept-Encoding": "gzip, br"})
    assert "content-encoding" not in font.headers and font.content == b"\x00" * 4000
    assert c.get("/../etc/passwd", headers={"Accept-Encoding": "gzip"}).status_code == 404
    assert c.get("/static/js/nothing.js", headers={"Accept-Encoding": "gzip"}).status_code == 404
