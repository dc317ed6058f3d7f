"""An upload on its way in: streamed to the staging folder in chunks, size-limited, its file name made
safe and its dataset guessed from that name.

A staged upload waits in ``<database folder>/.staging/<token>/`` for its dry run (``communes.steward``),
which keeps the folder for the apply or removes it (``discard``); folders older than a day are removed
by the next upload.
"""
from __future__ import annotations

import contextlib
import hashlib
import re
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

from communes import db, fmt, settings
from communes.names import ascii_key
from communes.readers import Problem

STAGING = ".staging"
STALE_HOURS = 24
READ_CHUNK = 1 << 20

# File names (ascii_key) that say which dataset an upload is: "du-lich-07-2025.xlsx" → tourism.
NAME_HINTS = {  # visits first: "kết luận" holds "lua" (rice)
    "visits": ("visit", "kiem tra", "ket luan", "kien nghi", "theo doi"),
    "dossiers": ("dossier", "ho so", "hoso", "tthc"), "tourism": ("tourism", "du lich", "dulich"),
    "agriculture": ("agri", "nong nghiep", "lua", "trong trot"), "fishery": ("fish", "thuy san", "thuysan"),
    "staffing_fields": ("staffing fields", "chuyen mon", "can bo linh vuc"),  # before "staffing": both say "staff"
    "staffing": ("staff", "nhan luc", "bien che", "can bo"), "units": ("units", "dan so", "don vi"),
    "events": ("event", "su kien"),
}


class UploadError(Exception):
    """An upload refused before or while staging (type, size, unreadable XLSX); carries problems."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))



@dataclass
class Staged:
    token: str
    dir: Path
    name: str  # the uploaded file's own name, for messages only (never a path, never HTML)
    raw: Path  # the bytes as uploaded
    kind: str  # "csv", "gz" or "xlsx"
    sha256: str
    size: int


def staging_root(directory: Path | None = None) -> Path:
    return Path(directory or db.db_dir()) / STAGING


def max_bytes() -> int:
    return int(float(settings.get("upload_max_mb")) * 1024 * 1024)


def clean_name(name: str) -> str:
    """The base name of an uploaded file, whatever path or separators the browser sent.

    >>> clean_name("C:\\\\Users\\\\a\\\\du lịch.xlsx"), clean_name("../../etc/passwd")
    ('du lịch.xlsx', 'passwd')
    """
    base = PureWindowsPath(str(name)).name
    base = base.rsplit("/", 1)[-1].strip().replace("\x00", "")
    return base or "tệp không tên"


def kind_of(name: str) -> str | None:
    """csv, gz or xlsx from the file name; None for anything else.

    >>> kind_of("a.CSV"), kind_of("b.csv.gz"), kind_of("c.xlsx"), kind_of("d.xls")
    ('csv', 'gz', 'xlsx', None)
    """
    low = name.lower()
    if low.endswith(".gz"):
        return "gz"
    if low.endswith((".csv", ".tsv", ".txt")):
        return "csv"
    if low.endswith(".xlsx"):
        return "xlsx"
    return None


def _too_big(name: str, size: int) -> Problem:
    limit = float(settings.get("upload_max_mb"))
    return Problem(name, None, None, None,
                   f"tệp quá lớn: {fmt.number(size / 1024 / 1024, 1)} MB, vượt giới hạn {fmt.number(limit)} MB "
                   "(cài đặt COMMUNES_UPLOAD_MAX_MB); hãy nén tệp CSV thành .csv.gz hoặc tách theo tháng")


def stage(source, name: str, directory: Path | None = None) -> Staged:
    """Copy an upload (a binary file object, or a path) to the staging folder in 1 MB chunks.

    The size limit is checked before (when the size is known) and while copying; the whole file
    is never held in memory here.
    """
    name = clean_name(name)
    kind = kind_of(name)
    if kind is None:
        hint = (" (tệp .xls của Excel 97–2003: hãy lưu lại dạng .xlsx hoặc CSV UTF-8)"
                if name.lower().endswith(".xls") else "")
        raise UploadError([Problem(name, None, None, None, f"chỉ nhận tệp CSV, CSV.GZ hoặc XLSX{hint}")])
    limit = max_bytes()
    known = getattr(source, "size", None)
    if isinstance(source, (str, Path)):
        known = Path(source).stat().st_size
    if known is not None and known > limit:
        raise UploadError([_too_big(name, known)])
    root = staging_root(directory)
    _clean_stale(root)
    token = uuid.uuid4().hex
    folder = root / token
    folder.mkdir(parents=True)
    raw = folder / {"csv": "upload.csv", "gz": "upload.csv.gz", "xlsx": "upload.xlsx"}[kind]
    h, size = hashlib.sha256(), 0
    try:
        with contextlib.ExitStack() as stack:
            fh = stack.enter_context(open(source, "rb")) if isinstance(source, (str, Path)) else source
            if getattr(fh, "seekable", lambda: False)():
                fh.seek(0)  # a Streamlit upload read before (the bytes stay in Streamlit's own buffer)
            out = stack.enter_context(open(raw, "wb"))
            while chunk := fh.read(READ_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise UploadError([_too_big(name, size)])
                h.update(chunk)
                out.write(chunk)
    except BaseException:
        discard(token, directory)
        raise
    return Staged(token, folder, name, raw, kind, h.hexdigest(), size)


def _clean_stale(root: Path) -> None:
    if not root.exists():
        return
    cutoff = time.time() - STALE_HOURS * 3600
    for d in root.iterdir():
        try:
            if d.stat().st_mtime < cutoff:
                shutil.rmtree(d, ignore_errors=True)
        except OSError:
            pass


def discard(token_or_plan, directory: Path | None = None) -> None:
    """Remove a staged upload and its dry-run files."""
    token = getattr(token_or_plan, "token", token_or_plan)
    if not re.fullmatch(r"[0-9a-f]{32}", str(token)):
        return
    root = staging_root(directory)
    shutil.rmtree(root / token, ignore_errors=True)
    try:
        root.rmdir()  # only when empty
    except OSError:
        pass


def guess_dataset(name: str) -> str | None:
    """The dataset a file name suggests, if any.

    >>> guess_dataset("Du lịch tháng 7.xlsx"), guess_dataset("HoSo_2025-07.csv.gz"), guess_dataset("x.csv")
    ('tourism', 'dossiers', None)
    """
    key = ascii_key(re.sub(r"[_\-.]+", " ", name))
    squeezed = key.replace(" ", "")
    for ds, hints in NAME_HINTS.items():
        if any(h in key or h.replace(" ", "") in squeezed for h in hints):
            return ds
    return None
