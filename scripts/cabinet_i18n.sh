#!/usr/bin/env bash
# The guest cabinet's Russian catalogue (its own gettext domain "cabinet", merged over the web
# stack's): extract pos_server/cabinet_web (Python and Jinja2), merge into
# locale/ru/LC_MESSAGES/cabinet.po (translate the new ones there), compile cabinet.mo.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BIN="${VENV:-$ROOT/.venv}/bin"
[ -x "$BIN/pybabel" ] || BIN="$(dirname "$(command -v pybabel)")"
LOCALE=pos_server/cabinet_web/locale
"$BIN/pybabel" extract -F pos_server/cabinet_web/babel.cfg --no-location --sort-output \
  -k _ -k gettext -k CabinetRefused -o "$LOCALE/cabinet.pot" pos_server/cabinet_web
if [ -f "$LOCALE/ru/LC_MESSAGES/cabinet.po" ]; then
  "$BIN/pybabel" update -D cabinet --no-fuzzy-matching --ignore-obsolete -i "$LOCALE/cabinet.pot" -d "$LOCALE" -l ru
else
  "$BIN/pybabel" init -D cabinet -i "$LOCALE/cabinet.pot" -d "$LOCALE" -l ru
fi
"$BIN/pybabel" compile -D cabinet --statistics -d "$LOCALE" -l ru
