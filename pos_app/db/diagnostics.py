"""What support may see of a till's store: its state, never its secrets or its guests.

Read with a read-only SQLite connection (no migration, no lock held, and a store the till
cannot open any more still says what it can). Taken: the schema revision, the terminal's
numbering, the outbox by status with the oldest waiting operation and the latest problems,
the reconciliation items and the print queue (kinds, states, errors - never an operation's
payload, a receipt's bytes, a guest or a staff member's PIN hash), row counts, and the
settings with anything named like a secret left out.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

RECENT = 20
SECRET_KEY = re.compile(r"secret|password|passw|pin|hash|salt|token(?!_store)|api_key", re.I)
COUNTED = ("products", "guests", "identifiers", "staff", "sales", "shifts", "console_orders")


def store_snapshot(path: Path) -> dict[str, Any]:
    """The store at ``path`` as plain data for ``pos-app diagnostics``."""
    if not path.exists():
        return {"path": str(path), "error": "no store at this path"}
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error as exc:
        return {"path": str(path), "error": f"cannot open: {exc}"}
    conn.row_factory = sqlite3.Row
    snapshot: dict[str, Any] = {"path": str(path), "size_bytes": path.stat().st_size}
    parts = {"schema": _schema, "terminal": _terminal, "outbox": _outbox,
             "reconciliation": _reconciliation, "print_queue": _print_queue,
             "counts": _counts, "settings": _settings}  # fmt: skip
    try:
        for name, read in parts.items():
            try:
                snapshot[name] = read(conn)
            except sqlite3.Error as exc:  # a damaged or older store: say so, go on
                snapshot[name] = {"error": str(exc)}
    finally:
        conn.close()
    return snapshot


def _rows(conn: sqlite3.Connection, sql: str, *args: Any) -> list[dict[str, Any]]:
    return [dict(row) for row in conn.execute(sql, args)]


def _schema(conn: sqlite3.Connection) -> dict[str, Any]:
    version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    integrity = conn.execute("PRAGMA quick_check").fetchone()
    return {"revision": version[0] if version else None, "quick_check": integrity[0]}


def _terminal(conn: sqlite3.Connection) -> dict[str, Any] | None:
    rows = _rows(conn, "SELECT terminal_id, receipt_prefix, next_seq, next_receipt_no "
                       "FROM terminal_state")  # fmt: skip
    return rows[0] if rows else None


def _outbox(conn: sqlite3.Connection) -> dict[str, Any]:
    grouped = conn.execute("SELECT status, count(*) AS n FROM outbox GROUP BY status")
    by_status = {row["status"]: row["n"] for row in grouped}
    pending = conn.execute(
        "SELECT min(created_at), max(created_at), min(seq), max(attempts) FROM outbox "
        "WHERE status = 'pending'"
    ).fetchone()
    return {
        "by_status": by_status,
        "oldest_waiting_at": pending[0], "newest_waiting_at": pending[1],
        "first_waiting_seq": pending[2], "most_attempts": pending[3],
        "last_seq": conn.execute("SELECT max(seq) FROM outbox").fetchone()[0],
        "recent_problems": _rows(
            conn, "SELECT seq, kind, status, attempts, created_at, last_error FROM outbox "
            "WHERE last_error IS NOT NULL OR status = 'rejected' ORDER BY seq DESC LIMIT ?",
            RECENT,
        ),
        "waiting_kinds": {row["kind"]: row["n"] for row in conn.execute(
            "SELECT kind, count(*) AS n FROM outbox WHERE status = 'pending' GROUP BY kind")},
    }  # fmt: skip


def _reconciliation(conn: sqlite3.Connection) -> dict[str, Any]:
    return {
        "open": conn.execute("SELECT count(*) FROM sync_items WHERE resolved = 0").fetchone()[0],
        "recent": _rows(conn, "SELECT seq, kind, verdict, reason, message, at, resolved "
                              "FROM sync_items ORDER BY seq DESC LIMIT ?", RECENT),
    }  # fmt: skip


def _print_queue(conn: sqlite3.Connection) -> dict[str, Any]:
    return {
        "by_status": {row["status"]: row["n"] for row in conn.execute(
            "SELECT status, count(*) AS n FROM print_jobs GROUP BY status")},
        "recent": _rows(conn, "SELECT id, kind, printer, status, attempts, last_error, "
                              "created_at, printed_at FROM print_jobs ORDER BY id DESC LIMIT ?",
                        RECENT),
    }  # fmt: skip


def _counts(conn: sqlite3.Connection) -> dict[str, int | str]:
    counts: dict[str, int | str] = {}
    for table in COUNTED:
        try:
            counts[table] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        except sqlite3.Error as exc:
            counts[table] = str(exc)
    return counts


def _settings(conn: sqlite3.Connection) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    for row in conn.execute('SELECT "key", value FROM settings ORDER BY "key"'):
        key = row["key"]
        if SECRET_KEY.search(key):
            settings[key] = "<left out: may be a secret>"
            continue
        try:
            settings[key] = json.loads(row["value"])
        except ValueError:
            settings[key] = row["value"]
    return settings
