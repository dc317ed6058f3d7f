#!/usr/bin/env bash
# Make a database version built on another machine (the build machine) current on this one:
# copy it (the file and, beside it, the folder of the exports it was built from: FILE.duckdb and
# FILE.sources) into the database folder under names no reader looks at, move them in under this
# machine's newest version name (the folder first, then the file: atomic on one file system), then `python -m communes rollback 0`, which, under the
# folder's lock, writes the exports stored in the version into data/ and points CURRENT at it. The
# replicas then find the exports' fingerprint equal to CURRENT's and build nothing; open pages keep the
# version their run started with.
#   PYTHON=/opt/communes/.venv/bin/python deploy/take-version.sh /srv/incoming/communes-….duckdb
set -euo pipefail
cd "$(dirname "$0")/.."
src="${1:?usage: deploy/take-version.sh FILE.duckdb}"
py="${PYTHON:-python3}"
db="${COMMUNES_DB_DIR:-var/db}"
tmp="$db/.incoming-$$.duckdb"
trap 'rm -rf "$tmp" "${tmp%.duckdb}.sources"' EXIT
cp "$src" "$tmp"
cp -r "${src%.duckdb}.sources" "${tmp%.duckdb}.sources"
name="$("$py" -c 'import sys; from communes import db; print(db.version_name(db.read_meta(sys.argv[1])["fingerprint"]))' "$tmp")"
mv "${tmp%.duckdb}.sources" "$db/${name%.duckdb}.sources"
mv "$tmp" "$db/$name"
"$py" -m communes rollback 0
echo "$db/$name"
