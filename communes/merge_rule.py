"""The merge rule: how an upload's rows and a dataset's stored rows make the merged export.

An upload replaces, in the stored export of its dataset, the rows of the cells it covers and keeps every
other row, so monthly exports can be added one by one. A cell is a unit and a period: (unit, month) for
tourism and fishery, (unit, year, season) for agriculture, (unit, date) for staffing and staffing_fields,
the unit for units, the month for events (all units); for visits the cell is one item, (visit date, unit,
text), so a follow-up list re-sent with new statuses replaces its earlier rows. Dossiers are matched by
``dossier_id``: an uploaded dossier replaces the stored one with the same id (its status may have
changed), new ids are added, and no dossier is ever removed by an upload.

The merged export is written with canonical headers, ISO dates and numbers that read back exactly, and
checked against the candidate version built from it. The tables live in the dry run's work database
(``upload`` as read, ``base`` as stored, ``merged``); the counts go into the dry run's plan
(``communes.steward.Plan``).
"""
from __future__ import annotations

import json
from pathlib import Path

import duckdb

from communes import db
from communes.contract import DATASETS
from communes.readers import _fold, read_into

# A cell of the merge rule, per dataset: (column of the preview, SQL over table alias {t}).
CELLS: dict[str, list[tuple[str, str]]] = {
    "tourism": [("unit_code", "{t}.unit_code"), ("period", "strftime({t}.month, '%Y-%m')")],
    "fishery": [("unit_code", "{t}.unit_code"), ("period", "strftime({t}.month, '%Y-%m')")],
    "agriculture": [("unit_code", "{t}.unit_code"), ("period", "cast({t}.year as varchar) || ' ' || {t}.season")],
    "staffing": [("unit_code", "{t}.unit_code"), ("period", "strftime({t}.as_of, '%Y-%m-%d')")],
    "staffing_fields": [("unit_code", "{t}.unit_code"), ("period", "strftime({t}.as_of, '%Y-%m-%d')")],
    "units": [("unit_code", "{t}.unit_code"), ("period", "''")],
    "events": [("unit_code", "cast(null as varchar)"), ("period", "strftime({t}.date, '%Y-%m')")],
    "dossiers": [("unit_code", "{t}.unit_code"), ("period", "strftime({t}.received_at, '%Y-%m')")],
    # an item of a visit: a later list's row replaces its earlier self, so statuses are updated in place; its
    # text compares as the reader's repeated-row check does (without case, diacritics or repeated spaces)
    "visits": [("unit_code", "{t}.unit_code"),
               ("period", "strftime({t}.visit_date, '%Y-%m-%d') || ' · ' || " + _fold("{t}.text"))],
}


def work_db(folder: Path) -> duckdb.DuckDBPyConnection:
    """The dry run's work database in its staging folder (``work.duckdb``, spilling into ``spill/``)."""
    con = duckdb.connect(str(folder / "work.duckdb"))
    con.execute(f"set memory_limit = '{db.MEMORY_LIMIT}'")
    con.execute("set enable_progress_bar = false")  # progress is reported by communes.progress
    spill = folder / "spill"
    spill.mkdir(exist_ok=True)
    con.execute("set temp_directory = ?", [str(spill)])
    return con


def _columns(con, table: str) -> list[str]:
    return [r[0] for r in con.execute(f"describe {table}").fetchall() if r[0] != "source_row"]


def load_base(con, dataset: str, base_path: Path | None, current: Path | None, ref, plan,
              lazy: bool = False) -> bool:
    """The stored rows of the dataset as table ``base``: from the current version when it was built
    from the same file (no second validation), else read from the data folder. With ``lazy``, ``base``
    is a view of the current version's table (attached while the work database is open), not a copy.
    Sets the dry run's ``plan.origin``, or its ``problems`` when the stored export is refused (False)."""
    if base_path is None:
        con.execute("create or replace table base as select * from upload limit 0")
        return True
    sha = db.file_hash(base_path)
    meta = db.read_meta(current) if current else {}
    entry = next((f for f in json.loads(meta.get("files") or "[]") if f.get("dataset") == dataset), None)
    if entry and entry.get("sha256") == sha:
        plan.origin = entry.get("origin") or "official"
        cols = ", ".join(_columns(con, "upload") + ["source_row"])
        con.execute(f"attach '{_sql_str(current)}' as cur (read_only)")
        if lazy:
            con.execute(f"create or replace temp view base as select {cols} from cur.{dataset}")
            return True
        con.execute(f"create or replace table base as select {cols} from cur.{dataset}")
        con.execute("detach cur")
        return True
    rep = read_into(con, base_path, dataset, ref, table="base")
    if rep.errors:
        plan.problems = rep.errors
        plan.stored_problems = True
        return False
    plan.origin = "official"
    return True


def _sql_str(path) -> str:
    return str(path).replace("'", "''")


def _cells(dataset: str, t: str) -> list[str]:
    return [expr.format(t=t) for _, expr in CELLS[dataset]]


def materialise_merged(con, dataset: str) -> None:
    """The merged dossiers (``merged``): the stored ones not replaced, then the upload's."""
    con.execute("""create or replace table merged as
        select * from base b where not exists (select 1 from upload u where u.dossier_id = b.dossier_id)
        union all select * from upload""")


def merge(con, dataset: str, plan, materialise: bool = True) -> None:
    """Merge ``upload`` into ``base`` by the rule (as table ``merged`` unless ``materialise`` is False: the
    dossiers of an append) and count the change into the dry run's ``plan``: rows per unit and period
    (``changes``), added, replaced, unchanged, before and after, and the origin of the result."""
    cols = _columns(con, "upload")
    listed = ", ".join(cols)
    if dataset == "dossiers":
        if materialise:
            materialise_merged(con, dataset)
        same = " and ".join(f"u.{c} is not distinct from b.{c}" for c in cols)
        rows = con.execute(f"""
            select u.unit_code, strftime(u.received_at, '%Y-%m') as period,
                   count(*) filter (where b.dossier_id is null) as added,
                   count(*) filter (where b.dossier_id is not null) as replaced,
                   count(*) filter (where b.dossier_id is not null and {same}) as unchanged
            from upload u left join base b on u.dossier_id = b.dossier_id
            group by all order by period, unit_code""").fetchall()
        plan.changes = [{"unit_code": u, "period": p, "added": a, "replaced": r, "unchanged": s}
                        for u, p, a, r, s in rows]
    else:
        match = " and ".join(f"{a} is not distinct from {b}" for a, b in zip(_cells(dataset, "u"), _cells(dataset, "b")))
        con.execute(f"""create or replace table merged as
            select * from base b where not exists (select 1 from upload u where {match})
            union all select * from upload""")
        names = [n for n, _ in CELLS[dataset]]

        def key(t):
            return ", ".join(f"{e} as {n}" for n, e in zip(names, _cells(dataset, t)))

        def on(a, b):
            return " and ".join(f"{a}.{n} is not distinct from {b}.{n}" for n in names)

        rows = con.execute(f"""
            with u as (select {key('u')}, count(*) as n_after from upload u group by all),
                 b as (select {key('b')}, count(*) as n_before from base b group by all),
                 s as (select {key('x')}, count(*) as n_same
                       from (select {listed} from upload intersect all select {listed} from base) x group by all)
            select u.unit_code, u.period, coalesce(b.n_before, 0), u.n_after, coalesce(s.n_same, 0)
            from u left join b on {on('u', 'b')} left join s on {on('u', 's')}
            order by u.period, u.unit_code""").fetchall()
        plan.changes = []
        for unit, period, before, after, same in rows:
            status = "added" if before == 0 else "unchanged" if same == after == before else "replaced"
            plan.changes.append({"unit_code": unit, "period": period, "rows_before": before, "rows_after": after,
                                 "status": status})
    plan.rows_before = con.execute("select count(*) from base").fetchone()[0]
    if dataset == "dossiers" and not materialise:  # ids are unique on both sides: each one not stored is added
        plan.rows_after = plan.rows_before + sum(c["added"] for c in plan.changes)
    else:
        plan.rows_after = con.execute("select count(*) from merged").fetchone()[0]
    if dataset == "dossiers":
        plan.added = sum(c["added"] for c in plan.changes)
        plan.replaced = sum(c["replaced"] for c in plan.changes)
        plan.unchanged = sum(c["unchanged"] for c in plan.changes)
        kept = plan.rows_before - plan.replaced
    else:
        plan.added = sum(c["rows_after"] for c in plan.changes if c["status"] == "added")
        plan.replaced = sum(c["rows_before"] for c in plan.changes if c["status"] != "added")
        plan.unchanged = sum(c["rows_before"] for c in plan.changes if c["status"] == "unchanged")
        kept = plan.rows_before - plan.replaced
    # an upload merged into sample rows leaves a mix; one that replaces every sample row is official
    plan.origin = "mixed" if plan.origin in ("sample", "mixed") and kept > 0 else "official"


# --- the merged export: canonical headers, ISO dates, numbers that read back exactly --------------

def _number(col: str) -> str:
    s = f"cast({col} as varchar)"
    s = f"(case when contains({s}, 'e') then rtrim(rtrim(printf('%.10f', {col}), '0'), '.') else {s} end)"
    return f"(case when regexp_full_match({s}, '-?\\d+\\.\\d{{3}}') then {s} || '0' else {s} end)"


def _canonical(dataset: str) -> list[str]:
    out = []
    for c in DATASETS[dataset].columns:
        n = c.name
        if c.kind == "unit":
            e = "unit_label"
        elif c.kind == "int":
            e = f"cast({n} as varchar)"
        elif c.kind == "number":
            e = _number(n)
        elif c.kind == "date":
            e = f"strftime({n}, '%Y-%m-%d')"
        elif c.kind == "month":
            e = f"strftime({n}, '%Y-%m')"
        elif c.kind == "datetime":
            day = f"strftime({n}, '%Y-%m-%d')"
            if n == "due_at":  # a date-only due time was stored as the end of that day
                e = (f"case when strftime({n}, '%H:%M:%S.%f') = '23:59:59.999999' then {day} "
                     f"else strftime({n}, '%Y-%m-%d %H:%M:%S') end")
            else:
                e = f"case when cast({n} as time) = time '00:00:00' then {day} else strftime({n}, '%Y-%m-%d %H:%M:%S') end"
        elif c.kind == "bool":
            e = f"case when {n} then '1' else '0' end"
        elif c.kind == "enum:channel":
            e = f"case {n} when 'direct' then '1' when 'online' then '2' when 'postal' then '3' end"
        else:
            e = n
        out.append(f"{e} as {n}")
    return out


def write_export(con, table: str, dataset: str, path: Path) -> None:
    """Write ``table`` (staging schema) as an export the reader accepts and reads back identically."""
    # a cell part that is the same for every row (the period of units, the unit of events) orders nothing
    varying = [expr.format(t=table) for _, expr in reversed(CELLS[dataset]) if "{t}" in expr]
    order = "" if dataset == "dossiers" else " order by " + "".join(
        f"{e} nulls first, " for e in varying) + f"{table}.source_row"
    gz = "gzip" if path.name.endswith(".gz") else "none"
    con.execute(f"copy (select {', '.join(_canonical(dataset))} from {table}{order}) to '{_sql_str(path)}' "
                f"(format csv, header true, delimiter ',', quote '\"', escape '\"', compression '{gz}')")


def check_round_trip(folder: Path, candidate: Path, dataset: str) -> None:
    """The candidate's table must hold exactly the merged rows (the export read back): same count and
    same order-independent sum of row hashes (one scan of each side, no sort or spill)."""
    con = work_db(folder)
    try:
        con.execute(f"attach '{_sql_str(candidate)}' as cand (read_only)")
        cols = ", ".join(_columns(con, "merged"))
        ours, theirs = (con.execute(f"select count(*), coalesce(sum(hash({cols})::hugeint), 0) from {t}").fetchone()
                        for t in ("merged", f"cand.{dataset}"))
    finally:
        con.close()
    if ours != theirs:
        raise RuntimeError(f"bản gộp đọc lại không khớp ({ours[0]} dòng gộp, {theirs[0]} dòng đọc lại); chưa áp dụng gì")
