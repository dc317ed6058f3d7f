"""Data stewardship: stage an upload, dry-run it, apply it atomically, roll back, keep an audit log.

The flow a steward (or ``python -m communes load FILE``) follows::

    staged = staging.stage(fileobj, "du-lich-07-2025.xlsx")  # streamed to disk, size-limited
    plan = steward.dry_run(staged, "tourism")                # every problem, or what would change
    if plan.ok and plan.changed:
        steward.apply(plan)                                   # new version + data folder, atomically

The staged file is the upload as sent (``communes.staging``; an XLSX is read through ``communes.xlsx``);
the rows it replaces and keeps are set by the merge rule (``communes.merge_rule``).

**Dry run.** The upload is validated by the same reader as every export; when it is valid, the
merged export is written (canonical headers, ISO dates) and a complete candidate database is built
from it and the other stored exports, exactly as the apply will install it. The preview (rows added
and replaced per unit and period, key indicators before → after through ``communes.kpi.compute``)
is read from that candidate, so what is previewed is what gets applied.

**Apply.** Under the database folder's lock: check the data folder still holds what the dry run
merged with, move the candidate into the versions, swap the merged export into the data folder
(temporary name + ``os.replace``), point ``CURRENT`` at the new version, append to the audit log.
A session renders from one version file at a time, so it never sees a half-applied state.

Nothing here imports Streamlit; the page and the CLI both call these functions.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from communes import db, fmt, increment, kpi, refdata, settings, sources, staging
from communes.contract import DATASETS
from communes.merge_rule import check_round_trip, load_base, materialise_merged, merge, work_db, write_export
from communes.periods import Period
from communes.readers import ExportError, Problem, read_into
from communes.staging import Staged, UploadError
from communes.xlsx import xlsx_to_csv

NOBODY = "không rõ"  # who, until login exists
AUDIT_FILE = "audit.jsonl"
# The span of dates an upload covers, for the indicators before → after (None: no indicator).
SPAN = {
    "dossiers": "select min(received_at)::date, max(received_at)::date from upload",
    "tourism": "select min(month), last_day(max(month)) from upload",
    "fishery": "select min(month), last_day(max(month)) from upload",
    "agriculture": "select make_date(min(year), 1, 1), make_date(max(year), 12, 31) from upload",
}
KPI_KEYS = {
    "dossiers": ["received", "resolved", "on_time_rate", "online_rate", "digitized_rate", "pending_overdue"],
    "tourism": ["visitors", "visitors_domestic", "visitors_international", "revenue_vnd"],
    "agriculture": ["rice_area_ha", "rice_production_tonnes", "rice_yield_quintal_per_ha"],
    "fishery": ["aquaculture_tonnes", "capture_tonnes"],
}


class StaleError(RuntimeError):
    """The data folder changed between the dry run and the apply."""


# --- dry run -----------------------------------------------------------------------------------------

@dataclass
class Plan:
    """What a dry run found; ``apply`` installs it when ``ok`` and ``changed``."""
    token: str
    dataset: str
    upload_name: str
    upload_sha256: str
    upload_bytes: int
    ok: bool = False
    problems: list[Problem] = field(default_factory=list)  # errors, then warnings, of the upload
    rows_upload: int = 0
    rows_before: int = 0
    rows_after: int = 0
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    changes: list[dict] = field(default_factory=list)  # per unit and period
    kpis: list[dict] = field(default_factory=list)  # key, before, after
    period: tuple[str, str] | None = None
    export_name: str = ""
    base: dict = field(default_factory=dict)  # dataset → sha256 of the data folder's export at the dry run
    origin: str = "official"
    fingerprint: str = ""
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)  # seconds per step of the dry run
    stored_problems: bool = False  # the problems are in the stored exports, not in the upload
    build: str = ""  # "incremental": built on the current version's tables; "full": from every export
    build_reason: str | None = None  # why the build is full (Vietnamese), when it is

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def changed(self) -> bool:
        return self.ok and (self.added > 0 or self.replaced > self.unchanged)

    def summary(self) -> dict:
        d = asdict(self)
        d["problems"] = [str(p) for p in self.problems]
        return d


def _shift(problems: list[Problem], offset: int) -> list[Problem]:
    """Line numbers of a converted XLSX back to Excel rows (the header sat on row offset + 1)."""
    if not offset:
        return problems
    for p in problems:
        if p.line is not None:
            p.line += offset
    return problems


def dry_run(staged: Staged, dataset: str, data_dir: Path | None = None, directory: Path | None = None,
            progress=None) -> Plan:
    """Validate the staged upload as ``dataset``, merge it, build the candidate version, preview.

    A refused upload leaves nothing behind; a valid one keeps its staging folder for ``apply``
    (or ``discard``).
    """
    plan, heads = None, []
    try:
        plan = _dry_run(staged, dataset, data_dir, directory, progress or _quiet, heads)
    finally:
        for head in heads:  # a copy of the previous version started and not built on
            head.discard()
        if plan is None or not plan.ok:
            staging.discard(staged.token, directory or db.db_dir())
    return plan


def _quiet(phase: str, rows: int, seconds: float) -> None:
    """The default progress report: none. ``progress(phase, rows, seconds)`` is called as each phase
    starts (reading, checking, building) with the rows handled so far and the seconds since the start."""


def _dry_run(staged: Staged, dataset: str, data_dir: Path | None, directory: Path | None, progress,
             heads: list) -> Plan:
    t0 = time.perf_counter()
    if dataset not in DATASETS:
        raise ValueError(f"không có loại dữ liệu «{dataset}»")
    data_dir = Path(data_dir or settings.path("data_dir"))
    directory = Path(directory or db.db_dir())
    plan = Plan(staged.token, dataset, staged.name, staged.sha256, staged.size)
    readable, offset = staged.raw, 0
    for old in ("candidate.duckdb", "work.duckdb", "upload-from-xlsx.csv"):
        sources.remove(staged.dir / old)
    if staged.kind == "xlsx":
        readable = staged.dir / "upload-from-xlsx.csv"
        try:
            header_row, notes = xlsx_to_csv(staged.raw, readable, dataset, staged.name)
        except UploadError as exc:
            plan.problems = exc.problems
            return plan
        offset = header_row - 1
        plan.problems += notes
    ref = refdata.load(settings.get("province"))
    files = db.find_exports(data_dir)
    plan.base = {k: db.file_hash(p) for k, p in files.items()}
    base_path = files.get(dataset)
    plan.export_name = base_path.name if base_path else f"{dataset}.csv.gz" if dataset == "dossiers" else f"{dataset}.csv"
    current = db.current_path(directory)
    # built on the current version's tables when the rules allow it (communes/increment.py), else in full
    plan.build_reason = increment.eligible(current, data_dir, dataset)
    if plan.build_reason is None:  # copied meanwhile: most uploads are built on it
        heads.append(increment.HeadStart(current, staged.dir / "candidate.duckdb"))
    lazy = dataset == "dossiers" and plan.build_reason is None  # the stored rows read where they are
    member = None
    progress("reading", 0, 0)
    con = work_db(staged.dir)
    try:
        rep = read_into(con, readable, dataset, ref, table="upload", display=staged.name)
        plan.timings["validate"] = time.perf_counter() - t0
        plan.problems = _shift(rep.errors, offset) + plan.problems + _shift(rep.warnings, offset)
        plan.rows_upload = rep.rows
        progress("checking", rep.rows, plan.timings["validate"])
        if rep.errors:
            return plan
        if not load_base(con, dataset, base_path, current, ref, plan, lazy=lazy):
            return plan
        merge(con, dataset, plan, materialise=not lazy)
        export = staged.dir / "export" / plan.export_name
        export.parent.mkdir(exist_ok=True)
        lead = None
        if lazy and plan.replaced:
            plan.build_reason = (f"tệp tải lên thay {fmt.number(plan.replaced)} hồ sơ đã lưu: tệp hồ sơ được ghi lại "
                                 "toàn bộ và dựng lại từ đầu")
        elif lazy:
            lead = increment.appendable(base_path, ",".join(c.name for c in DATASETS[dataset].columns), current)
            if lead is None:
                plan.build_reason = ("tệp hồ sơ đang lưu không theo dạng có thể ghi nối tiếp (tiêu đề, bảng mã, "
                                     "xuống dòng)")
        if lazy and plan.build_reason is None:
            member = increment.write_member(con, "upload", base_path, staged.dir, staged.name, lead, write=write_export)
            increment.append_export(base_path, member, export)
        else:
            if lazy:
                materialise_merged(con, dataset)
            write_export(con, "merged", dataset, export)
        span = con.execute(SPAN[dataset]).fetchone() if dataset in SPAN else None
        plan.timings["merge_and_write"] = time.perf_counter() - t0 - plan.timings["validate"]
    finally:
        con.close()
    # the candidate: every stored export, this dataset's replaced by the merged one
    files[dataset] = export
    candidate = staged.dir / "candidate.duckdb"
    plan.build = "full" if plan.build_reason else "incremental"
    progress("building", plan.rows_after, 0)
    try:
        if plan.build == "incremental":
            increment.build(candidate, current, dataset, files, data_dir, {dataset: plan.export_name}, plan.origin,
                            work=staged.dir / "work.duckdb", member=member, head=heads[0])
        else:
            for head in heads:
                head.discard()
            db.build_into(candidate, files, data_dir, names={dataset: plan.export_name}, previous=current,
                          origins={dataset: plan.origin})
    except ExportError as exc:  # a stored export of another dataset is broken (or the merge did not round-trip)
        plan.problems = [p for p in exc.problems if p.severity == "error"]
        plan.stored_problems = True
        sources.remove(candidate)
        return plan
    plan.fingerprint = db.read_meta(candidate)["fingerprint"]
    plan.timings["candidate_build"] = time.perf_counter() - t0 - sum(plan.timings.values())
    if member is None:  # an appended export was read back by write_member already
        check_round_trip(staged.dir, candidate, dataset)
    plan.timings["read_back_check"] = time.perf_counter() - t0 - sum(plan.timings.values())
    if span and span[0] is not None:
        plan.period = (span[0].isoformat(), span[1].isoformat())
        plan.kpis = _kpis(dataset, Period(span[0], span[1], "range"), current, candidate)
        plan.timings["kpis"] = time.perf_counter() - t0 - sum(plan.timings.values())
    plan.ok = True
    plan.seconds = time.perf_counter() - t0
    progress("done", plan.rows_upload, plan.seconds)
    return plan


def _kpis(dataset: str, period: Period, current: Path | None, candidate: Path) -> list[dict]:
    keys = KPI_KEYS[dataset]

    def values(path):
        if path is None:
            return {}
        con = duckdb.connect(str(path), read_only=True)
        try:
            return kpi.compute(period, None, con=con)[dataset]
        finally:
            con.close()

    before, after = values(current), values(candidate)
    return [{"key": k, "before": before.get(k), "after": after.get(k)} for k in keys]


# --- apply, rollback, audit -------------------------------------------------------------------------

def apply(plan: Plan, who: str | None = None, data_dir: Path | None = None, directory: Path | None = None) -> Path:
    """Install a dry run's candidate: new version, merged export in the data folder, audit entry."""
    data_dir = Path(data_dir or settings.path("data_dir"))
    directory = Path(directory or db.db_dir())
    if not plan.ok:
        raise ValueError("bản chạy thử có lỗi: không thể áp dụng")
    if not plan.changed:
        raise ValueError("tệp tải lên không làm thay đổi dữ liệu: không có gì để áp dụng")
    folder = staging.staging_root(directory) / plan.token
    candidate, export = folder / "candidate.duckdb", folder / "export" / plan.export_name
    if not candidate.exists() or not export.exists():
        raise StaleError("không còn kết quả chạy thử (đã áp dụng, đã hủy hoặc quá hạn); hãy chạy thử lại")
    with db.locked(directory):
        now = {k: db.file_hash(p) for k, p in db.find_exports(data_dir).items()}
        if now != plan.base:
            raise StaleError("dữ liệu đã thay đổi sau lần chạy thử (có người khác vừa nạp); hãy chạy thử lại")
        current = db.current_path(directory)
        version = db.promote(candidate, directory, point=False)
        tmp = data_dir / f".{plan.export_name}.upload-{plan.token}"
        try:
            try:  # the merged export is not written again once staged: linked in when on the same disk
                os.link(export, tmp)
            except OSError:
                shutil.copyfile(export, tmp)
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, data_dir / plan.export_name)
        finally:
            tmp.unlink(missing_ok=True)
        for suffix in db.SUFFIXES:  # the dataset's export under another suffix would shadow or be shadowed
            other = data_dir / f"{plan.dataset}{suffix}"
            if other.name != plan.export_name and other.exists():
                other.unlink()
        db._point_to(directory, version.name)
        db._prune(directory, int(settings.get("keep_versions")))
        log(directory, action="upload", who=who, dataset=plan.dataset, file=plan.upload_name,
            sha256=plan.upload_sha256, bytes=plan.upload_bytes, rows_upload=plan.rows_upload,
            rows_added=plan.added, rows_replaced=plan.replaced, rows_before=plan.rows_before,
            rows_after=plan.rows_after, version=version.name, previous=current.name if current else None,
            build=plan.build, build_reason=plan.build_reason)
    staging.discard(plan.token, directory)
    return version


def rollback(n: int, who: str | None = None, data_dir: Path | None = None, directory: Path | None = None) -> Path:
    """Make version ``n`` (0 = newest) current again, data folder included, and log it."""
    directory = Path(directory or db.db_dir())
    with db.locked(directory):
        current = db.current_path(directory)
        target = db.rollback(n, directory, data_dir)
        meta = db.read_meta(target)
        files = json.loads(meta.get("files") or "[]")
        log(directory, action="rollback", who=who, dataset=None, file=None, fingerprint=meta.get("fingerprint"),
            rows_after=sum(f.get("rows", 0) for f in files), version=target.name,
            previous=current.name if current else None)
    return target


def log(directory: Path, **entry) -> None:
    """Append one entry to the audit log (JSON Lines, in the database folder)."""
    who = entry.pop("who")  # None only without login; a signed-in user's name is written as given
    entry = {"at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "who": NOBODY if who is None else who,
             **entry}
    path = Path(directory) / AUDIT_FILE
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def audit(directory: Path | None = None, limit: int = 200) -> list[dict]:
    """The audit log, newest first."""
    path = Path(directory or db.db_dir()) / AUDIT_FILE
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return out[::-1][:limit]
