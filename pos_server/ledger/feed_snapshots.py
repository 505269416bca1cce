"""Account snapshots go to the change feed at commit, not where the account changed.

The feed's ids come from one counter row whose lock is held until commit
(``pos_server.feed.changes``), so every change-writing transaction queues behind the one holding
it. Writing the snapshot in the middle of an operation held that lock across the rest of it (the
applied-operations row, the terminal's seq, the savepoint release); deferring it to
``before_commit``, after a flush of everything else, leaves only the counter update, the change row
and the commit inside the lock. Measured with ``python -m bench server``.

A snapshot recorded inside a savepoint that is rolled back (a rejected operation) is dropped
with it; one account changed twice in a transaction gets one snapshot, the last.

Inside ``POST /v1/ops`` the operation pipeline owns the transaction (a Core connection, not a
session it commits): it opens ``op_changes()`` around each operation and writes what was
collected with ``write_changes`` after the operation's other rows, just before its commit. Any
other caller (admin calls, the sweeper, imports) commits a session and the ``before_commit``
hook writes the snapshots.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Insert, bindparam, event, insert, select, update
from sqlalchemy.orm import Session, SessionTransaction

from pos_server.db.fastexec import Fast
from pos_server.db.models import Change, FeedCounter
from pos_server.feed.changes import record_change, record_changes_at

_PENDING = "ledger_feed_pending"
Pending = dict[tuple[str, str], tuple[dict[str, Any], datetime, SessionTransaction | None]]
OpChanges = dict[tuple[str, str], tuple[dict[str, Any], datetime]]
# the changes of the operation the pipeline is judging in this thread (None: no operation)
_OP_CHANGES: ContextVar[OpChanges | None] = ContextVar("op_changes", default=None)


@contextmanager
def op_changes() -> Iterator[OpChanges]:
    """Collect the deferred changes of one operation (the pipeline writes them)."""
    collected: OpChanges = {}
    token = _OP_CHANGES.set(collected)
    try:
        yield collected
    finally:
        _OP_CHANGES.reset(token)


def write_changes(connection: Connection, collected: OpChanges) -> None:
    """Deferred changes (one operation's, or a group commit's): one statement for one change
    on PostgreSQL, two for several."""
    if not collected:
        return
    if len(collected) == 1 and connection.dialect.name == "postgresql":
        ((entity, entity_id), (data, now)), = collected.items()
        _COUNTED_INSERT_FAST.run(connection, {"entity": entity, "entity_id": entity_id,
                                              "data": data, "at": now})  # fmt: skip
        return
    record_changes_at(connection, [(entity, entity_id, data, at)
                                   for (entity, entity_id), (data, at) in collected.items()])


def counted_change(collected: OpChanges) -> tuple[Fast, dict[str, Any]]:
    """The one collected change as the counter-and-insert statement (PostgreSQL) with its
    parameters, for a caller that sends it together with the COMMIT."""
    ((entity, entity_id), (data, now)), = collected.items()
    return _COUNTED_INSERT_FAST, {"entity": entity, "entity_id": entity_id, "data": data,
                                  "at": now}  # fmt: skip


def defer_snapshot(
    db: Session | Connection, entity: str, entity_id: str, data: dict[str, Any], now: datetime
) -> None:
    """Record ``data`` as the ``entity`` change of ``entity_id`` when the transaction commits."""
    collected = _OP_CHANGES.get()
    if collected is not None:  # inside the operation pipeline: it writes them before commit
        collected[(entity, entity_id)] = (data, now)
        return
    if isinstance(db, Connection):
        record_change(db, entity, entity_id, data, now)
        return
    session = db
    pending: Pending | None = session.info.get(_PENDING)
    if pending is None:
        pending = session.info[_PENDING] = {}
        if not event.contains(session, "before_commit", _write_pending):
            event.listen(session, "before_commit", _write_pending)
            event.listen(session, "after_soft_rollback", _drop_pending)
    pending[(entity, entity_id)] = (data, now, session.get_nested_transaction())


def _write_pending(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released: its snapshots wait for the real commit
    pending: Pending | None = session.info.pop(_PENDING, None)
    if not pending:
        return
    session.flush()  # everything else first, so the feed lock is taken last
    postgres = session.get_bind().dialect.name == "postgresql"
    for (entity, entity_id), (data, now, _savepoint) in pending.items():
        if postgres:
            session.connection().execute(  # Core: ORM execute would take it for a bulk insert
                _COUNTED_INSERT, {"entity": entity, "entity_id": entity_id, "data": data,
                                  "at": now})  # fmt: skip
        else:  # SQLite: one writer at a time anyway
            record_change(session, entity, entity_id, data, now)


def _counted_insert_statement() -> Insert:
    """``record_change`` as ONE statement: the counter row's update and the change row's
    insert in a data-modifying CTE, so the lock is held for that statement and the commit
    only, never across a round trip to a (possibly busy) server thread. Built once; the
    values are bound at execution."""
    table = Change.__table__
    counter = (
        update(FeedCounter).where(FeedCounter.id == 1)
        .values(last_id=FeedCounter.last_id + 1).returning(FeedCounter.last_id).cte("counter")
    )  # fmt: skip
    row = select(
        counter.c.last_id,
        bindparam("entity", type_=table.c.entity.type),
        bindparam("entity_id", type_=table.c.entity_id.type),
        bindparam("data", type_=table.c.data.type),
        bindparam("at", type_=table.c.at.type),
    )
    return insert(Change).from_select(["id", "entity", "entity_id", "data", "at"], row)


_COUNTED_INSERT = _counted_insert_statement()
_COUNTED_INSERT_FAST = Fast(_COUNTED_INSERT)


def _drop_pending(session: Session, previous: SessionTransaction) -> None:
    pending: Pending | None = session.info.get(_PENDING)
    if not pending:
        return
    if not previous.nested:
        session.info.pop(_PENDING, None)
        return
    for key in [k for k, (_d, _n, savepoint) in pending.items() if savepoint is previous]:
        del pending[key]
