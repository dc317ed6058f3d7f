"""Command line: serve, check, load, kpi, sample, geo — the same code the pages use.

>>> main(["kpi", "--period", "nonsense"])
2
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from communes import db, kpi, periods, queries, refdata, settings
from communes.missing import tidy_doc
from communes.readers import ExportError


def _print_problems(problems) -> None:
    for p in problems:
        tag = "CẢNH BÁO" if p.severity == "warning" else "LỖI"
        print(f"{tag}: {p}", file=sys.stderr)


def cmd_check(args) -> int:
    data = Path(args.dir or settings.path("data_dir"))
    reports = db.validate(data)
    if not reports:
        print(f"LỖI: {data}: không có tệp dữ liệu nào", file=sys.stderr)
        return 1
    for r in reports:
        _print_problems(r.problems)
        state = "hợp lệ" if not r.errors else f"{len(r.errors)} lỗi"
        print(f"{r.file}: {r.rows} dòng, {state}, {len(r.warnings)} cảnh báo")
    return 1 if any(r.errors for r in reports) else 0


def cmd_kpi(args) -> int:
    try:
        period = periods.parse(args.period)
    except ValueError as exc:
        print(f"LỖI: {exc}", file=sys.stderr)
        return 2
    units = None
    name = None
    if args.unit:
        ref = refdata.load(settings.get("province"))
        m = refdata.resolve(ref, args.unit, before_merger=False)
        if m.unit_code is None:
            print(f"LỖI: đơn vị «{args.unit}»: {m.error}", file=sys.stderr)
            return 2
        units, name = [m.unit_code], ref.unit_name(m.unit_code)
    try:
        con = queries.command_connection(args.db, args.data)
    except ExportError as exc:
        _print_problems(exc.problems)
        return 1
    out = tidy_doc(kpi.document(period, name, units, con=con))
    print(json.dumps(out, ensure_ascii=False, indent=2))
    meta = dict(con.execute("select key, value from meta").fetchall())
    if meta.get("sample") == "true":
        print("Lưu ý: DỮ LIỆU MẪU — các con số là minh họa, không phải số liệu chính thức.", file=sys.stderr)
    return 0


def cmd_sample(args) -> int:
    from communes.sample import write_sample

    out = Path(args.out or settings.path("data_dir"))
    out.mkdir(parents=True, exist_ok=True)
    paths = write_sample(out, seed=args.seed, scale=args.scale)
    for p in paths:
        print(p)
    return 0


def cmd_geo(args) -> int:
    """Write the unit shapes the map draws (official boundaries when data/boundaries.geojson has them)."""
    from communes import geo

    try:
        ref = refdata.load(args.province or settings.get("province"))
    except ValueError as exc:
        print(f"LỖI: {exc}", file=sys.stderr)
        return 2
    official = settings.path("data_dir") / "boundaries.geojson"
    shapes = geo.unit_shapes(ref, official if official.exists() else None)
    for p in shapes.problems:
        print(f"CẢNH BÁO: {p}", file=sys.stderr)
    out = Path(args.out)
    out.write_text(json.dumps(geo.feature_collection(shapes), ensure_ascii=False), encoding="utf-8")
    kind = "gần đúng" if shapes.approximate else "chính thức"
    print(f"{out}: {len(shapes.geojson['features'])} đơn vị, ranh giới {kind}")
    return 0


# What the pages import: loaded by ``serve`` while the database builds, so the first visit does not wait for it.
PAGE_MODULES = ("plotly.graph_objects", "communes.ui", "communes.mapview", "communes.exports", "communes.views",
                "communes.figures")


def cmd_serve(args) -> int:
    """Start the dashboard and its routes (``communes.web.server``: API, site-visit pages, login, health,
    compressed assets) in one ASGI server; the database is built in a child process while it starts.

    ``python -m communes serve [streamlit options]`` takes the options of ``streamlit run app.py`` and
    does two things at once instead of on the first visit: ``python -m communes load`` runs in a child process (so the
    build's memory is returned to the system when it ends, and the server starts meanwhile), and the
    page modules are imported. The first visit then waits on the database folder's lock
    (``db.locked``) only for what is left of the build, and finds the version ready; if the exports are
    invalid, the child prints every problem and the app shows them, as without ``serve``.
    """
    import importlib
    import logging
    import pkgutil
    import subprocess
    import threading

    build = subprocess.Popen([sys.executable, "-m", "communes", "load"], cwd=settings.ROOT)
    # reap the child when it ends, so it does not linger as a zombie while the server runs
    threading.Thread(target=build.wait, name="communes-build-reaper", daemon=True).start()
    # st.cache_data checks its storage when a function is decorated and warns that no runtime exists
    # yet; the storage actually used is chosen at the first call, inside the server.
    from streamlit.runtime.caching import cache_data_api

    cache_log = logging.getLogger(cache_data_api.__name__)
    level = cache_log.level
    cache_log.setLevel(logging.ERROR)
    try:
        for name in PAGE_MODULES:
            mod = importlib.import_module(name)
            for sub in pkgutil.iter_modules(getattr(mod, "__path__", [])):
                importlib.import_module(f"{name}.{sub.name}")
    finally:
        cache_log.setLevel(level)
    import click
    from streamlit.web import cli as stcli

    from communes.web import server

    os.chdir(settings.ROOT)  # where .streamlit/config.toml and secrets.toml are
    try:  # Streamlit's own parser: the options of ``streamlit run``, typed
        params = stcli.main_run.make_context("run", ["app.py", *args.streamlit_args]).params
    except click.ClickException as exc:
        exc.show()
        build.terminate()
        return 2
    options = {k.replace("_", "."): v for k, v in params.items() if k not in ("target", "args") and v not in (None, ())}
    sys.argv = [str(settings.ROOT / "app.py")]  # what ``streamlit run app.py`` puts first on sys.path
    try:
        server.create_app().run(config=options)
        return 0
    finally:
        if build.poll() is None:
            build.terminate()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m communes", description="Bảng điều hành xã, phường")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("serve", help="chạy bảng điều hành (streamlit run app.py, cùng các tùy chọn của streamlit), "
                                     "xây cơ sở dữ liệu song song")
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("check", help="kiểm tra các tệp xuất trong DIR (mặc định data/); không ghi gì")
    p.add_argument("dir", nargs="?")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("kpi", help="in các chỉ tiêu của một kỳ dưới dạng JSON")
    p.add_argument("--period", required=True, help="2025-07, 2025-Q3, 2025 hoặc 2025-07-01..2025-10-31")
    p.add_argument("--unit", help="tên hoặc mã đơn vị; bỏ trống = toàn tỉnh/thành phố")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--data", help="thư mục dữ liệu xuất")
    src.add_argument("--db", help="tệp cơ sở dữ liệu DuckDB")
    p.set_defaults(func=cmd_kpi)
    p = sub.add_parser("sample", help="ghi dữ liệu mẫu (tất định)")
    p.add_argument("--out")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--scale", type=float, default=1.0)
    p.set_defaults(func=cmd_sample)
    p = sub.add_parser("geo", help="ghi ranh giới các đơn vị mà bản đồ vẽ ra tệp GeoJSON")
    p.add_argument("--province", help="tỉnh/thành phố (mặc định: tỉnh trong cấu hình)")
    p.add_argument("--out", required=True, help="tệp .geojson")
    p.set_defaults(func=cmd_geo)
    from communes import steward_cli  # load [DIR | FILE] [--dry-run], versions, rollback N

    steward_cli.add_parser(sub)
    from communes.briefing.cli import add_parser as add_briefing  # briefing --period P [--unit|--group] --out F
    add_briefing(sub)
    from communes.web import cli as web_cli  # passwd USER, token NAME

    web_cli.add_parser(sub)
    from communes.stack import add_parser as add_stack  # stack [--replicas N] [--port P] [--tls-cert C --tls-key K]
    add_stack(sub)
    args, extra = ap.parse_known_args(argv)
    if extra and args.cmd not in ("serve", "stack"):  # serve and stack pass what they do not know on (to streamlit)
        ap.error(f"tham số không rõ: {' '.join(extra)}")
    args.streamlit_args = extra
    return args.func(args)
