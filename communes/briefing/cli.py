"""``python -m communes briefing --period P [--unit NAME | --group G] --out FILE.pptx``.

Writes the deck the briefing page's "Tải bản trình chiếu (.pptx)" button gives, through the same
functions (``communes.briefing.data.load`` then ``communes.briefing.deck.build``).

>>> import argparse
>>> ap = argparse.ArgumentParser(); sub = ap.add_subparsers(dest="cmd")
>>> add_parser(sub)
>>> ap.parse_args(["briefing", "--period", "2025-Q3", "--group", "coastal"]).group
'coastal'
"""
from __future__ import annotations

import io
import sys
import time
from pathlib import Path


def add_parser(sub) -> None:
    p = sub.add_parser("briefing", help="tạo bản trình chiếu PowerPoint (.pptx) của một kỳ: toàn tỉnh/thành phố, "
                                        "một nhóm hoặc một đơn vị")
    p.add_argument("--period", required=True, help="2025-07, 2025-Q3, 2025 hoặc 2025-07-01..2025-10-31")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--unit", help="tên (viết kiểu nào cũng được) hoặc mã đơn vị")
    who.add_argument("--group", help="nhóm: phuong, xa hoặc mã/tên nhóm tương đồng (config/groups.toml)")
    p.add_argument("--compare", choices=["prev", "yoy"], default="prev",
                   help="so với kỳ trước (prev, mặc định) hoặc cùng kỳ năm trước (yoy)")
    p.add_argument("--lang", choices=["vi", "en"], default="vi", help="ngôn ngữ (mặc định vi)")
    p.add_argument("--out", help="tệp .pptx (mặc định giao-ban-<phạm vi>-<kỳ>.pptx)")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--data", help="thư mục dữ liệu xuất")
    src.add_argument("--db", help="tệp cơ sở dữ liệu DuckDB")
    p.set_defaults(func=cmd_briefing)


def cmd_briefing(args) -> int:
    from pptx import Presentation

    from communes import briefing, periods, queries, refdata, settings
    from communes.briefing import data as view
    from communes.briefing import deck
    from communes.briefing.scope import ScopeError, resolve
    from communes.readers import ExportError

    t0 = time.perf_counter()
    try:
        period = periods.parse(args.period)
    except ValueError as exc:
        print(f"LỖI: {exc}", file=sys.stderr)
        return 2
    ref = refdata.load(settings.get("province"))
    try:
        sc = resolve(ref, args.group or "all", args.unit)
    except ScopeError as exc:
        print(f"LỖI: {exc}", file=sys.stderr)
        return 2
    try:
        con = queries.command_connection(args.db, args.data)
    except ExportError as exc:
        for p in exc.problems:
            print(f"LỖI: {p}", file=sys.stderr)
        return 1

    def run(name, **params):
        return queries.run(name, con=con, **params)

    span = run("meta/data_span")
    as_of = span["as_of"].iloc[0].date() if len(span) and span["as_of"].notna().iloc[0] else None
    f = briefing.frame(ref, period, args.compare, sc.code if sc.kind != "unit" else "all", as_of, args.lang)
    d = view.load(run, f, unit=sc.unit)
    data = deck.build(d, args.lang)
    out = Path(args.out or f"giao-ban-{sc.file_stem()}-{period.code.replace('..', '_')}.pptx")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(out)  # never a half-written deck under the final name
    n = len(Presentation(io.BytesIO(data)).slides)
    print(f"Đã ghi {out}: {n} trang, {sc.name('vi')}, {period.label('vi')} ({time.perf_counter() - t0:.1f} s)")
    return 0
