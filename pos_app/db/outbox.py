"""The outbox and the terminal's counters.

``append`` takes the next ``seq`` from the single ``terminal_state`` row with one
``UPDATE ... RETURNING`` inside the caller's transaction (begun ``IMMEDIATE``, so it holds the
write lock): a rolled-back sale gives its number back, so ``seq`` stays gap-free and increasing.
Receipt numbers are allocated the same way.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection

from pos_app.db.codec import dump_json, load_json
from pos_app.db.models import OutboxRow, TerminalState, table
from pos_app.domain.operations import Operation
from pos_app.domain.sale import format_receipt_no
from pos_app.services.ports import Clock, OutboxEntry, TerminalInfo

OUTBOX = table(OutboxRow)
TERMINAL = table(TerminalState)

# Plain SQL on the driver: these run in every sale, the compile step of Core costs more here.
_NEXT_SEQ = (
    "UPDATE terminal_state SET next_seq = next_seq + 1 WHERE id = 1"
    " RETURNING terminal_id, next_seq - 1"
)
_NEXT_RECEIPT = (
    "UPDATE terminal_state SET next_receipt_no = next_receipt_no + 1 WHERE id = 1"
    " RETURNING receipt_prefix, next_receipt_no - 1"
)
_INSERT_OP = (
    "INSERT INTO outbox (op_id, terminal_id, seq, created_at, kind, payload, status, attempts)"
    " VALUES (?, ?, ?, ?, ?, ?, 'pending', 0)"
)


class NotDurable(RuntimeError):
    """Operations must be written by a durable unit of work (see ``SqlUnitOfWork``)."""


def _entry(row: Any) -> OutboxEntry:
    return OutboxEntry(
        op_id=row.op_id,
        terminal_id=row.terminal_id,
        seq=row.seq,
        created_at=row.created_at,
        kind=row.kind,
        payload=load_json(row.payload),
        status=row.status,
        attempts=row.attempts,
        last_error=row.last_error,
    )


class SqlOutbox:
    """``append`` runs on the raw sqlite3 connection (hot path); the rest uses Core."""

    def __init__(
        self, conn: Connection, raw: sqlite3.Connection, clock: Clock, *, durable: bool = True
    ) -> None:
        self._conn = conn
        self._raw = raw
        self._clock = clock
        self._durable = durable

    def append(self, operation: Operation) -> OutboxEntry:
        return self.append_stored(operation.KIND, operation.to_json())

    def append_stored(self, kind: str, payload: Mapping[str, Any]) -> OutboxEntry:
        """A row of ``kind`` with ``payload`` exactly as given, unchecked: ``append`` writes
        every operation of this till; this is for rows of another format (tests, tools)."""
        if not self._durable:
            # A relaxed commit can vanish in a power cut after the worker pushed its seq; the
            # server would then see that seq again with another op_id. Never allow it.
            raise NotDurable(f"operation {kind!r} written by a non-durable unit of work")
        terminal_id, seq = self._raw.execute(_NEXT_SEQ).fetchone()
        at = self._clock.now().astimezone(UTC)
        entry = OutboxEntry(str(uuid.uuid4()), terminal_id, seq, at, kind, payload)
        self._raw.execute(
            _INSERT_OP,
            (
                entry.op_id,
                terminal_id,
                seq,
                at.isoformat(timespec="microseconds"),
                kind,
                dump_json(dict(payload)),
            ),
        )
        return entry

    def pending(self, limit: int = 100) -> Sequence[OutboxEntry]:
        rows = self._conn.execute(
            select(OUTBOX).where(OUTBOX.c.status == "pending").order_by(OUTBOX.c.seq).limit(limit)
        )
        return [_entry(r) for r in rows]

    def all(self) -> Sequence[OutboxEntry]:
        return [_entry(r) for r in self._conn.execute(select(OUTBOX).order_by(OUTBOX.c.seq))]

    def mark(self, op_id: str, status: str, error: str | None = None) -> None:
        """Record the server's verdict (``applied``/``rejected``) for one operation."""
        self._conn.execute(
            update(OUTBOX)
            .where(OUTBOX.c.op_id == op_id)
            .values(status=status, last_error=error, attempts=OUTBOX.c.attempts + 1)
        )

    def oldest_pending_at(self) -> datetime | None:
        oldest: datetime | None = self._conn.execute(
            select(func.min(OUTBOX.c.created_at)).where(OUTBOX.c.status == "pending")
        ).scalar()
        return oldest


def read_terminal(conn: Connection) -> TerminalInfo:
    row = conn.execute(
        select(TERMINAL.c.terminal_id, TERMINAL.c.receipt_prefix).where(TERMINAL.c.id == 1)
    ).one()
    return TerminalInfo(row.terminal_id, row.receipt_prefix)


class SqlTerminal:
    """The till's identity (read once per store: it does not change under a running till)."""

    def __init__(self, raw: sqlite3.Connection, info: TerminalInfo) -> None:
        self._raw = raw
        self._info = info

    def info(self) -> TerminalInfo:
        return self._info

    def next_receipt_no(self) -> str:
        prefix, number = self._raw.execute(_NEXT_RECEIPT).fetchone()
        return format_receipt_no(prefix, number)


def ensure_terminal(conn: Connection, terminal_id: str, receipt_prefix: str) -> None:
    """Create the terminal row on first start; an existing till keeps its identity."""
    exists = conn.execute(select(TERMINAL.c.id).where(TERMINAL.c.id == 1)).first()
    if exists is None:
        conn.execute(
            insert(TERMINAL),
            {
                "id": 1,
                "terminal_id": terminal_id,
                "receipt_prefix": receipt_prefix,
                "next_seq": 1,
                "next_receipt_no": 1,
            },
        )
