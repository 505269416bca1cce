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
# both cores (POS_TEST_WORKERS=0: one process); a file's tests stay on one worker
"$BIN/python" -m pytest -n "${POS_TEST_WORKERS:-2}" --dist loadfile "$@"
rc=$?
set -e
if [ "$rc" = "5" ]; then
  echo "test.sh: pytest collected no tests: that is a failure" >&2
  exit 1
fi
exit "$rc"
