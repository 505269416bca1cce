#!/usr/bin/env bash
# The web pages' Russian catalogue: extract the messages of pos_server/web and
# pos_server/admin_web (Python and Jinja2), merge them into locale/ru/.../messages.po (translate
# the new ones there), compile messages.mo (shipped in the package). Run after changing texts.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BIN="${VENV:-$ROOT/.venv}/bin"
[ -x "$BIN/pybabel" ] || BIN="$(dirname "$(command -v pybabel)")"
LOCALE=pos_server/web/locale
"$BIN/pybabel" extract -F pos_server/web/babel.cfg --no-location --sort-output \
  -k _ -k gettext -o "$LOCALE/messages.pot" pos_server
if [ -f "$LOCALE/ru/LC_MESSAGES/messages.po" ]; then
  "$BIN/pybabel" update --no-fuzzy-matching --ignore-obsolete -i "$LOCALE/messages.pot" -d "$LOCALE" -l ru
else
  "$BIN/pybabel" init -i "$LOCALE/messages.pot" -d "$LOCALE" -l ru
fi
"$BIN/pybabel" compile --statistics -d "$LOCALE" -l ru
