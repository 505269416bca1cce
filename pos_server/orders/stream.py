"""Server-sent events of guest orders, read from the change feed.

Orders come from the ``changes`` table, not from an in-process signal: they are also written by
other processes (``pos-server demo-order``, a second server behind the same database), and only
the database sees them all. The feed's ids commit in order (see ``pos_server.feed.changes``),
so "every order change with id > cursor" is exact: a console resuming with its last event id misses
nothing and gets nothing twice.

One reader per process reads the feed for every open stream (``pos_server.orders.hub``); a
stream reads the feed itself only to catch up from its own cursor to where that reader was when
the stream joined it.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from pos_server.db.models import Change
from pos_server.feed.changes import make_durable
from pos_server.orders.service import ORDER_ENTITY

if TYPE_CHECKING:
    from pos_server.orders.hub import OrderHub

BATCH = 500


@dataclass(frozen=True)
class OrderEvent:
    id: int
    data: dict[str, Any]

    @cached_property
    def text(self) -> str:
        """The event on the wire, built once however many streams send it."""
        return self.encode()

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


TOO_FAR_BEHIND = ": too far behind, reconnect with Last-Event-ID\n\n"


async def order_stream(
    hub: OrderHub,
    cursor: int,
    *,
    heartbeat_seconds: float,
    disconnected: Callable[[], Any],
    allowed: Callable[[], Awaitable[bool]] | None = None,
    auth_seconds: float = 1.0,
) -> AsyncIterator[str]:
    """The text/event-stream body: events after ``cursor``, heartbeat comments when idle.

    Joins the process's reader first, then reads the feed itself from ``cursor`` up to where
    the reader was at that moment (``joined_at``); queued events at or below what the catch-up
    covered are dropped, so the hand-over neither skips nor repeats a change. ``allowed`` (the
    token is still valid) is asked every ``auth_seconds``: a stream opened before its terminal
    was revoked ends then, and the client's reconnect gets the 401.
    """
    async with hub.subscribe() as subscription:
        yield f"retry: 1000\n: connected, cursor {cursor}\n\n"
        sent = cursor  # every order change up to here has been sent (or came before cursor)
        while sent < subscription.joined_at:
            events, sent = await asyncio.to_thread(poll_orders, hub.sessions, sent)
            for event in events:
                yield event.text
        last_sent = checked = time.monotonic()
        while not await disconnected():
            if allowed is not None and time.monotonic() - checked >= auth_seconds:
                if not await allowed():
                    yield ": the terminal's token is no longer valid\n\n"
                    return
                checked = time.monotonic()
            # the wake-up: new events from the reader, a heartbeat or a token check due
            due = last_sent + heartbeat_seconds
            if allowed is not None:
                due = min(due, checked + auth_seconds)
            wait = max(0.0, due - time.monotonic())
            events = [e for e in await subscription.wait(wait) if e.id > sent]
            if subscription.overflowed:
                yield TOO_FAR_BEHIND  # the client resumes from its last event, via the feed
                return
            for event in events:
                yield event.text
                sent = event.id
            now = time.monotonic()
            if events:
                last_sent = now
            elif now - last_sent >= heartbeat_seconds:
                yield ": heartbeat\n\n"
                last_sent = now
