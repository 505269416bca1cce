"""One reader of order changes per server process, fanned out to every open order stream.

Each stream used to poll the feed itself, every 0.2 s: on SQLite every poll is a
``BEGIN IMMEDIATE`` (the write lock), so 200 open consoles meant 1 000 lock takes a second and
``/v1/ops`` waited behind them. Now one asyncio task reads the feed (``stream.poll_orders``,
made durable on SQLite exactly as before) once per interval while any stream is open, and hands
what it read to every subscriber's in-memory queue: one query per change, whatever the number
of consoles. On PostgreSQL an ``OrderListener`` thread ``LISTEN``s for the ``NOTIFY`` each order
change sends at commit and wakes the reader at once; the poll stays as the fallback (the feed
is the source: a missed notification only delays an order until the next poll).

**Position.** ``position`` is the feed id up to which every order change has been handed to
every subscriber that was registered when it was read. A subscriber registered at position P
gets, through its queue, every order change after P; what lies between its own cursor and P it
reads from the feed itself (``stream.order_stream``), then drops queued events it already sent.
Registration and hand-out both happen on the event loop, so nothing falls between them.

**Bounded queues.** A subscriber whose queue would exceed ``buffer_events`` (a console that
stopped reading) is dropped and told so; its stream ends and the client's reconnect with
Last-Event-ID catches up from the feed, so a slow reader costs the server no memory.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from pos_server.orders.notify import OrderListener
from pos_server.orders.stream import BATCH, OrderEvent, feed_head, poll_orders

log = logging.getLogger(__name__)


class Subscription:
    """One open stream's queue: events after ``joined_at``, in feed order."""

    def __init__(self, joined_at: int, limit: int) -> None:
        self.joined_at = joined_at
        self.overflowed = False
        self._limit = limit
        self._events: deque[OrderEvent] = deque()
        self._ready = asyncio.Event()

    def offer(self, events: list[OrderEvent]) -> bool:
        """Queue ``events``; False (and nothing queued) when that would exceed the bound."""
        if len(self._events) + len(events) > self._limit:
            self.overflowed = True
            self._events.clear()
            self._ready.set()
            return False
        self._events.extend(events)
        self._ready.set()
        return True

    async def wait(self, timeout: float) -> list[OrderEvent]:
        """Everything queued, waiting up to ``timeout`` s for something; [] on timeout."""
        if not self._events and not self.overflowed:
            # asyncio.timeout, not wait_for: 3.11's wait_for can swallow a cancellation that
            # comes as the event is set, and a disconnected stream would live on
            with suppress(TimeoutError):
                async with asyncio.timeout(timeout):
                    await self._ready.wait()
        self._ready.clear()
        events = list(self._events)
        self._events.clear()
        return events


class OrderHub:
    """The process's order reader; ``subscribe()`` from a stream, ``stop()`` from the lifespan.

    The reader task starts with the first subscriber (on the event loop serving it) and polls
    only while someone subscribes: a server without consoles takes no lock for them.
    """

    def __init__(
        self, sessions: sessionmaker[Session], *, poll_seconds: float, buffer_events: int,
        listen: Engine | None = None,
    ) -> None:
        self.sessions = sessions
        self._listen = listen  # PostgreSQL: LISTEN through this engine's database
        self.poll_seconds = poll_seconds
        self.buffer_events = buffer_events
        self.position: int | None = None  # None until the reader has read the head
        self.polls = 0  # feed reads made by the reader (tests and the benchmark count them)
        self.dropped = 0  # subscribers told to reconnect because they fell behind
        self._subscribers: set[Subscription] = set()
        self._task: asyncio.Task[None] | None = None
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._listener: OrderListener | None = None
        self._ready: asyncio.Event | None = None
        self._polling = False  # a read of the feed is under way on a worker thread
        self._stopping = False

    @property
    def subscribers(self) -> int:
        return len(self._subscribers)

    @asynccontextmanager
    async def subscribe(self) -> AsyncIterator[Subscription]:
        """Register a queue for every order change after the reader's current position."""
        self._ensure_running()
        assert self._wake is not None and self._ready is not None
        await self._ready.wait()  # the reader has a position (the feed's head at its start)
        if self._idle():
            # nobody was listening: what came since the reader last read concerns no one, so it
            # resumes from the head instead of scanning (and queueing) all of it
            head = await asyncio.to_thread(feed_head, self.sessions)
            if self._idle():
                self.position = max(self.position or 0, head)
        assert self.position is not None
        subscription = Subscription(self.position, self.buffer_events)
        self._subscribers.add(subscription)
        self._wake.set()  # an idle reader starts polling
        try:
            yield subscription
        finally:
            self._subscribers.discard(subscription)

    def _idle(self) -> bool:
        return not self._subscribers and not self._polling

    def wake(self) -> None:
        """Poll now (thread-safe): a NOTIFY arrived."""
        if self._loop is not None and self._wake is not None:
            self._loop.call_soon_threadsafe(self._wake.set)

    def _ensure_running(self) -> None:
        loop = asyncio.get_running_loop()
        if self._task is not None and not self._task.done() and self._loop is loop:
            return
        self._loop = loop
        self._wake, self._ready = asyncio.Event(), asyncio.Event()
        self._task = asyncio.create_task(self._run(), name="order-hub")
        if self._listen is not None and self._listener is None:
            self._listener = OrderListener(self._listen, self.wake)
            self._listener.start()

    async def stop(self) -> None:
        if self._listener is not None:
            await asyncio.to_thread(self._listener.stop)
            self._listener = None
        if self._task is not None:
            self._stopping = True  # even if a cancellation were lost, the loop ends
            if self._wake is not None:
                self._wake.set()
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
            self._task, self._stopping = None, False

    async def _run(self) -> None:
        assert self._wake is not None and self._ready is not None
        while self.position is None:
            try:
                self.position = await asyncio.to_thread(feed_head, self.sessions)
            except Exception:
                log.exception("order reader could not read the feed head; retrying")
                await asyncio.sleep(self.poll_seconds)
        self._ready.set()
        while not self._stopping:
            if not self._subscribers:
                self._wake.clear()
                await self._wake.wait()
                continue
            self._wake.clear()  # a NOTIFY during the read below makes the next one immediate
            self._polling = True
            try:
                events, scanned = await asyncio.to_thread(poll_orders, self.sessions,
                                                          self.position)  # fmt: skip
            except Exception:  # the database restarting: the next poll tries again
                log.exception("order reader failed to poll the feed")
                events = []
            else:
                self.polls += 1
                self._publish(events, scanned)
            finally:
                self._polling = False
            if len(events) == BATCH:
                continue  # more is waiting
            with suppress(TimeoutError):
                async with asyncio.timeout(self.poll_seconds):
                    await self._wake.wait()

    def _publish(self, events: list[OrderEvent], scanned: int) -> None:
        """Hand ``events`` to every subscriber and advance the position, in one loop step."""
        if events:
            for subscription in list(self._subscribers):
                if not subscription.offer(events):
                    self._subscribers.discard(subscription)
                    self.dropped += 1
        self.position = max(self.position or 0, scanned)
