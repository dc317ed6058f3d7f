"""Command line of data stewardship: ``load``, ``load --dry-run``, ``load FILE``, ``versions``, ``rollback N``.

``communes/cli.py`` calls ``add_parser(subparsers)`` once; this module adds the ``load``, ``versions`` and
``rollback`` commands (it imports nothing from ``communes.cli``).

- ``load [DIR] [--force]``: validate the exports of DIR and build a new version from them.
- ``load [DIR] --dry-run``: validate them and say what would change against the current version;
  writes nothing.
- ``load FILE [--dataset NAME] [--dry-run]``: one export (CSV, CSV.GZ or XLSX) merged into the data
  folder by the merge rule, exactly as the Data page does; with ``--dry-run`` only the preview.
- ``versions``: the kept database versions, newest first, numbered for ``rollback N``.
- ``rollback N``: make version N current again, the data folder with it.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from communes import db, fmt, progress, settings, staging, steward
from communes.contract import DATASETS
from communes.readers import ExportError


def add_parser(sub) -> None:
    load = sub.add_parser("load", help="kiểm tra rồi xây cơ sở dữ liệu mới, thay thế nguyên khối")
    load.add_argument("dir", nargs="?")
    load.add_argument("--db", help="thư mục chứa các phiên bản cơ sở dữ liệu")
    load.add_argument("--force", action="store_true", help="xây lại dù dữ liệu không đổi")
    load.add_argument("--dry-run", action="store_true",
                      help="chạy thử: kiểm tra và cho biết sẽ thay đổi gì, không ghi gì")
    load.add_argument("--dataset", choices=list(DATASETS),
                      help="loại dữ liệu của tệp tải lên (mặc định: đoán theo tên tệp)")
    load.add_argument("--who", help="người thực hiện, ghi vào nhật ký (mặc định: không rõ)")
    load.set_defaults(func=cmd_load)
    p = sub.add_parser("versions", help="các phiên bản cơ sở dữ liệu đang giữ, mới nhất trước")
    p.add_argument("--db", help="thư mục chứa các phiên bản cơ sở dữ liệu")
    p.set_defaults(func=cmd_versions)
    p = sub.add_parser("rollback", help="quay lại phiên bản số N (theo danh sách của lệnh versions)")
    p.add_argument("n", type=int)
    p.add_argument("--db", help="thư mục chứa các phiên bản cơ sở dữ liệu")
    p.add_argument("--data", help="thư mục dữ liệu xuất được khôi phục theo phiên bản")
    p.add_argument("--who", help="người thực hiện, ghi vào nhật ký (mặc định: không rõ)")
    p.set_defaults(func=cmd_rollback)


def _problems(problems) -> None:
    for p in problems:
        tag = "CẢNH BÁO" if p.severity == "warning" else "LỖI"
        print(f"{tag}: {p}", file=sys.stderr)


def cmd_load(args) -> int:
    target = Path(args.dir) if args.dir else settings.path("data_dir")
    if target.is_file():
        return _load_file(args, target)
    if args.dry_run:
        return _dry_run_dir(target, Path(args.db) if args.db else None)
    return _build_dir(target, Path(args.db) if args.db else None, force=args.force)


def _build_dir(data: Path, directory: Path | None, force: bool) -> int:
    """Validate the exports of ``data`` and build a new version from them (nothing changes when invalid);
    a progress line on the terminal meanwhile."""
    bar = progress.Terminal()
    try:
        with db.reporting(bar):
            res = db.build(data, directory, force=force)
    except ExportError as exc:
        bar.close()
        _problems(exc.problems)
        print("Không nạp: dữ liệu đang dùng giữ nguyên.", file=sys.stderr)
        return 1
    bar.close()
    _problems(res.warnings)
    what = "đã tạo" if res.built else "không đổi"
    print(f"Cơ sở dữ liệu {what}: {res.path} (dấu vân tay {res.fingerprint}, {res.seconds:.1f} s)")
    return 0


def _dry_run_dir(data: Path, directory: Path | None) -> int:
    reports = db.validate(data)
    if not reports:
        print(f"LỖI: {data}: không có tệp dữ liệu nào", file=sys.stderr)
        return 1
    cur = db.current_path(directory)
    before = {f["dataset"]: f for f in json.loads(db.read_meta(cur).get("files") or "[]")} if cur else {}
    exports = db.find_exports(data)
    for r in reports:
        _problems(r.problems)
        old = before.pop(r.dataset, None)
        same = old is not None and old.get("sha256") == db.file_hash(exports[r.dataset])
        state = "hợp lệ" if not r.errors else f"{len(r.errors)} lỗi"
        change = ("không đổi" if same else
                  f"{fmt.number(old['rows'])} → {fmt.number(r.rows)} dòng" if old else f"mới, {fmt.number(r.rows)} dòng")
        print(f"{r.dataset} ({r.file}): {state}; {change}")
    for name in before:
        print(f"{name}: sẽ không còn (thư mục không có tệp này)")
    print("Chạy thử: chưa ghi gì.")
    return 1 if any(r.errors for r in reports) else 0


def _load_file(args, path: Path) -> int:
    directory = Path(args.db) if args.db else None
    dataset = args.dataset or staging.guess_dataset(path.name)
    if dataset is None:
        print(f"LỖI: không đoán được loại dữ liệu của «{path.name}»; hãy ghi --dataset "
              f"({', '.join(DATASETS)})", file=sys.stderr)
        return 2
    try:
        staged = staging.stage(path, path.name, directory)
    except staging.UploadError as exc:
        _problems(exc.problems)
        return 1
    bar = progress.Terminal()
    try:
        try:
            plan = steward.dry_run(staged, dataset, directory=directory, progress=bar)
        finally:
            bar.close()
        _problems(plan.problems)
        if not plan.ok:
            where = "tệp đang lưu" if plan.stored_problems else "tệp tải lên"
            print(f"Không nạp: {where} có {len(plan.errors)} lỗi; dữ liệu đang dùng giữ nguyên.", file=sys.stderr)
            return 1
        print_plan(plan)
        if args.dry_run:
            print("Chạy thử: chưa ghi gì.")
            return 0
        if not plan.changed:
            print("Tệp này không làm thay đổi dữ liệu: không có gì để áp dụng.")
            return 0
        version = steward.apply(plan, who=args.who, directory=directory)
        print(f"Đã áp dụng: phiên bản {version.name}")
        return 0
    except (steward.StaleError, ExportError, ValueError) as exc:
        print(f"LỖI: {exc}", file=sys.stderr)
        return 1
    finally:
        staging.discard(staged.token, directory)


def print_plan(plan) -> None:
    n = fmt.number
    print(f"{plan.upload_name} → {plan.dataset} ({plan.export_name}): {n(plan.rows_upload)} dòng tải lên; "
          f"thêm {n(plan.added)}, thay {n(plan.replaced)} (trong đó {n(plan.unchanged)} không đổi); "
          f"{n(plan.rows_before)} → {n(plan.rows_after)} dòng")
    if plan.build == "incremental":
        print("Dựng tiếp từ phiên bản đang dùng: chỉ tính lại phần tệp này làm thay đổi.")
    elif plan.build_reason:
        print(f"Dựng lại toàn bộ: {plan.build_reason}.")
    for c in plan.changes[:200]:
        if "added" in c:
            print(f"  {c['period']}  {c['unit_code'] or '—'}  thêm {n(c['added'])}, thay {n(c['replaced'])} "
                  f"({n(c['unchanged'])} không đổi)")
        else:
            print(f"  {c['period'] or '—'}  {c['unit_code'] or '—'}  {n(c['rows_before'])} → {n(c['rows_after'])} "
                  f"dòng  {c['status']}")
    if len(plan.changes) > 200:
        print(f"  … và {len(plan.changes) - 200} ô khác")
    if plan.period:
        print(f"Chỉ tiêu toàn địa bàn, {plan.period[0]}..{plan.period[1]}:")
        for k in plan.kpis:
            print(f"  {k['key']}: {_value(k['before'])} → {_value(k['after'])}")


def _value(x) -> str:
    return "null" if x is None else fmt.number(x, 4 if isinstance(x, float) and x < 1 else 1 if isinstance(x, float) else 0)


def cmd_versions(args) -> int:
    directory = Path(args.db) if args.db else None
    vs = db.versions(directory)
    if not vs:
        print("Chưa có phiên bản nào.")
        return 0
    for i, v in enumerate(vs):
        files = json.loads(v.get("files") or "[]")
        data = ", ".join(f"{f['dataset']} {fmt.number(f['rows'])}" for f in files)
        mark = "*" if v["current"] else " "
        print(f"{i}{mark} {v.get('built_at', '?')}  {v.get('fingerprint', '?')}  {data}")
    print("* = phiên bản đang dùng; quay lại: python -m communes rollback N")
    return 0


def cmd_rollback(args) -> int:
    try:
        target = steward.rollback(args.n, who=args.who, data_dir=Path(args.data) if args.data else None,
                                  directory=Path(args.db) if args.db else None)
    except ValueError as exc:
        print(f"LỖI: {exc}", file=sys.stderr)
        return 1
    print(f"Đang dùng phiên bản {target.name}; thư mục dữ liệu đã khôi phục theo phiên bản này.")
    return 0
