#!/usr/bin/env bash
# Copy data/ (the exports) and the current database version (its file and the folder of the exports it
# was built from) with its pointer and the audit log into
# DEST/communes-STAMP.tar.gz, holding the database folder's lock (the same flock that builds, uploads and
# rollbacks take), so the copy never sees half an upload; pages keep being served meanwhile. Keeps the
# 30 newest copies. Paths are stored without their leading "/": restore with tar -xzf FILE -C /.
#   deploy/backup.sh /var/backups/communes
set -euo pipefail
cd "$(dirname "$0")/.."
dest="${1:?usage: deploy/backup.sh DEST}"
db="$(realpath "${COMMUNES_DB_DIR:-var/db}")"
data="$(realpath "${COMMUNES_DATA_DIR:-data}")"
mkdir -p "$dest"
out="$(realpath "$dest")/communes-$(date -u +%Y%m%dT%H%M%SZ).tar.gz"
flock "$db" bash -c '
  set -euo pipefail
  db="$1" data="$2" out="$3"
  cur="$(cat "$db/CURRENT")"
  files=("${data#/}" "${db#/}/CURRENT" "${db#/}/$cur")
  [ -d "$db/${cur%.duckdb}.sources" ] && files+=("${db#/}/${cur%.duckdb}.sources")
  [ -f "$db/audit.jsonl" ] && files+=("${db#/}/audit.jsonl")
  tar -czf "$out.partial" -C / "${files[@]}"
' _ "$db" "$data" "$out"
mv "$out.partial" "$out"
ls -1t "$(dirname "$out")"/communes-*.tar.gz | tail -n +31 | xargs -r rm --
echo "$out"
