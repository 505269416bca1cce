#!/bin/sh
# The Tillkeeper server image's entrypoint; everything is configured by environment
# (docs/deploy.md "The server kit"):
#
#   POS_SERVER_DATABASE_URL       SQLAlchemy URL; unset: SQLite in /var/lib/tillkeeper
#   POS_SERVER_DATABASE_URL_FILE  read the URL from this file instead (a Docker secret)
#   POS_SERVER_WORKERS            uvicorn worker processes of this container (default 1)
#   POS_SERVER_LOG_LEVEL          uvicorn's log level (default info)
#   POS_SERVER_DB_WAIT_SECONDS    how long to wait for the database at start (default 60)
#   POS_SERVER_*                  every other setting of pos_server/settings.py, read by
#                                 pos-server itself (port, TLS, limits, metrics token ...)
#
# Commands: "run" (the default: migrate, then serve), "migrate", "healthcheck" (exit 0 when
# GET /health answers 200), any other pos-server command ("terminal add Till 1"), or a
# program to run instead ("sh").
set -eu

die() {
    echo "tillkeeper: $*" >&2
    exit 2
}

if [ -n "${POS_SERVER_DATABASE_URL_FILE:-}" ]; then
    [ -r "$POS_SERVER_DATABASE_URL_FILE" ] \
        || die "POS_SERVER_DATABASE_URL_FILE=$POS_SERVER_DATABASE_URL_FILE cannot be read"
    POS_SERVER_DATABASE_URL=$(cat "$POS_SERVER_DATABASE_URL_FILE")
    export POS_SERVER_DATABASE_URL
fi
if [ -z "${POS_SERVER_DATABASE_URL:-}" ]; then
    data_dir=${TILLKEEPER_DATA_DIR:-/var/lib/tillkeeper}
    POS_SERVER_DATABASE_URL="sqlite:///$data_dir/server.sqlite3"
    export POS_SERVER_DATABASE_URL
    echo "tillkeeper: POS_SERVER_DATABASE_URL is not set; using SQLite in $data_dir" >&2
fi

# Migrate, retrying while the database is not reachable yet (a compose start, a PostgreSQL
# restart). Several containers may do this at once: the migration takes a database lock.
migrate() {
    wait_seconds=${POS_SERVER_DB_WAIT_SECONDS:-60}
    case $wait_seconds in
        '' | *[!0-9]*) die "POS_SERVER_DB_WAIT_SECONDS=$wait_seconds is not a whole number" ;;
    esac
    started=$(date +%s)
    while ! pos-server migrate; do
        if [ $(($(date +%s) - started)) -ge "$wait_seconds" ]; then
            die "the database could not be migrated within $wait_seconds s (see above)"
        fi
        echo "tillkeeper: the database is not ready; trying again in 2 s" >&2
        sleep 2
    done
}

healthcheck() {
    exec python3 - <<'PY'
import os, ssl, sys, urllib.request
tls = bool(os.environ.get("POS_SERVER_TLS_CERT"))
url = f"{'https' if tls else 'http'}://127.0.0.1:{os.environ.get('POS_SERVER_PORT', '8765')}/health"
context = ssl._create_unverified_context() if tls else None  # loopback, the same container
try:
    with urllib.request.urlopen(url, timeout=5, context=context) as answer:
        sys.exit(0 if answer.status == 200 else 1)
except Exception as exc:  # 503 (database unreachable) comes here as HTTPError
    print(f"unhealthy: {exc}", file=sys.stderr)
    sys.exit(1)
PY
}

command=${1:-run}
case $command in
    run)
        [ $# -gt 0 ] && shift
        workers=${POS_SERVER_WORKERS:-1}
        case $workers in
            '' | *[!0-9]* | 0) die "POS_SERVER_WORKERS=$workers is not a positive number" ;;
        esac
        migrate
        exec pos-server run --workers "$workers" --log-level "${POS_SERVER_LOG_LEVEL:-info}" "$@"
        ;;
    migrate)
        migrate
        ;;
    healthcheck)
        healthcheck
        ;;
    -*)
        die "unknown option $command (commands: run, migrate, healthcheck, pos-server's own)"
        ;;
    *)
        if pos-server "$command" --help >/dev/null 2>&1; then
            exec pos-server "$@"
        fi
        exec "$@"
        ;;
esac
