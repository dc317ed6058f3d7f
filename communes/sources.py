"""The exports a database version was built from, kept beside it as read-only files.

A version ``communes-….duckdb`` keeps the exact bytes of its exports in the folder
``communes-….sources`` (``folder``): each export as one or more parts, ``<dataset>.<part>``, whose
concatenation is the export. The version's table ``source_files`` lists them (dataset, file name,
sha256 of the whole export, part, bytes). A version built on the previous one (a month of dossiers
appended, ``communes.increment``) hard-links the previous version's parts and adds the new bytes
as a part of their own: the history is neither copied nor read again, and pruning a version
removes only its links. Parts are never written after they are made (read-only), so a link shared
by two versions holds the same bytes for both.

Versions built before this layout stored the bytes in ``source_files.data``; they are still read.
"""
from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

CHUNK = 4 << 20  # bytes read and written at a time
COLUMNS = "dataset varchar, file varchar, sha256 varchar, part integer, bytes bigint"
TYPES = ("varchar", "varchar", "varchar", "integer", "bigint")


def folder(version: Path) -> Path:
    """The folder of ``version``'s exports.

    >>> folder(Path("/db/communes-1-ab.duckdb")).name
    'communes-1-ab.sources'
    """
    return Path(version).with_suffix(".sources")


def part_path(version: Path, dataset: str, part: int) -> Path:
    return folder(version) / f"{dataset}.{part}"


def write_part(src: Path, dest: Path) -> tuple[str, int]:
    """Copy ``src`` to ``dest`` (flushed to disk, then read-only); the sha256 and size of the bytes copied."""
    h, n = hashlib.sha256(), 0
    with open(src, "rb") as fh, open(dest, "xb") as out:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
            out.write(chunk)
            n += len(chunk)
        out.flush()
        os.fsync(out.fileno())
    os.chmod(dest, 0o444)
    return h.hexdigest(), n


def copy_version(previous: Path, version: Path, stop=None, block: int = 64 << 20) -> bool:
    """Copy the version ``previous`` to ``version``: its file (by the kernel, ``block`` bytes at a time) and its
    exports (hard links: no byte copied). ``stop`` (an Event) set stops the copy between blocks, leaving it
    unfinished; the result says whether the copy is complete."""
    remove(version)
    with open(previous, "rb") as src, open(version, "xb") as dest:
        size, at = os.fstat(src.fileno()).st_size, 0
        while at < size:
            if stop is not None and stop.is_set():
                return False
            sent = os.sendfile(dest.fileno(), src.fileno(), at, min(block, size - at))
            if sent == 0:
                raise OSError(f"{previous}: ended at {at} of {size} bytes while copied")
            at += sent
    folder(version).mkdir()
    for p in folder(previous).iterdir():
        os.link(p, folder(version) / p.name)
    return True


def sync(version: Path) -> None:
    """Flush the folder's entries to disk (the parts themselves are flushed as they are written)."""
    fd = os.open(folder(version), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _blobs(con) -> bool:
    """True for a version of the older layout (the bytes in ``source_files.data``)."""
    return bool(con.execute("select count(*) from duckdb_columns() where table_name = 'source_files' "
                            "and column_name = 'data' and database_name = current_database()").fetchone()[0])


def listed(con) -> list[tuple[str, str, str, int]]:
    """(dataset, file, sha256, bytes) of each export the version on ``con`` stores."""
    size = "octet_length(data)" if _blobs(con) else "bytes"
    return [(d, f, h, int(n)) for d, f, h, n in con.execute(
        f"select dataset, file, sha256, sum({size}) from source_files group by all order by dataset").fetchall()]


def chunks(con, version: Path, dataset: str) -> Iterator[bytes]:
    """The bytes of ``dataset``'s export stored by ``version`` (open on ``con``), in order."""
    if _blobs(con):
        cur = con.execute("select data from source_files where dataset = ? order by part", [dataset])
        while (row := cur.fetchone()) is not None:
            yield row[0]
        return
    parts = con.execute("select part, bytes from source_files where dataset = ? order by part", [dataset]).fetchall()
    for part, size in parts:
        path = part_path(version, dataset, part)
        if path.stat().st_size != size:
            raise ValueError(f"{path.name}: tệp lưu bị hỏng ({path.stat().st_size} byte, phiên bản ghi {size} byte)")
        with open(path, "rb") as fh:
            while chunk := fh.read(CHUNK):
                yield chunk


def remove(version: Path) -> None:
    """Remove a database file, its write-ahead log and its exports' folder."""
    Path(version).unlink(missing_ok=True)
    Path(str(version) + ".wal").unlink(missing_ok=True)
    shutil.rmtree(folder(version), ignore_errors=True)


def move(src: Path, dest: Path) -> None:
    """Move a complete version (its exports' folder first, then the file that makes it a version)."""
    if folder(src).exists():
        os.replace(folder(src), folder(dest))
    os.replace(src, dest)
