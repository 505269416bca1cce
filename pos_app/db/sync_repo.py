"""``SyncRepository`` on SQLite: holds, reconciliation items and the outbox's verdicts.

Plain SQL on the driver connection of the unit of work (like ``SqlSettingsRepository``): the
worker reads a batch and records its verdicts for every few hundred operations, and the points
use case asks for a guest's unreflected holds during a payment.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from pos_app.db import models_sync  # noqa: F401 - the sync tables on the one metadata
from pos_app.db.codec import load_json
from pos_app.services.ports import OutboxEntry
from pos_app.services.ports_sync import HoldRecord, QueueStats, ReconciliationItem

_HOLD_COLS = ("hold_id, guest_id, amount, created_at, sale_id, offline, status, "
              "committed_amount, reflected")  # fmt: skip
_ITEM_COLS = "op_id, seq, kind, verdict, reason, message, at, payload, resolved"
_OP_COLS = "op_id, terminal_id, seq, created_at, kind, payload, status, attempts, last_error"


def _ts(at: datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("naive datetime: store times as aware UTC")
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def _dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _hold(row: Sequence[Any]) -> HoldRecord:
    return HoldRecord(
        hold_id=row[0], guest_id=row[1], amount=row[2], created_at=_dt(row[3]), sale_id=row[4],
        offline=bool(row[5]), status=row[6], committed_amount=row[7], reflected=bool(row[8]),
    )  # fmt: skip


def _hold_values(hold: HoldRecord) -> tuple[Any, ...]:
    return (hold.hold_id, hold.guest_id, hold.amount, _ts(hold.created_at), hold.sale_id,
            int(hold.offline), hold.status, hold.committed_amount, int(hold.reflected))  # fmt: skip


def _entry(row: Sequence[Any]) -> OutboxEntry:
    return OutboxEntry(row[0], row[1], row[2], _dt(row[3]), row[4], load_json(row[5]),
                       row[6], row[7], row[8])  # fmt: skip


class SqlSyncRepository:
    def __init__(self, raw: sqlite3.Connection) -> None:
        self._raw = raw

    # --- holds ---------------------------------------------------------------------------
    def add_hold(self, hold: HoldRecord) -> None:
        self._raw.execute(f"INSERT INTO sync_holds ({_HOLD_COLS}) VALUES (?,?,?,?,?,?,?,?,?)",
                          _hold_values(hold))  # fmt: skip

    def save_hold(self, hold: HoldRecord) -> None:
        self._raw.execute(
            "UPDATE sync_holds SET guest_id=?, amount=?, created_at=?, sale_id=?, offline=?,"
            " status=?, committed_amount=?, reflected=? WHERE hold_id=?",
            (*_hold_values(hold)[1:], hold.hold_id),
        )

    def get_hold(self, hold_id: str) -> HoldRecord | None:
        row = self._raw.execute(
            f"SELECT {_HOLD_COLS} FROM sync_holds WHERE hold_id = ?", (hold_id,)
        ).fetchone()
        return None if row is None else _hold(row)

    def holds_for_sale(self, sale_id: str) -> Sequence[HoldRecord]:
        rows = self._raw.execute(
            f"SELECT {_HOLD_COLS} FROM sync_holds WHERE sale_id = ? ORDER BY created_at, rowid",
            (sale_id,),
        )
        return [_hold(r) for r in rows]

    def unreflected_holds(self, guest_id: str) -> Sequence[HoldRecord]:
        rows = self._raw.execute(
            f"SELECT {_HOLD_COLS} FROM sync_holds WHERE guest_id = ? AND reflected = 0",
            (guest_id,),
        )
        return [_hold(r) for r in rows]

    def mark_reflected(self, before: datetime) -> int:
        # A hold is named by its operations' payload; a pending one keeps it unreflected.
        cursor = self._raw.execute(
            "UPDATE sync_holds SET reflected = 1 WHERE reflected = 0 AND created_at <= ?"
            " AND hold_id NOT IN (SELECT json_extract(payload, '$.hold_id') FROM outbox"
            "  WHERE status = 'pending' AND kind LIKE 'hold.%')",
            (_ts(before),),
        )
        return cursor.rowcount

    def open_hold_ids(self) -> Sequence[str]:
        rows = self._raw.execute("SELECT hold_id FROM sync_holds WHERE status = 'open'")
        return [r[0] for r in rows]

    # --- reconciliation items --------------------------------------------------------------
    def add_item(self, item: ReconciliationItem) -> None:
        self._raw.execute(
            f"INSERT OR REPLACE INTO sync_items ({_ITEM_COLS}) VALUES (?,?,?,?,?,?,?,?,?)",
            (item.op_id, item.seq, item.kind, item.verdict, item.reason[:64], item.message,
             _ts(item.at), json.dumps(dict(item.payload), ensure_ascii=False, sort_keys=True),
             int(item.resolved)),
        )  # fmt: skip

    def items(self, *, include_resolved: bool = False) -> Sequence[ReconciliationItem]:
        where = "" if include_resolved else " WHERE resolved = 0"
        rows = self._raw.execute(f"SELECT {_ITEM_COLS} FROM sync_items{where} ORDER BY seq")
        return [ReconciliationItem(r[0], r[1], r[2], r[3], r[4], r[5], _dt(r[6]),
                                   json.loads(r[7]), bool(r[8])) for r in rows]  # fmt: skip

    def resolve_item(self, op_id: str) -> None:
        self._raw.execute("UPDATE sync_items SET resolved = 1 WHERE op_id = ?", (op_id,))

    # --- the outbox's verdicts ---------------------------------------------------------------
    def waiting(self, limit: int, after: int = 0) -> Sequence[OutboxEntry]:
        rows = self._raw.execute(
            f"SELECT {_OP_COLS} FROM outbox WHERE status = 'pending' AND seq > ?"
            " ORDER BY seq LIMIT ?",
            (after, limit),
        )
        return [_entry(r) for r in rows]

    def first_waiting(self) -> int | None:
        seq = self._raw.execute("SELECT min(seq) FROM outbox WHERE status = 'pending'").fetchone()
        return None if seq[0] is None else int(seq[0])

    def mark(self, op_id: str, status: str, error: str | None = None) -> None:
        self._raw.execute(
            "UPDATE outbox SET status = ?, last_error = ?, attempts = attempts + 1"
            " WHERE op_id = ?",
            (status, error, op_id),
        )

    def stats(self) -> QueueStats:
        count, oldest, items = self._raw.execute(
            "SELECT count(*), min(created_at),"
            " (SELECT count(*) FROM sync_items WHERE resolved = 0)"
            " FROM outbox WHERE status = 'pending'"
        ).fetchone()
        return QueueStats(count, None if oldest is None else _dt(oldest), items)

    def reopen_after(self, seq: int) -> int:
        cursor = self._raw.execute(
            "UPDATE outbox SET status = 'pending' WHERE seq > ? AND status != 'pending'", (seq,)
        )
        return cursor.rowcount

    def renumber_pending(self, after: int) -> int:
        # Through negative numbers: the new seqs may be ones pending rows hold now, and the
        # unique (terminal_id, seq) key is checked row by row. Their order is kept.
        rows = self._raw.execute(
            "SELECT op_id FROM outbox WHERE status = 'pending' ORDER BY seq"
        ).fetchall()
        self._raw.execute("UPDATE outbox SET seq = -seq WHERE status = 'pending'")
        self._raw.executemany(
            "UPDATE outbox SET seq = ? WHERE op_id = ?",
            [(after + index, row[0]) for index, row in enumerate(rows, start=1)],
        )
        self._raw.execute("UPDATE terminal_state SET next_seq = ? WHERE id = 1",
                          (after + len(rows) + 1,))  # fmt: skip
        return len(rows)

    def receipts_after(self, number: int) -> None:
        self._raw.execute("UPDATE terminal_state SET next_receipt_no = max(next_receipt_no, ?)"
                          " WHERE id = 1", (number + 1,))  # fmt: skip
