"""Streamlit's frontend files, compressed once and answered by ``Accept-Encoding``.

Streamlit serves its JavaScript uncompressed (its gzip middleware skips ``/static/`` on purpose: it would
compress the same bytes again on every request). Here each compressible file of Streamlit's static folder
is compressed once, with gzip and Brotli, and the bytes are kept: on disk (``var/static/<streamlit
version>/``, so a restart reads them back) and in memory once asked for. A background thread at low
priority compresses them all after the server starts; a file asked for before its turn is compressed
then, once (other requests for it wait for the same result). Streamlit's caching headers are kept:
hashed bundles ``public, immutable, max-age=31536000``, HTML and the manifest ``no-cache``.

>>> encoding_for("gzip, deflate, br, zstd"), encoding_for("gzip;q=0, br;q=0"), encoding_for("gzip")
('br', None, 'gzip')
"""
from __future__ import annotations

import gzip
import hashlib
import logging
import mimetypes
import os
import threading
from pathlib import Path

import brotli
import streamlit
from anyio import to_thread
from streamlit import file_util

from communes import settings

LOG = logging.getLogger(__name__)
COMPRESSIBLE = (".js", ".css", ".html", ".json", ".svg", ".map", ".txt", ".mjs")
MIN_SIZE = 1024  # smaller files gain nothing worth a header
IMMUTABLE = "public, immutable, max-age=31536000"  # Streamlit's STATIC_ASSET_CACHE_MAX_AGE_SECONDS
NO_CACHE = ("index.html", "manifest.json")
BROTLI_QUALITY = 9  # 11 gains ~10 % more on Plotly's bundle for ~20× the time (38 s against 2 s here)
GZIP_LEVEL = 9


def encoding_for(accept: str) -> str | None:
    """The best stored encoding the client accepts: ``br``, then ``gzip``; None for the plain file."""
    ok = {}
    for part in accept.split(","):
        token, _, params = part.strip().partition(";")
        q = 1.0
        for p in params.split(";"):
            k, _, v = p.strip().partition("=")
            if k == "q":
                try:
                    q = float(v)
                except ValueError:
                    q = 0.0
        ok[token.strip().lower()] = q
    for enc in ("br", "gzip"):
        if ok.get(enc, ok.get("*", 0.0)) > 0:
            return enc
    return None


class Store:
    """The compressed bytes of one folder's files, computed once per file and encoding."""

    def __init__(self, root: Path, cache: Path | None):
        self.root = root.resolve()
        self.cache = cache
        self.mem: dict[tuple[str, str], bytes] = {}
        self.locks: dict[str, threading.Lock] = {}
        self.lock = threading.Lock()

    def file(self, rel: str) -> Path | None:
        """The file under the root for a URL path (None: not a compressible file of the folder)."""
        if not rel or not rel.endswith(COMPRESSIBLE) or "\\" in rel or rel.startswith("/"):
            return None
        p = (self.root / rel).resolve()
        if self.root not in p.parents or not p.is_file() or p.stat().st_size < MIN_SIZE:
            return None
        return p

    def _lock(self, rel: str) -> threading.Lock:
        with self.lock:
            return self.locks.setdefault(rel, threading.Lock())

    def get(self, rel: str, enc: str) -> bytes:
        key = (rel, enc)
        if key in self.mem:
            return self.mem[key]
        with self._lock(rel):
            if key not in self.mem:
                self._make(rel)
        return self.mem[key]

    def _make(self, rel: str) -> None:
        src = self.root / rel
        disk = {enc: self.cache / f"{rel}.{enc}" for enc in ("gz", "br")} if self.cache else {}
        if disk and all(p.exists() for p in disk.values()):
            self.mem[(rel, "gzip")] = disk["gz"].read_bytes()
            self.mem[(rel, "br")] = disk["br"].read_bytes()
            return
        raw = src.read_bytes()
        out = {"gz": gzip.compress(raw, compresslevel=GZIP_LEVEL, mtime=0),
               "br": brotli.compress(raw, quality=BROTLI_QUALITY)}
        for enc, data in out.items():
            if disk:
                try:
                    disk[enc].parent.mkdir(parents=True, exist_ok=True)
                    tmp = disk[enc].with_name(f"{disk[enc].name}.{os.getpid()}.tmp")
                    tmp.write_bytes(data)
                    os.replace(tmp, disk[enc])
                except OSError as exc:  # a read-only disk: keep the bytes in memory only
                    LOG.warning("static cache %s: %s", disk[enc], exc)
        self.mem[(rel, "gzip")], self.mem[(rel, "br")] = out["gz"], out["br"]

    def all_files(self) -> list[str]:
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*")
                      if p.is_file() and p.suffix in COMPRESSIBLE and p.stat().st_size >= MIN_SIZE)

    def warm(self) -> None:
        """Compress every file not compressed yet (the thread runs at low priority)."""
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 15)
        except (AttributeError, OSError):
            pass
        for rel in self.all_files():
            if (rel, "gzip") not in self.mem:
                with self._lock(rel):
                    if (rel, "gzip") not in self.mem:
                        self._make(rel)


def default_store() -> Store:
    root = Path(file_util.get_static_dir())
    tag = hashlib.sha256(str(root).encode()).hexdigest()[:8]
    return Store(root, settings.ROOT / "var" / "static" / f"streamlit-{streamlit.__version__}-{tag}")


class CompressedStatic:
    """ASGI middleware in front of Streamlit: a GET or HEAD of a compressible file of its static folder,
    from a client that accepts Brotli or gzip, gets the stored bytes; everything else passes through
    (with ``Vary: Accept-Encoding`` on those files, so a cache keeps the variants apart)."""

    def __init__(self, app, store: Store | None = None, warm: bool = True):
        self.app = app
        self.store = store or default_store()
        if warm:
            threading.Thread(target=self.store.warm, name="compress-static", daemon=True).start()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return await self.app(scope, receive, send)
        rel = scope["path"][len(scope.get("root_path", "")):].lstrip("/")
        src = self.store.file(rel)
        if src is None:
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        enc = encoding_for(headers.get("accept-encoding", ""))
        if enc is None:
            return await self.app(scope, receive, _vary(send))
        body = await to_thread.run_sync(self.store.get, rel, enc)
        st = src.stat()
        etag = f'"{st.st_size:x}-{int(st.st_mtime):x}-{enc}"'
        cache = "no-cache" if rel in NO_CACHE or rel.endswith(".html") else IMMUTABLE
        out = [(b"content-type", _mime(rel).encode()), (b"content-encoding", enc.encode()),
               (b"vary", b"Accept-Encoding"), (b"cache-control", cache.encode()), (b"etag", etag.encode())]
        if etag in [t.strip() for t in headers.get("if-none-match", "").split(",")]:
            await send({"type": "http.response.start", "status": 304, "headers": out[2:]})
            return await send({"type": "http.response.body", "body": b""})
        out.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": out})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})


def _mime(rel: str) -> str:
    kind = mimetypes.guess_type(rel)[0] or "application/octet-stream"
    if rel.endswith((".js", ".mjs")):
        kind = "text/javascript"
    return kind + ("; charset=utf-8" if kind.startswith("text/") or kind.endswith("json") else "")


def _vary(send):
    async def wrapped(message):
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), (b"vary", b"Accept-Encoding")]}
        await send(message)
    return wrapped
