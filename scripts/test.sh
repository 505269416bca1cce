#!/usr/bin/env bash
# The whole check: ruff, mypy, import-linter contracts and the pytest suite.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source "$ROOT/scripts/bootstrap.sh"
source "$ROOT/scripts/postgres.sh"
export QT_QPA_PLATFORM=offscreen
BIN="$VENV/bin"

echo "== ruff"
"$BIN/ruff" check .
echo "== mypy"
"$BIN/mypy"
echo "== import-linter"
"$BIN/lint-imports"
echo "== pytest"
set +e
"$BIN/python" -m pytest "$@"
rc=$?
set -e
if [ "$rc" = "5" ]; then
  echo "test.sh: pytest collected no tests: that is a failure" >&2
  exit 1
fi
exit "$rc"
