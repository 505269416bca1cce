"""Change feed: rows written in the same transaction as the change, read by keyset paging."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, insert, select, update
from sqlalchemy.orm import Session

from pos_server.db.fastexec import Fast
from pos_server.db.models import Change, FeedCounter


def record_change(
    session: Session | Connection, entity: str, entity_id: str, data: dict[str, Any], now: datetime
) -> int:
    """Append a change and return its id.

    Ids come from one counter row whose lock is held until commit, so changes become visible
    in id order: a cursor that has passed id N never misses a change committed later with a
    smaller id (which autoincrement ids allow on PostgreSQL under concurrent writers).
    """
    if isinstance(session, Session):
        session.flush()
    connection = session.connection() if isinstance(session, Session) else session
    next_id: int = _NEXT_ID.scalar(connection, {"count": 1})
    _INSERT_CHANGE.run(connection, {"id": next_id, "entity": entity, "entity_id": entity_id,
                                    "data": data, "at": now})  # fmt: skip
    return next_id


_NEXT_ID = Fast(
    update(FeedCounter).where(FeedCounter.id == 1)
    .values(last_id=FeedCounter.last_id + bindparam("count")).returning(FeedCounter.last_id)
)  # fmt: skip
_INSERT_CHANGE = Fast(insert(Change), column_keys=("id", "entity", "entity_id", "data", "at"))


def record_changes(
    session: Session | Connection, entries: Sequence[tuple[str, str, dict[str, Any]]], now: datetime
) -> None:
    """Append many ``(entity, entity_id, data)`` changes at once (bulk imports).

    One counter update reserves the whole block of ids (same lock, same ordering guarantee as
    ``record_change``) and one multi-row insert writes them: importing a catalogue of 20 000
    products costs two statements here, not 40 000.
    """
    if not entries:
        return
    if isinstance(session, Session):
        session.flush()
    connection = session.connection() if isinstance(session, Session) else session
    record_changes_at(connection, [(entity, entity_id, data, now)
                                   for entity, entity_id, data in entries])


def record_changes_at(
    connection: Connection, entries: Sequence[tuple[str, str, dict[str, Any], datetime]]
) -> None:
    """``record_changes`` for changes made at different moments ``(entity, entity_id, data,
    at)``: one counter update and one multi-row insert (a group commit's snapshots)."""
    if not entries:
        return
    last: int = _NEXT_ID.scalar(connection, {"count": len(entries)})
    first = last - len(entries) + 1
    _INSERT_CHANGE.run_many(connection, [
        {"id": first + n, "entity": entity, "entity_id": entity_id, "data": data, "at": at}
        for n, (entity, entity_id, data, at) in enumerate(entries)
    ])  # fmt: skip


def make_durable(session: Session) -> None:
    """Everything this session has read is on disk when this returns; commits the session.

    On SQLite the operations endpoint commits all but the last operation of a batch without
    waiting for the disk (``synchronous=NORMAL``; pos_server/ops/pipeline.py). Such a commit
    survives a crash of the server process, but not one of the machine, and a change id handed
    out by a commit that is lost would be handed out again: a till whose cursor had passed it
    would skip the new change. So a reader of the feed, after reading, commits one durable
    write in the same transaction (which holds SQLite's write lock since its BEGIN IMMEDIATE):
    the WAL is synced up to it, which covers every transaction it could have read.
    PostgreSQL commits every operation durably: nothing to do there.
    """
    if session.get_bind().dialect.name != "sqlite":
        return
    session.execute(_TOUCH_COUNTER)
    session.commit()


_TOUCH_COUNTER = update(FeedCounter).where(FeedCounter.id == 1).values(
    last_id=FeedCounter.last_id
)


FeedRow = Row[tuple[int, str, str, dict[str, Any], datetime]]


@dataclass(frozen=True)
class ChangePage:
    changes: Sequence[FeedRow]  # rows with .id, .entity, .entity_id, .data, .at
    next_cursor: int
    has_more: bool
    head: int  # the feed's last committed change id: a first sync's progress total


def read_changes(session: Session, cursor: int, limit: int) -> ChangePage:
    """Changes with id > cursor, oldest first; ``next_cursor`` resumes after the last one.

    One indexed range query bounded by ``LIMIT limit + 1`` (the extra row says whether there is
    more), reading plain rows, not ORM objects: a page costs the same, in time and memory, at
    the start of a feed of millions of changes as at its end, and nothing else is loaded
    (tested with 100 000 guests: tests/server/test_feed_100k.py).
    """
    query = (
        select(Change.id, Change.entity, Change.entity_id, Change.data, Change.at)
        .where(Change.id > cursor)
        .order_by(Change.id)
        .limit(limit + 1)
    )
    rows = session.execute(query).all()
    if rows:
        make_durable(session)
    has_more = len(rows) > limit
    page = rows[:limit]
    head = session.execute(select(FeedCounter.last_id).where(FeedCounter.id == 1)).scalar_one()
    return ChangePage(page, page[-1].id if page else cursor, has_more, max(head, cursor))
