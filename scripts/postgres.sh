#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 for the chain-of-shops tests and
# exports POS_TEST_PG_URL when it does. Sourced by scripts/test.sh.
PG_HOST=127.0.0.1
PG_PORT=5432
pg_answers() {
  "$VENV/bin/python" - <<'PY' >/dev/null 2>&1
import socket, sys
s = socket.socket(); s.settimeout(1)
sys.exit(0 if s.connect_ex(("127.0.0.1", 5432)) == 0 else 1)
PY
}
if ! pg_answers; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "postgres: starting the local cluster"
    for v in $(ls /etc/postgresql); do
      pg_ctlcluster --skip-systemctl-redirect "$v" main start >/dev/null 2>&1 || true
    done
    sleep 2
  fi
fi
if pg_answers; then
  export POS_TEST_PG_URL="${POS_TEST_PG_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/postgres}"
  echo "postgres: using $POS_TEST_PG_URL"
else
  echo "postgres: NOT available on $PG_HOST:$PG_PORT: PostgreSQL tests will be skipped"
fi
