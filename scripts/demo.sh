#!/usr/bin/env bash
# The demo: installs everything, fills a demo store, and starts what the demo has so far —
# the central server (when present), the virtual receipt printer, and the desktop app (when
# present). Ctrl-C stops everything it started.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source "$ROOT/scripts/bootstrap.sh"
BIN="$VENV/bin"
DEMO="${POS_DEMO_DIR:-$ROOT/var/demo}"
PRINTER_PORT="${POS_DEMO_PRINTER_PORT:-9100}"
SERVER_PORT="${POS_DEMO_SERVER_PORT:-8765}"
mkdir -p "$DEMO/printer"

PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT INT TERM

till_enrolled() {
  "$BIN/python" - "$DEMO/till" <<'PY' 2>/dev/null
import sys
from pos_app.commands.store_factory import open_till_store
from pos_app.commands.sync_runtime import enrolled_terminal
with open_till_store(sys.argv[1]) as store:
    sys.exit(0 if enrolled_terminal(store) else 1)
PY
}

wait_for_server() {
  for _ in $(seq 1 100); do
    "$BIN/python" -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$SERVER_PORT/health', timeout=1)" \
      2>/dev/null && return 0
    sleep 0.2
  done
  echo "demo: the server did not answer on port $SERVER_PORT"
  return 1
}

has_module() { "$BIN/python" -c "import importlib.util,sys; sys.exit(0 if importlib.util.find_spec('$1') else 1)" 2>/dev/null; }

echo "== demo store in $DEMO/till"
"$BIN/pos-app" demo-data --data-dir "$DEMO/till"

echo "== virtual receipt printer on 127.0.0.1:$PRINTER_PORT (jobs decoded into $DEMO/printer)"
"$BIN/pos-app" emulate printer --port "$PRINTER_PORT" --out "$DEMO/printer" &
PIDS+=($!)

if has_module pos_server.cli; then
  echo "== demo catalogue and guest groups on the central server (idempotent)"
  "$BIN/pos-server" catalogue import "$ROOT/pos_server/demo_data/catalogue.json" --db "sqlite:///$DEMO/server.sqlite3"
  "$BIN/pos-server" groups import "$ROOT/pos_server/demo_data/groups.json" --db "sqlite:///$DEMO/server.sqlite3"
  echo "== central server on http://127.0.0.1:$SERVER_PORT (database $DEMO/server.sqlite3)"
  "$BIN/pos-server" run --db "sqlite:///$DEMO/server.sqlite3" --host 127.0.0.1 --port "$SERVER_PORT" &
  PIDS+=($!)

  # Enrol the demo till before it writes any operation (a store with none takes the server's
  # terminal id); the token goes to a 0600 file in the demo folder (no keyring needed).
  if ! till_enrolled; then
    wait_for_server
    echo "== the demo till enrolled with the server (token in $DEMO/till.token)"
    CODE="$("$BIN/pos-server" terminal add "Demo till" --db "sqlite:///$DEMO/server.sqlite3" \
      | "$BIN/python" -c 'import json,sys; print(json.load(sys.stdin)["enrolment_code"])')"
    "$BIN/pos-app" till-sim --server "http://127.0.0.1:$SERVER_PORT" --data-dir "$DEMO/till" \
      --sales 0 --enrol-code "$CODE" --token-store "file:$DEMO/till.token" --timeout 30 \
      || echo "demo: the till could not enrol; it sells offline (not enrolled)"
  fi
  if till_enrolled; then  # the demo guests of the till's store, known to the server too (once)
    "$BIN/pos-app" demo-publish --data-dir "$DEMO/till"
  fi

  echo "== guest orders arrive every ${POS_DEMO_ORDER_SECONDS:-20} s (pos-server demo-order)"
  ( sleep 3
    while true; do
      "$BIN/pos-server" demo-order --db "sqlite:///$DEMO/server.sqlite3" --count 1 >/dev/null || true
      sleep "${POS_DEMO_ORDER_SECONDS:-20}"
    done ) &
  PIDS+=($!)

  if has_module pos_app.ui.console.window && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "== operator console (enrolled afresh for this demo run)"
    rm -rf "$DEMO/console"
    CODE="$("$BIN/pos-server" terminal add "Demo console" --db "sqlite:///$DEMO/server.sqlite3" \
      | "$BIN/python" -c 'import json,sys; print(json.load(sys.stdin)["enrolment_code"])')"
    ( sleep 2; exec "$BIN/pos-app" console --data-dir "$DEMO/console" --enrol "$CODE" \
        --server "http://127.0.0.1:$SERVER_PORT" --name "Demo" ) &
    PIDS+=($!)
  fi
fi

if has_module pos_app.ui.main_window && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  CARD_PORT="${POS_DEMO_CARD_PORT:-9300}"
  echo "== fake card terminal on 127.0.0.1:$CARD_PORT"
  "$BIN/python" -m pos_app.devices.acquiring.emulator --port "$CARD_PORT" &
  PIDS+=($!)
  echo "== the till (cashier PIN 1111, manager 9999)"
  WITH_CONSOLE=()
  [ -n "${POS_DEMO_TILL_CONSOLE:-}" ] && WITH_CONSOLE=(--with-console)  # orders as a till tab
  # --no-setup: the demo till is set up above (enrolled, or selling offline if it could not)
  "$BIN/pos-app" till --data-dir "$DEMO/till" --printer "127.0.0.1:$PRINTER_PORT" \
    --card-terminal "127.0.0.1:$CARD_PORT" --no-setup "${WITH_CONSOLE[@]}"
else
  sleep 1
  if has_module pos_app.commands.demo_sale; then
    echo "== a demo sale through the services, its receipt sent to the virtual printer"
    "$BIN/pos-app" demo-sale --data-dir "$DEMO/till" --printer "127.0.0.1:$PRINTER_PORT"
    if has_module pos_server.cli && till_enrolled; then
      echo "== the demo sale's operations delivered to the server"
      "$BIN/pos-app" till-sim --server "http://127.0.0.1:$SERVER_PORT" --data-dir "$DEMO/till" \
        --sales 0 --timeout 30 || echo "demo: not delivered yet; the till retries when it runs"
    fi
  fi
  echo
  echo "Demo running. Receipts: $DEMO/printer/job-*.txt. Press Ctrl-C to stop."
  wait
fi
