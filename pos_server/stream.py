"""Server-sent events of guest orders, read from the change feed.

The stream polls the ``changes`` table (every ``stream_poll_seconds``, 0.2 s by default) rather
than waiting on an in-process notification: orders are also written by other processes
(``pos-server demo-order``, a second server behind the same database), and only the database
sees them all. The feed's ids commit in order (see ``pos_server.feed``), so "every order change
with id > cursor" is exact: a console resuming with its last event id misses nothing and gets
nothing twice.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from pos_server.db.models import Change
from pos_server.feed import make_durable
from pos_server.orders import ORDER_ENTITY

BATCH = 500


@dataclass(frozen=True)
class OrderEvent:
    id: int
    data: dict[str, Any]

    def encode(self) -> str:
        body = json.dumps(self.data, ensure_ascii=False, separators=(",", ":"))
        return f"id: {self.id}\nevent: order\ndata: {body}\n\n"


def feed_head(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.max(Change.id))) or 0


def poll_orders(sessions: sessionmaker[Session], scanned: int) -> tuple[list[OrderEvent], int]:
    """Order changes after ``scanned`` and the new scan position.

    The head is read first and the query bounded by it, so a change committed between the two
    reads is left for the next poll instead of being skipped.
    """
    with sessions() as session:
        head = session.scalar(select(func.max(Change.id))) or 0
        rows = list(session.scalars(
            select(Change)
            .where(Change.id > scanned, Change.id <= head, Change.entity == ORDER_ENTITY)
            .order_by(Change.id)
            .limit(BATCH)
        ))  # fmt: skip
        events = [
            OrderEvent(c.id, {"change_id": c.id, "order_id": c.entity_id,
                              "at": c.at.isoformat(), **c.data})
            for c in rows
        ]  # fmt: skip
        if head > scanned:
            make_durable(session)  # the scan position never passes a change that may be lost
    if len(rows) == BATCH:
        return events, rows[-1].id
    return events, max(head, scanned)


async def order_stream(
    sessions: sessionmaker[Session],
    cursor: int,
    *,
    poll_seconds: float,
    heartbeat_seconds: float,
    disconnected: Callable[[], Any],
    allowed: Callable[[], Awaitable[bool]] | None = None,
    auth_seconds: float = 1.0,
) -> AsyncIterator[str]:
    """The text/event-stream body: events after ``cursor``, heartbeat comments when idle.

    ``allowed`` (the token is still valid) is asked every ``auth_seconds`` before a poll: a
    stream opened before its terminal was revoked ends then, and the client's reconnect gets
    the 401."""
    yield f"retry: 1000\n: connected, cursor {cursor}\n\n"
    scanned, last_sent = cursor, time.monotonic()
    checked = last_sent
    while not await disconnected():
        if allowed is not None and time.monotonic() - checked >= auth_seconds:
            if not await allowed():
                yield ": the terminal's token is no longer valid\n\n"
                return
            checked = time.monotonic()
        events, scanned = await asyncio.to_thread(poll_orders, sessions, scanned)
        for event in events:
            yield event.encode()
        now = time.monotonic()
        if events:
            last_sent = now
        elif now - last_sent >= heartbeat_seconds:
            yield ": heartbeat\n\n"
            last_sent = now
        await asyncio.sleep(poll_seconds)
