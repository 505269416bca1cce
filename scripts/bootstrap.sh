#!/usr/bin/env bash
# Creates (or reuses) .venv inside the checkout and installs the project with its extras.
# Sourced by scripts/demo.sh and scripts/test.sh; safe to run again (re-installs only when
# pyproject.toml changed).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null 2>&1 || PY=python3

# Debian libraries that Qt (offscreen and xcb), QtMultimedia and the tests need; chromium for
# the back office's browser tests (tests/web: Playwright drives Debian's, it downloads none).
APT_PACKAGES=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libglib2.0-0
  libdbus-1-3 libxcb-cursor0 libpulse0 libasound2 libgstreamer1.0-0
  libgstreamer-plugins-base1.0-0 libusb-1.0-0 libxcb-icccm4 libxcb-keysyms1 xvfb chromium)

missing_apt() {
  local p missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  echo "${missing[@]:-}"
}

if command -v dpkg >/dev/null 2>&1; then
  missing="$(missing_apt)"
  if [ -n "$missing" ]; then
    if [ "$(id -u)" = "0" ]; then
      echo "bootstrap: installing Debian packages: $missing"
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing) >/dev/null \
        || echo "bootstrap: warning: apt-get failed; Qt sound, screenshots or the browser tests may be unavailable"
    else
      echo "bootstrap: please run as root: apt-get install -y $missing"
    fi
  fi
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "bootstrap: creating $VENV"
  "$PY" -m venv "$VENV"
fi
STAMP="$VENV/.installed-$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)"
if [ ! -f "$STAMP" ]; then
  echo "bootstrap: installing the project into $VENV"
  LOG="$VENV/install.log"
  if ! { "$VENV/bin/python" -m pip install --upgrade pip &&
         "$VENV/bin/python" -m pip install -e "$ROOT[server,dev]"; } >"$LOG" 2>&1; then
    tail -n 40 "$LOG" >&2
    echo "bootstrap: installing the project failed; the whole log is $LOG" >&2
    exit 1
  fi
  rm -f "$VENV"/.installed-*
  touch "$STAMP"
fi
