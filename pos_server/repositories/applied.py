"""Applied operations and the terminal's seq: what the pipeline reads before judging an
operation and writes after it (``pos_server/ops/pipeline.py``).

Every statement here runs for every operation a till sends, so each is a ``Fast`` statement
compiled once, and the round trips are as few as each dialect allows: the terminal row locked
and the op_id looked up in one statement; on PostgreSQL the applied row and the new seq in one
statement (a data-modifying CTE), and, for an operation alone in its transaction, sent with its
feed change and the COMMIT as one query (``fastexec.run_and_commit``); SQLite has no such CTE
and writes them one after the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from pos_server.db.fastexec import Fast, FastRow, run_and_commit
from pos_server.db.models import AppliedOperation, Terminal
from pos_server.ledger.feed_snapshots import OpChanges, counted_change, write_changes
from pos_server.uow import Repository

# The records below are read and made once per operation on the hot path: plain slotted
# dataclasses (a frozen one's __init__ costs twice as much).

@dataclass(slots=True)
class KnownOperation:
    """An op_id the server has judged before, with its stored verdict."""

    terminal_id: str
    payload_hash: str
    status: str
    reason: str | None
    message: str | None
    current: dict[str, Any] | None


@dataclass(slots=True)
class TerminalState:
    """The terminal's row as its operations need it: its last seq and its token's state."""

    last_seq: int
    token_hash: str | None
    revoked_at: datetime | None


@dataclass(slots=True)
class LockedTerminal(TerminalState):
    """The terminal row, locked until the operation's transaction ends, and the operation's
    op_id as the same statement found it (``None``: not found - see ``lock_terminal``)."""

    known: KnownOperation | None


@dataclass(slots=True)
class JudgedOperation:
    """One operation as stored in ``applied_operations``: what the till sent, the verdict."""

    seq: int
    kind: str
    created_at: datetime
    payload: Any
    payload_hash: str
    status: str
    reason: str | None
    message: str | None
    current: dict[str, Any] | None


class AppliedOperations(Repository):
    """The unit of work's operation (its terminal and op_id) in ``applied_operations`` and
    the terminal's ``last_seq``."""

    __slots__ = ()

    def lock_terminal(self) -> LockedTerminal | None:
        """The terminal row locked (PostgreSQL ``FOR UPDATE``; SQLite holds the write lock
        since BEGIN IMMEDIATE) and the op_id looked up, in one round trip; None: no such
        terminal.

        On PostgreSQL a statement that waited for the lock reads other tables as of its start,
        so an op_id stored by the previous lock holder may be missed: that holder moved
        ``last_seq`` on, so the caller's seq check fails and it asks ``known`` again."""
        uow = self._uow
        row = _TERMINAL_LOCKED.first(uow.connection, {"terminal_id": uow.terminal_id,
                                                      "op_id": uow.op_id})  # fmt: skip
        if row is None:
            return None
        known = None if row.op_id is None else _known(row)
        return LockedTerminal(row.last_seq, row.token_hash, row.revoked_at, known)

    def known(self) -> KnownOperation | None:
        """The op_id's stored verdict, read in a statement of its own."""
        row = _KNOWN.first(self._uow.connection, {"op_id": self._uow.op_id})
        return None if row is None else _known(row)

    def finish(self, judged: JudgedOperation, changes: OpChanges) -> None:
        """The operation's last writes: its applied row and the terminal's seq, and, when it
        is alone in its transaction, its feed changes (``changes``, last: the feed counter's
        lock is then held to the COMMIT only). Alone on PostgreSQL they go with the COMMIT as
        ONE query, so the transaction is committed when this returns. Grouped, the changes
        are the group's to write at its commit (``Commits``)."""
        uow = self._uow
        connection = uow.connection
        row = {
            "op_id": uow.op_id, "terminal_id": uow.terminal_id, "seq": judged.seq,
            "kind": judged.kind, "created_at": judged.created_at, "received_at": uow.now,
            "payload": judged.payload, "payload_hash": judged.payload_hash,
            "verdict": judged.status, "reason": judged.reason, "message": judged.message,
            "current": judged.current, "seq_terminal": uow.terminal_id, "new_seq": judged.seq,
        }  # fmt: skip
        if connection.dialect.name != "postgresql":
            _INSERT_APPLIED.run(connection, row)
            _SET_SEQ.run(connection, row)
            if uow.alone:
                write_changes(connection, changes)
            return
        if not uow.alone:
            _APPLIED_AND_SEQ.run(connection, row)
            return
        finish: list[tuple[Fast, dict[str, Any]]] = [(_APPLIED_AND_SEQ, row)]
        if len(changes) == 1:  # a hold or a commit: its account's snapshot
            finish.append(counted_change(changes))
        else:
            write_changes(connection, changes)
        run_and_commit(connection, finish)


# --- outside an operation (a batch without operations, the durable barrier) ---------------


def terminal_state(connection: Connection, terminal_id: str) -> TerminalState:
    """The terminal's row, unlocked (an empty batch asks for its last seq)."""
    row = connection.execute(_TERMINAL, {"terminal_id": terminal_id}).one()
    return TerminalState(row.last_seq, row.token_hash, row.revoked_at)


def touch_terminal(connection: Connection, terminal_id: str) -> None:
    """A write that changes nothing, for a commit that must wait for the disk (SQLite)."""
    connection.execute(_TOUCH_TERMINAL, {"terminal_id": terminal_id})


def _known(row: FastRow) -> KnownOperation:
    return KnownOperation(row.known_terminal_id, row.payload_hash, row.verdict, row.reason,
                          row.message, row.current)  # fmt: skip


# Statements built once with bound parameters: building an expression and its cache key on
# every call cost more CPU than the round trip to PostgreSQL (python -m bench server).
_TERMINAL = select(Terminal.last_seq, Terminal.token_hash, Terminal.revoked_at).where(
    Terminal.id == bindparam("terminal_id")
)
_KNOWN_COLUMNS = (
    AppliedOperation.op_id, AppliedOperation.payload_hash, AppliedOperation.verdict,
    AppliedOperation.reason, AppliedOperation.message, AppliedOperation.current,
    AppliedOperation.terminal_id.label("known_terminal_id"),
)  # fmt: skip
_KNOWN = Fast(select(*_KNOWN_COLUMNS).where(AppliedOperation.op_id == bindparam("op_id")))
_TERMINAL_LOCKED = Fast(
    select(Terminal.last_seq, Terminal.token_hash, Terminal.revoked_at, *_KNOWN_COLUMNS)
    .select_from(Terminal)
    .outerjoin(AppliedOperation, AppliedOperation.op_id == bindparam("op_id"))
    .where(Terminal.id == bindparam("terminal_id"))
    .with_for_update(of=Terminal)
)  # fmt: skip
_TOUCH_TERMINAL = update(Terminal).where(Terminal.id == bindparam("terminal_id")).values(
    last_seq=Terminal.last_seq
)
_SET_SEQ_STATEMENT = update(Terminal).where(Terminal.id == bindparam("seq_terminal")).values(
    last_seq=bindparam("new_seq")
)
_SET_SEQ = Fast(_SET_SEQ_STATEMENT)
_APPLIED_COLUMNS = ("op_id", "terminal_id", "seq", "kind", "created_at", "received_at",
                    "payload", "payload_hash", "verdict", "reason", "message", "current")
_INSERT_APPLIED = Fast(insert(AppliedOperation), column_keys=_APPLIED_COLUMNS)
# PostgreSQL: a data-modifying CTE runs whether or not the INSERT reads it
_APPLIED_AND_SEQ = Fast(
    insert(AppliedOperation)
    .values({name: bindparam(name) for name in _APPLIED_COLUMNS})
    .add_cte(_SET_SEQ_STATEMENT.returning(Terminal.id).cte("new_seq"))
)  # fmt: skip
