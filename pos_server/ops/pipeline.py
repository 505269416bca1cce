"""Judge a batch of operations: each atomically with its applied_operations row (its own
transaction, or its own savepoint when a batch's operations share commits - ``apply_batch``).

Order of checks per operation (DESIGN.md "Sync protocol", "Lessons from the field"):
known op_id -> replay the stored verdict (or refuse when the payload differs); seq not the next
one -> refuse with the server's last seq; else apply the kind's handler and store its verdict.
Operations of one terminal are serialised by a row lock on the terminal (SQLite: the database
write lock taken at BEGIN IMMEDIATE).
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from pos_app.domain.bonus import DEFAULT_HOLD_TTL
from pos_app.domain.operations import OPERATIONS, OperationInvalid
from pos_app.domain.operations import Operation as Payload
from pos_server.db.driver_control import DriverControl
from pos_server.http.schemas import Operation, OpResult
from pos_server.ledger.amount_range import AmountOutOfRange
from pos_server.ledger.feed_snapshots import OpChanges, op_changes, write_changes
from pos_server.ops.dispatch import handle
from pos_server.ops.verdicts import Verdict, refused, rejected
from pos_server.repositories.applied import JudgedOperation, terminal_state, touch_terminal
from pos_server.terminals.service import AuthError, check_token_row
from pos_server.uow import UnitOfWork

if TYPE_CHECKING:
    from pos_server.settings import ServerSettings

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
ATTEMPTS = 5  # a unique-constraint race or a deadlock is retried, then judged afresh
# PostgreSQL deadlock_detected / serialization_failure: the victim's transaction was rolled
# back whole, so running it again is safe (seen with consoles racing for one order's row).
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})
INTEGRITY_SQLSTATE_CLASS = "23"  # unique_violation 23505 and the other constraint races


def _retryable(error: Exception) -> bool:
    """A unique-key race, a deadlock or a serialization failure: from SQLAlchemy, or raw from
    the driver (the repositories' ``Fast`` statements run on the DBAPI cursor, so a race on
    their INSERT raises psycopg's ``UniqueViolation`` or sqlite3's ``IntegrityError`` as is)."""
    if isinstance(error, IntegrityError | sqlite3.IntegrityError):
        return True
    raw = getattr(error, "orig", error)
    sqlstate = getattr(raw, "sqlstate", None) or ""
    return sqlstate in RETRYABLE_SQLSTATES or sqlstate.startswith(INTEGRITY_SQLSTATE_CLASS)


class BatchInvalid(Exception):
    """Some operation's payload does not have the shape its kind requires; nothing was written."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(errors)} operation(s) have a malformed payload")
        self.errors = errors


@dataclass(frozen=True)
class CheckedOp:
    op: Operation
    payload: Payload | None  # None for a kind the server does not know


@dataclass(frozen=True)
class BatchOutcome:
    results: list[OpResult]
    last_seq: int


def check_batch(operations: Sequence[Operation]) -> list[CheckedOp]:
    """Decode every payload by its kind's definition (``pos_app.domain.operations``, the
    till's own) before anything is written, so a bad batch is all-or-nothing."""
    checked: list[CheckedOp] = []
    errors: list[dict[str, Any]] = []
    for index, op in enumerate(operations):
        definition = OPERATIONS.get(op.kind)
        try:
            payload = definition.from_json(op.payload) if definition else None
        except OperationInvalid as exc:
            errors.append({"index": index, "op_id": str(op.op_id), "kind": op.kind,
                           "errors": exc.errors})
            continue
        checked.append(CheckedOp(op, payload))
    if errors:
        raise BatchInvalid(errors)
    return checked


class BatchRefused(Exception):
    """The whole batch is refused before anything is judged: ``status`` is the HTTP answer
    (403 another terminal's operation, 413 too many, 422 a malformed payload)."""

    def __init__(self, status: int, detail: Any) -> None:
        super().__init__(detail)
        self.status, self.detail = status, detail


def checked_for(operations: Sequence[Operation], terminal_id: str, max_batch: int
                ) -> list[CheckedOp]:  # fmt: skip
    """The batch as ``apply_batch`` takes it, or ``BatchRefused``: the checks of
    ``POST /v1/ops`` in one place for its FastAPI route and its fast path."""
    if len(operations) > max_batch:
        raise BatchRefused(413, f"A batch may hold at most {max_batch} operations; this one "
                                f"has {len(operations)}.")  # fmt: skip
    for op in operations:
        if op.terminal_id != terminal_id:
            raise BatchRefused(403, f"Operation {op.op_id} names terminal {op.terminal_id!r}, "
                                    "but the token belongs to another terminal.")  # fmt: skip
    try:
        return check_batch(operations)
    except BatchInvalid as exc:
        raise BatchRefused(422, {"message": f"{exc}; nothing was applied.",
                                 "operations": exc.errors}) from exc  # fmt: skip


def apply_posted(
    sessions: sessionmaker[Session], terminal_id: str, checked: Sequence[CheckedOp],
    clock: Clock, settings: ServerSettings, *, token_digest: str,
) -> BatchOutcome:  # fmt: skip
    """``apply_batch`` with the server's settings (hold lifetime, group commit): one call for
    ``POST /v1/ops``'s FastAPI route and its fast path, so a setting reaches both."""
    return apply_batch(sessions, terminal_id, checked, clock, settings.hold_ttl,
                       token_digest=token_digest, group_ops=settings.commit_group_ops,
                       group_seconds=settings.commit_group_seconds)  # fmt: skip


UNKNOWN_KEPT_BYTES = 4096


def kept_unknown(payload: Any) -> dict[str, Any]:
    """What is stored of an operation of a kind the server does not know (it is refused, and
    its payload was never checked): the first 4 KiB of its JSON and its size. The payload hash
    beside it covers the whole payload, so a retry is still recognised (or a reused op_id
    refused) exactly."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    data = text.encode("utf-8")
    if len(data) <= UNKNOWN_KEPT_BYTES:
        return {"unknown_kind": True, "bytes": len(data), "head": text}
    head = data[:UNKNOWN_KEPT_BYTES].decode("utf-8", errors="ignore")
    return {"unknown_kind": True, "bytes": len(data), "head": head, "truncated": True}


def payload_hash(op: Operation) -> str:
    """Digest of everything an op_id stands for; a retry must match it exactly."""
    canonical = json.dumps(
        {
            "terminal_id": op.terminal_id,
            "seq": op.seq,
            "kind": op.kind,
            "created_at": op.created_at.astimezone(UTC).isoformat(),
            "payload": op.payload,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# Group commit: a batch's operations share a database commit, each in a savepoint of its own
# (its effects and its applied-operations row are kept or undone together). A group ends after
# GROUP_OPS operations or GROUP_SECONDS of work, whichever comes first, so another terminal
# never waits longer than that for the write lock (SQLite) or a row lock (PostgreSQL).
GROUP_OPS = 100
GROUP_SECONDS = 0.05


def apply_batch(
    sessions: sessionmaker[Session],
    terminal_id: str,
    ops: Sequence[CheckedOp],
    clock: Clock,
    hold_ttl: timedelta = DEFAULT_HOLD_TTL,
    *,
    token_digest: str | None = None,
    group_ops: int = GROUP_OPS,
    group_seconds: float = GROUP_SECONDS,
) -> BatchOutcome:
    """Judge ``ops`` in order on one connection, each atomically with its applied row.

    With ``token_digest`` (the HTTP route's bearer token, looked up from a cache) the token is
    checked again under each operation's terminal row lock: a revoked or replaced token raises
    ``AuthError`` before that operation is judged.

    One operation alone is one transaction. Several share commits (group commit, see
    ``GROUP_OPS``): an operation that is not applied is rolled back to its savepoint and its
    verdict stored, the others of its group are untouched; a unique-key race or a deadlock
    undoes its operation only, commits the group's kept ones and tries it again; any other
    error rolls back the whole unfinished group, and nothing of it is answered. A commit costs more
    than the rest of a closed sale's work (``python -m bench sync``), and the verdicts leave
    only after the commit that holds them, so a till learns nothing that could still be lost.

    On SQLite every commit but the batch's last is made without waiting for the disk
    (``synchronous=NORMAL``: safe from a crash of the process, not of the machine); the last
    one's durable commit syncs the write-ahead log they were written to, so when the verdicts
    leave, all of them are on disk. A batch whose last operation wrote nothing (a replay) ends
    with a tiny durable write for the same reason. Readers of the change feed sync the log
    before answering (``feed.make_durable``), so no till ever holds a change id that a machine
    crash could hand out again. PostgreSQL commits durably: a crash of the database server
    alone would lose ``synchronous_commit=off`` work while this process and the feed's readers
    go on.
    """
    engine = sessions.kw["bind"]
    results: list[OpResult] = []
    last_seq = 0
    with engine.connect() as connection:
        commits = Commits(connection, group_ops, group_seconds)
        try:
            for index, checked in enumerate(ops):
                result, last_seq = apply_one(connection, commits, terminal_id, checked, clock,
                                             hold_ttl=hold_ttl, token_digest=token_digest,
                                             left=len(ops) - index - 1)  # fmt: skip
                results.append(result)
            if not ops:
                state = terminal_state(connection, terminal_id)
                connection.rollback()
                check_token_row(state.token_hash, state.revoked_at, token_digest)
                last_seq = state.last_seq
        finally:
            commits.settle(terminal_id)
    return BatchOutcome(results, last_seq)


class Commits:
    """Where a batch's transactions begin and end, and which commits wait for the disk
    (see ``apply_batch``)."""

    def __init__(self, connection: Connection, group_ops: int = GROUP_OPS,
                 group_seconds: float = GROUP_SECONDS) -> None:  # fmt: skip
        self.connection = connection
        self.driver = DriverControl(connection)
        self.group_ops, self.group_seconds = group_ops, group_seconds
        self.uncovered = False  # a commit that did not wait for the disk, not yet flushed
        self._relaxed = False
        self._durable = True  # the open group's commit waits for the disk
        self._kept = 0  # operations the open group has kept
        self._wrote = False  # ... and whether they wrote anything
        self._started = 0.0
        self._savepoint = False  # the current operation is in a savepoint of its own
        # the kept operations' feed snapshots, written once at the group's commit: one row per
        # account or guest however often the group changed it ("the last", as within one
        # transaction - ledger_feed), and the feed counter's lock held only from there
        self._changes: OpChanges = {}

    def begin(self, left: int) -> bool:
        """Start an operation with ``left`` more after it in the batch; True when it is alone
        in its transaction (no savepoint; its own statements may end with the COMMIT)."""
        if not self.connection.in_transaction():
            durable = left < self.group_ops  # this group may hold the batch's last operation
            if self.driver.relaxable and self._relaxed == durable:
                # outside any transaction: applies to the commits that follow
                self.driver.durable_commits(durable)
                self._relaxed = not durable
            self.connection.begin()
            self._durable, self._started = durable, time.monotonic()
            if left == 0:
                return True
        self.driver.savepoint()  # not begin_nested(): 0.14 ms per operation (bench sync)
        self._savepoint = True
        return False

    def kept(self, wrote: bool, left: int, changes: OpChanges | None = None) -> None:
        """The operation's verdict is final: release it; commit when the group is done.
        ``changes``: the feed snapshots it left for the group's commit."""
        if self._savepoint:
            self.driver.release()
            self._savepoint = False
        if changes:
            self._changes.update(changes)
        self._wrote = self._wrote or wrote
        if left and self._kept + 1 < self.group_ops and (
                time.monotonic() - self._started < self.group_seconds):  # fmt: skip
            self._kept += 1
            return
        self.commit()

    def commit(self) -> None:
        """End the open group (an operation alone may have committed it with its statements)."""
        if self._changes:
            write_changes(self.connection, self._changes)  # last: the counter's lock to COMMIT
            self._changes = {}
        self.connection.commit()
        if self._wrote and self.driver.relaxable:  # a commit that wrote nothing syncs nothing
            self.uncovered = not self._durable
        self._kept, self._wrote = 0, False

    def undo(self) -> bool:
        """Roll the current operation back, the rest of its group stays; False when that
        cannot be done (the group's transaction ended, taking its kept operations with it)."""
        savepoint, self._savepoint = self._savepoint, False
        if not self.connection.in_transaction() or self.connection.invalidated:
            lost, self._kept, self._wrote, self._changes = self._kept, 0, False, {}
            return not lost
        if savepoint:
            self.driver.rollback_to_savepoint()
            return True
        if self._kept:
            return False
        self.connection.rollback()
        self._wrote, self._changes = False, {}
        return True

    def abandon(self) -> None:
        """Nothing of the unfinished group is kept (an error that is not a verdict)."""
        self._savepoint, self._kept, self._wrote, self._changes = False, 0, False, {}
        if self.connection.in_transaction() and not self.connection.invalidated:
            self.connection.rollback()

    def settle(self, terminal_id: str) -> None:
        """Flush what relaxed commits left in the log; restore the durable default."""
        try:
            self.abandon()
            if self.uncovered and not self.connection.invalidated:
                self.begin(left=0)
                touch_terminal(self.connection, terminal_id)
                self.connection.commit()
                self.uncovered = False
        finally:
            if self._relaxed and not self.connection.invalidated:
                self.driver.durable_commits(True)
                self._relaxed = False


def apply_one(
    connection: Connection,
    commits: Commits,
    terminal_id: str,
    checked: CheckedOp,
    clock: Clock,
    *,
    hold_ttl: timedelta = DEFAULT_HOLD_TTL,
    token_digest: str | None = None,
    left: int = 0,
) -> tuple[OpResult, int]:
    """Judge one operation; ``left``: how many of its batch follow it."""
    attempt, guarded = 0, False
    while True:
        uow = UnitOfWork(connection, terminal_id, str(checked.op.op_id), clock(), hold_ttl)
        try:
            uow.alone = commits.begin(left)
            with op_changes() as changes:
                verdict, replayed, last_seq, wrote = _judge(uow, checked, changes, token_digest,
                                                            guarded)  # fmt: skip
            uow.close_session()
            commits.kept(wrote, left, None if uow.alone else changes)
        except _NotApplied:
            uow.close_session()
            if not commits.undo():  # its savepoint or its own transaction: never a commit
                commits.abandon()
                raise RuntimeError("the transaction ended under an operation of its group"
                                   ) from None  # fmt: skip
            guarded = True  # undone whole; judged afresh with the handler in a savepoint
            continue
        except Exception as error:  # not retryable: abandoned and raised as before
            uow.close_session()
            if not _retryable(error) or attempt + 1 == ATTEMPTS or not commits.undo():
                commits.abandon()
                raise
            attempt += 1
            if connection.in_transaction():  # the group's kept operations: committed, so the
                commits.commit()  # retry starts afresh, holding none of their locks
            continue
        except BaseException:
            uow.close_session()
            commits.abandon()
            raise
        op = checked.op
        result = OpResult(
            op_id=str(op.op_id), seq=op.seq, status=verdict.status,  # type: ignore[arg-type]
            reason=verdict.reason, message=verdict.message, current=verdict.current,
            replayed=replayed,
        )
        return result, last_seq


def _judge(
    uow: UnitOfWork, checked: CheckedOp, changes: OpChanges, token_digest: str | None = None,
    guarded: bool = True,
) -> tuple[Verdict, bool, int, bool]:
    """The steps every operation a till sends goes through (each a ``uow.applied`` statement
    or two, see ``pos_server/repositories/applied.py``). An operation alone in its transaction
    (``uow.alone``) ends with its COMMIT on PostgreSQL. Returns (verdict, replayed, last_seq,
    wrote)."""
    op = checked.op
    terminal = uow.applied.lock_terminal()
    if terminal is None:
        raise AuthError("This terminal is not known to the server.")
    check_token_row(terminal.token_hash, terminal.revoked_at, token_digest)
    digest = payload_hash(op)
    known = terminal.known
    if known is None and op.seq != terminal.last_seq + 1:  # see lock_terminal
        known = uow.applied.known()
    if known is not None:
        if known.payload_hash != digest or known.terminal_id != uow.terminal_id:
            message = "This op_id was already used for a different operation; it is not applied."
            return refused("op_id_reused", message), False, terminal.last_seq, False
        stored = Verdict(known.status, known.reason, known.message, known.current)
        return stored, True, terminal.last_seq, False
    expected = terminal.last_seq + 1
    if op.seq != expected:
        reason = "seq_used" if op.seq < expected else "seq_gap"
        message = f"Expected seq {expected}, got {op.seq}; resend from seq {expected}."
        return refused(reason, message), False, terminal.last_seq, False
    verdict = _apply_kind(uow, checked, changes, guarded)
    uow.keep_session()  # the handler's ORM objects first, as before the statements below
    uow.applied.finish(JudgedOperation(
        op.seq, op.kind, op.created_at,
        op.payload if checked.payload is not None else kept_unknown(op.payload), digest,
        verdict.status, verdict.reason, verdict.message, verdict.current,
    ), changes)  # fmt: skip
    return verdict, False, op.seq, True


class _NotApplied(Exception):
    """An unguarded handler did not apply its operation: roll the transaction back whole."""


def _apply_kind(uow: UnitOfWork, checked: CheckedOp, changes: OpChanges, guarded: bool
                ) -> Verdict:  # fmt: skip
    """Anything but ``applied`` leaves no trace but the breach its verdict may name (a
    refused points payment, ``verdicts.Breach``). Most operations are applied, so the handler
    first runs without a savepoint (SAVEPOINT and RELEASE are two more round trips); when its
    verdict is not ``applied`` the whole transaction is rolled back and the operation judged
    again, ``guarded``: the handler in a savepoint rolled back after it, so the verdict is
    stored with nothing else."""
    if not guarded:
        verdict = _handled(uow, checked)
        if not verdict.applied:
            raise _NotApplied
        return verdict
    savepoint = uow.connection.begin_nested()
    verdict = _handled(uow, checked)
    if verdict.applied:
        uow.keep_session()
        savepoint.commit()
    else:
        uow.close_session()
        savepoint.rollback()
        changes.clear()
        if verdict.breach is not None:  # refused, and listed for managers all the same
            uow.loyalty.record_breach(verdict.breach)
    return verdict


def _handled(uow: UnitOfWork, checked: CheckedOp) -> Verdict:
    """The handler's verdict; an error that would recur on every resend is a final verdict.

    Before, any exception of a handler failed the request and the till resent the operation:
    right for a lost connection or a lock race (retried above, or by the till), but an
    operation whose numbers the database cannot store failed again on every resend and the
    till's queue stopped for good (issue 16 point 2). Such an error is deterministic for the
    operation's payload, so it is judged: a total beyond the safe range (checked before
    writing) is ``rejected/amount_out_of_range``; a value the database refuses (SQLite
    ``OverflowError``, PostgreSQL ``DataError`` such as ``bigint out of range``) that slipped
    past that check is ``rejected/storage_refused``. Either way nothing of the operation is
    kept (its transaction or savepoint is rolled back) and the next operation is judged.
    Other errors still fail the request: they may be transient."""
    try:
        return handle(checked.op.kind, checked.payload, uow)
    except AmountOutOfRange as error:
        return rejected("amount_out_of_range", str(error))
    except (OverflowError, DataError) as error:
        log.warning("operation %s (%s) refused by storage: %s", checked.op.op_id,
                    checked.op.kind, error)  # fmt: skip
        return rejected("storage_refused", "The server cannot store the operation's "
                        "numbers; it is not applied.")  # fmt: skip
