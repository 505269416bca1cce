"""Judge a batch of operations: each in its own transaction with its applied_operations row.

Order of checks per operation (DESIGN.md "Sync protocol", "Lessons from the field"):
known op_id -> replay the stored verdict (or refuse when the payload differs); seq not the next
one -> refuse with the server's last seq; else apply the kind's handler and store its verdict.
Operations of one terminal are serialised by a row lock on the terminal (SQLite: the database
write lock taken at BEGIN IMMEDIATE).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from pos_app.domain.bonus import DEFAULT_HOLD_TTL
from pos_server.db.models import AppliedOperation, Terminal
from pos_server.ops.dispatch import handle
from pos_server.ops.kinds import OpContext
from pos_server.ops.verdicts import Verdict, refused
from pos_server.schemas import PAYLOAD_MODELS, Operation, OpResult, WireModel
from pos_server.terminals import check_token_row

Clock = Callable[[], datetime]
ATTEMPTS = 5  # a unique-constraint race or a deadlock is retried, then judged afresh
# PostgreSQL deadlock_detected / serialization_failure: the victim's transaction was rolled
# back whole, so running it again is safe (seen with consoles racing for one order's row).
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})


def _retryable(error: Exception) -> bool:
    if isinstance(error, IntegrityError):
        return True
    return getattr(getattr(error, "orig", None), "sqlstate", None) in RETRYABLE_SQLSTATES


class BatchInvalid(Exception):
    """Some operation's payload does not have the shape its kind requires; nothing was written."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(errors)} operation(s) have a malformed payload")
        self.errors = errors


@dataclass(frozen=True)
class CheckedOp:
    op: Operation
    payload: WireModel | None  # None for a kind the server does not know


@dataclass(frozen=True)
class BatchOutcome:
    results: list[OpResult]
    last_seq: int


def check_batch(operations: Sequence[Operation]) -> list[CheckedOp]:
    """Validate every payload before anything is written, so a bad batch is all-or-nothing."""
    checked: list[CheckedOp] = []
    errors: list[dict[str, Any]] = []
    for index, op in enumerate(operations):
        model = PAYLOAD_MODELS.get(op.kind)
        try:
            payload = model.model_validate(op.payload) if model else None
        except ValidationError as exc:
            details = exc.errors(include_url=False, include_context=False, include_input=False)
            errors.append({"index": index, "op_id": str(op.op_id), "kind": op.kind,
                           "errors": details})
            continue
        checked.append(CheckedOp(op, payload))
    if errors:
        raise BatchInvalid(errors)
    return checked


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


def apply_batch(
    sessions: sessionmaker[Session],
    terminal_id: str,
    ops: Sequence[CheckedOp],
    clock: Clock,
    hold_ttl: timedelta = DEFAULT_HOLD_TTL,
    *,
    token_digest: str | None = None,
) -> BatchOutcome:
    """Judge ``ops`` in order. With ``token_digest`` (the HTTP route's bearer token, looked up
    from a cache) the token is checked again under each operation's terminal row lock: a
    revoked or replaced token raises ``AuthError`` before that operation is judged."""
    results: list[OpResult] = []
    last_seq = 0
    for checked in ops:
        result, last_seq = apply_one(sessions, terminal_id, checked, clock, hold_ttl,
                                     token_digest=token_digest)  # fmt: skip
        results.append(result)
    if not ops:
        with sessions() as session:
            row = session.connection().execute(_TERMINAL, {"terminal_id": terminal_id}).one()
            check_token_row(row.token_hash, row.revoked_at, token_digest)
            last_seq = row.last_seq
    return BatchOutcome(results, last_seq)


def apply_one(
    sessions: sessionmaker[Session],
    terminal_id: str,
    checked: CheckedOp,
    clock: Clock,
    hold_ttl: timedelta = DEFAULT_HOLD_TTL,
    *,
    token_digest: str | None = None,
) -> tuple[OpResult, int]:
    attempt, guarded = 0, False
    while True:
        try:
            with sessions.begin() as session:
                ctx = OpContext(session, terminal_id, str(checked.op.op_id), clock(), hold_ttl)
                verdict, replayed, last_seq = _judge(ctx, checked, token_digest, guarded)
        except _NotApplied:
            guarded = True  # rolled back whole; judged afresh with the handler in a savepoint
            continue
        except (IntegrityError, OperationalError) as error:
            attempt += 1
            if attempt == ATTEMPTS or not _retryable(error):
                raise
            continue
        op = checked.op
        result = OpResult(
            op_id=str(op.op_id), seq=op.seq, status=verdict.status,  # type: ignore[arg-type]
            reason=verdict.reason, message=verdict.message, current=verdict.current,
            replayed=replayed,
        )
        return result, last_seq


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
_KNOWN = select(*_KNOWN_COLUMNS).where(AppliedOperation.op_id == bindparam("op_id"))
# The terminal row locked and the op_id looked up in ONE round trip. On PostgreSQL a
# statement that waited for the lock reads other tables as of its start, so an op_id stored
# by the previous lock holder may be missed here: that holder moved last_seq on, so the seq
# check below then fails and _judge looks the op_id up again in a statement of its own.
_TERMINAL_LOCKED = (
    select(Terminal.last_seq, Terminal.token_hash, Terminal.revoked_at, *_KNOWN_COLUMNS)
    .select_from(Terminal)
    .outerjoin(AppliedOperation, AppliedOperation.op_id == bindparam("op_id"))
    .where(Terminal.id == bindparam("terminal_id"))
    .with_for_update(of=Terminal)
)  # fmt: skip
_INSERT_APPLIED = insert(AppliedOperation)
_SET_SEQ = update(Terminal).where(Terminal.id == bindparam("seq_terminal")).values(
    last_seq=bindparam("new_seq")
)


def _judge(
    ctx: OpContext, checked: CheckedOp, token_digest: str | None = None, guarded: bool = True
) -> tuple[Verdict, bool, int]:
    """Core statements, not ORM objects: this runs for every operation a till sends."""
    session, terminal_id, now = ctx.session, ctx.terminal_id, ctx.now
    op = checked.op
    connection = session.connection()
    params = {"terminal_id": terminal_id, "op_id": str(op.op_id)}
    terminal = connection.execute(_TERMINAL_LOCKED, params).one()
    check_token_row(terminal.token_hash, terminal.revoked_at, token_digest)
    digest = payload_hash(op)
    known: Any = terminal if terminal.op_id is not None else None
    if known is None and op.seq != terminal.last_seq + 1:  # see _TERMINAL_LOCKED
        known = connection.execute(_KNOWN, params).first()
    if known is not None:
        if known.payload_hash != digest or known.known_terminal_id != terminal_id:
            message = "This op_id was already used for a different operation; it is not applied."
            return refused("op_id_reused", message), False, terminal.last_seq
        stored = Verdict(known.verdict, known.reason, known.message, known.current)
        return stored, True, terminal.last_seq
    expected = terminal.last_seq + 1
    if op.seq != expected:
        reason = "seq_used" if op.seq < expected else "seq_gap"
        message = f"Expected seq {expected}, got {op.seq}; resend from seq {expected}."
        return refused(reason, message), False, terminal.last_seq
    verdict = _apply_kind(ctx, checked, guarded)
    session.flush()  # the handler's ORM objects first, as before the Core statements below
    connection.execute(_INSERT_APPLIED, {
        "op_id": str(op.op_id), "terminal_id": terminal_id, "seq": op.seq, "kind": op.kind,
        "created_at": op.created_at, "received_at": now, "payload": op.payload,
        "payload_hash": digest, "verdict": verdict.status, "reason": verdict.reason,
        "message": verdict.message, "current": verdict.current,
    })  # fmt: skip
    connection.execute(_SET_SEQ, {"seq_terminal": terminal_id, "new_seq": op.seq})
    return verdict, False, op.seq


class _NotApplied(Exception):
    """An unguarded handler did not apply its operation: roll the transaction back whole."""


def _apply_kind(ctx: OpContext, checked: CheckedOp, guarded: bool) -> Verdict:
    """Anything but ``applied`` leaves no trace. Most operations are applied, so the handler
    first runs without a savepoint (SAVEPOINT and RELEASE are two more round trips and most
    of the ORM's transaction bookkeeping); when its verdict is not ``applied`` the whole
    transaction is rolled back and the operation judged again, ``guarded``: the handler in a
    savepoint rolled back after it, so the verdict is stored with nothing else."""
    if not guarded:
        verdict = handle(ctx, checked.op.kind, checked.payload)
        if not verdict.applied:
            raise _NotApplied
        return verdict
    savepoint = ctx.session.begin_nested()
    verdict = handle(ctx, checked.op.kind, checked.payload)
    if verdict.applied:
        savepoint.commit()
    else:
        savepoint.rollback()
    return verdict
