#!/usr/bin/env bash
# One command installs everything: Debian packages (Chromium and its headless build for the browser tests,
# LibreOffice Impress for the deck check, fonts with Vietnamese glyphs, nginx and openssl for
# `python -m communes stack`) and the pinned Python packages.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  need=()
  for pkg in chromium fonts-noto-core libreoffice-impress nginx openssl; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
  done
  if [ ${#need[@]} -gt 0 ]; then
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
  fi
  # Chromium's headless build makes the browser tests lighter; without it they drive the full browser.
  if ! dpkg -s chromium-headless-shell >/dev/null 2>&1; then
    { DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends chromium-headless-shell \
      || { $SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q \
           --no-install-recommends chromium-headless-shell; }; } \
      || echo "chromium-headless-shell not installed: the browser tests use chromium" >&2
  fi
fi
python -m pip install -q -r requirements.txt
# The sample's dossier export (8 MB) is generated, not committed: byte-identical to the hash in
# data/sample.json (deterministic, ~10 s). Only while data/ holds the bundled sample.
if [ -f data/sample.json ] && [ ! -f data/dossiers.csv.gz ]; then
  tmp="$(mktemp -d)"
  python -m communes sample --out "$tmp" >/dev/null
  python - "$tmp" <<'PY'
import hashlib, json, shutil, sys
from pathlib import Path
src = Path(sys.argv[1]) / "dossiers.csv.gz"
want = json.loads(Path("data/sample.json").read_text(encoding="utf-8"))["files"]["dossiers.csv.gz"]
got = hashlib.sha256(src.read_bytes()).hexdigest()
if got != want:
    sys.exit(f"generated sample dossiers differ from data/sample.json ({got} != {want})")
shutil.copy(src, "data/dossiers.csv.gz")
PY
  rm -rf "$tmp"
fi
