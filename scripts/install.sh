#!/usr/bin/env bash
# One command installs everything: Debian packages (Chromium for the browser tests,
# LibreOffice Impress for the deck check, fonts with Vietnamese glyphs) and the pinned Python packages.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  need=()
  for pkg in chromium fonts-noto-core libreoffice-impress; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
  done
  if [ ${#need[@]} -gt 0 ]; then
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
  fi
fi
python -m pip install -q -r requirements.txt
