"""One order reader per server process (``pos_server.orders.hub``), fanned out to every stream.

* 50 streams open on one real server (uvicorn on a loopback port, in this process so the
  engine's statements can be counted): a new order reaches all 50, and the feed is read once
  per poll, not once per stream.
* The hand-over from a stream's own catch-up to the shared reader loses and repeats nothing
  while orders are placed concurrently (SQLite and PostgreSQL).
* A stream joining a reader that sat idle (no stream open) resumes it from the feed's head,
  not from where it stopped, and a stream from before the idle spell still misses nothing.
* A subscriber that stops reading is dropped with a "reconnect" comment; resuming from its last
  event id brings exactly what it missed.
* PostgreSQL: a NOTIFY at commit wakes the reader of every server process long before the poll
  (5 s) would, across two ``pos-server run`` processes on one database.
"""

from __future__ import annotations

import asyncio
import os
import random
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from bench.net import free_port
from bench.sse import SseReader
from pos_server.app import create_app
from pos_server.db import make_engine, make_sessions, upgrade
from pos_server.db.models import Change
from pos_server.demo import place_demo_order
from pos_server.orders.hub import OrderHub
from pos_server.orders.service import ORDER_ENTITY
from pos_server.orders.stream import TOO_FAR_BEHIND, feed_head, order_stream
from pos_server.settings import ServerSettings
from tests.live_server import STARTUP_SECONDS, wait_until_up
from tests.server.conftest import PG_SKIP_REASON, PG_URL, add_terminal, throwaway_pg_database

POLL = 0.05


def run(scenario: Callable[[], Awaitable[None]], limit: float = 90) -> None:
    """``asyncio.run`` with a time limit: a stuck stream fails the test, it does not hang it."""

    async def limited() -> None:
        async with asyncio.timeout(limit):
            await scenario()

    asyncio.run(limited())


@dataclass
class LiveServer:
    """``create_app`` served by uvicorn on a loopback port, on a thread of this process."""

    app: Any
    port: int
    token: str
    db_url: str

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def place(self, order_id: str) -> None:
        body = {"order_id": order_id, "guest_id": "demo-anna", "method": "card",
                "lines": [{"product_id": "latte", "name": "Latte", "quantity": 1,
                           "unit_price": 25_000}]}  # fmt: skip
        response = httpx.post(f"{self.base}/v1/orders", json=body,
                              headers={"Authorization": f"Bearer {self.token}"})  # fmt: skip
        assert response.status_code == 201, response.text


def place_demo(sessions: sessionmaker[Session], rng: random.Random) -> None:
    place_demo_order(sessions.kw["bind"], now=datetime.now(UTC), rng=rng)


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveServer]:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    upgrade(url)
    code = add_terminal(url, "Console").enrolment_code
    settings = ServerSettings(database_url=url, stream_poll_seconds=POLL,
                              stream_heartbeat_seconds=5, sweep_interval_seconds=0)  # fmt: skip
    app = create_app(settings)
    # the demo guests, before any stream opens
    place_demo_order(app.state.sessions.kw["bind"], now=datetime.now(UTC), rng=random.Random(1))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           timeout_graceful_shutdown=1))  # fmt: skip
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_SECONDS
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        token = httpx.post(f"http://127.0.0.1:{port}/v1/terminals/enrol",
                           json={"code": code}).json()["token"]  # fmt: skip
        yield LiveServer(app, port, token, url)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class FeedReads:
    """Counts the statements that read the ``changes`` table, on every thread of the engine."""

    def __init__(self, engine: Engine) -> None:
        self.count = 0
        self._lock = threading.Lock()
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "FROM changes" in statement:
            with self._lock:
                self.count += 1


def test_a_new_order_reaches_50_streams_with_one_feed_read_per_poll(live: LiveServer) -> None:
    hub: OrderHub = live.app.state.order_hub
    reads = FeedReads(live.app.state.engine)

    async def scenario() -> None:
        readers = [SseReader("127.0.0.1", live.port, live.token) for _ in range(50)]
        await asyncio.gather(*(r.open() for r in readers))
        assert hub.subscribers == 50
        await asyncio.sleep(0.2)
        reads.count, polls, started = 0, hub.polls, time.perf_counter()
        await asyncio.to_thread(live.place, "o-1")
        got = await asyncio.gather(*(r.wait_for(lambda r=r: r.events, 3) for r in readers))
        assert all(got), f"{got.count(False)} of 50 streams did not get the order"
        assert {r.events[0].data["order_id"] for r in readers if r.events} == {"o-1"}
        await asyncio.sleep(0.5)
        elapsed, polls = time.perf_counter() - started, hub.polls - polls
        # each poll is two statements (the head, the range); a poll under way when counting
        # started or ended adds at most one more of each. 50 streams polling would be 50 times.
        assert reads.count <= 2 * (polls + 1)
        assert polls <= elapsed / POLL + 2
        for reader in readers:
            await reader.close()
        deadline = time.monotonic() + 3
        while hub.subscribers and time.monotonic() < deadline:  # gone with their connections
            await asyncio.sleep(0.02)
        assert hub.subscribers == 0

    run(scenario)


async def collect(
    hub: OrderHub, cursor: int, until: list[int], timeout: float = 20
) -> list[int]:
    """Event ids of a stream from ``cursor`` until ``until[0]`` (set once known) was seen."""
    seen: list[int] = []

    async def never() -> bool:
        return False

    stream = order_stream(hub, cursor, heartbeat_seconds=0.5, disconnected=never)
    deadline = time.monotonic() + timeout
    try:
        async for text in stream:
            if text.startswith("id: "):
                seen.append(int(text.split("\n", 1)[0][4:]))
            if until and (seen[-1] if seen else cursor) >= until[0]:
                return seen  # (a heartbeat every 0.5 s gets here when nothing is due)
            assert time.monotonic() < deadline, f"stream from {cursor} stuck after {seen[-3:]}"
        return seen
    finally:
        await stream.aclose()


def order_change_ids(sessions: sessionmaker[Session]) -> list[int]:
    with sessions() as session:
        return list(session.scalars(select(Change.id).where(Change.entity == ORDER_ENTITY)
                                    .order_by(Change.id)))  # fmt: skip


@pytest.fixture
def hub_db(db_url: str) -> Iterator[tuple[Engine, sessionmaker[Session]]]:
    engine = make_engine(db_url)
    try:
        yield engine, make_sessions(engine)
    finally:
        engine.dispose()


@asynccontextmanager
async def running_hub(
    engine: Engine, sessions: sessionmaker[Session], poll_seconds: float = 0.01,
    buffer_events: int = 1000,
) -> AsyncIterator[OrderHub]:
    hub = OrderHub(sessions, poll_seconds=poll_seconds, buffer_events=buffer_events,
                   listen=engine if engine.dialect.name == "postgresql" else None)  # fmt: skip
    try:
        yield hub
    finally:
        await hub.stop()


def test_catch_up_hands_over_to_the_reader_without_gap_or_duplicate(
    hub_db: tuple[Engine, sessionmaker[Session]],
) -> None:
    engine, sessions = hub_db
    place_demo(sessions, random.Random(0))  # the demo guests

    async def scenario() -> None:
        async with running_hub(engine, sessions) as hub:
            rng, total, placed = random.Random(7), 80, [0]

            def placer(seed: int) -> None:
                local = random.Random(seed)
                while placed[0] < total:
                    placed[0] += 1
                    place_demo(sessions, local)
                    time.sleep(local.uniform(0, 0.01))

            writers = [threading.Thread(target=placer, args=(s,)) for s in (1, 2)]
            for writer in writers:
                writer.start()
            last: list[int] = []
            streams: list[tuple[int, asyncio.Task[list[int]]]] = []
            for _ in range(16):  # streams join at random moments, from random cursors behind
                await asyncio.sleep(rng.uniform(0, 0.06))
                head = await asyncio.to_thread(feed_head, sessions)
                cursor = max(0, head - rng.randint(0, 12))
                streams.append((cursor, asyncio.create_task(collect(hub, cursor, last))))
            await asyncio.to_thread(lambda: [w.join() for w in writers])
            ids = order_change_ids(sessions)
            last.append(ids[-1])
            for cursor, task in streams:
                assert await task == [i for i in ids if i > cursor], f"from {cursor}"
            assert hub.subscribers == 0

    run(scenario)


def test_a_subscriber_that_falls_behind_is_dropped_and_catches_up_on_reconnect(
    hub_db: tuple[Engine, sessionmaker[Session]],
) -> None:
    engine, sessions = hub_db
    place_demo(sessions, random.Random(0))

    async def never() -> bool:
        return False

    async def scenario() -> None:
        async with running_hub(engine, sessions, poll_seconds=0.02, buffer_events=3) as hub:
            cursor = await asyncio.to_thread(feed_head, sessions)
            slow = order_stream(hub, cursor, heartbeat_seconds=60, disconnected=never)
            assert (await anext(slow)).startswith("retry: 1000\n: connected")
            last: list[int] = []
            fast = asyncio.create_task(collect(hub, cursor, last))
            while hub.subscribers < 2:
                await asyncio.sleep(0.01)
            for n in range(5):  # the slow stream reads nothing meanwhile
                await asyncio.to_thread(place_demo, sessions, random.Random(n))
                await asyncio.sleep(0.03)  # polls in between: the fast stream keeps up
            ids = order_change_ids(sessions)[-5:]
            last.append(ids[-1])
            assert await fast == ids
            assert hub.dropped == 1
            assert await anext(slow) == TOO_FAR_BEHIND
            with pytest.raises(StopAsyncIteration):
                await anext(slow)
            assert hub.subscribers == 0
            # the client reconnects with the last id it got (none: its cursor)
            assert await collect(hub, cursor, last) == ids

    run(scenario)


def _run_server(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "POS_SERVER_SWEEP_INTERVAL_SECONDS": "0",
           "POS_SERVER_STREAM_POLL_SECONDS": "5"}  # fmt: skip
    return subprocess.Popen([sys.executable, "-m", "pos_server.cli", "run", "--db", url,
                             "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip


def _wait_up(base: str) -> None:
    wait_until_up(base)


@pytest.mark.postgres
def test_notify_wakes_the_reader_of_every_server_process_before_the_poll() -> None:
    if not PG_URL:
        pytest.skip(PG_SKIP_REASON)
    with throwaway_pg_database(PG_URL) as url:
        upgrade(url)
        code = add_terminal(url, "Console").enrolment_code
        engine = make_engine(url)
        place_demo(make_sessions(engine), random.Random(0))  # the demo guests
        engine.dispose()
        ports = [free_port(), free_port()]
        processes = [_run_server(url, port) for port in ports]
        try:
            for port in ports:
                _wait_up(f"http://127.0.0.1:{port}")
            token = httpx.post(f"http://127.0.0.1:{ports[0]}/v1/terminals/enrol",
                               json={"code": code}).json()["token"]  # fmt: skip
            servers = [LiveServer(None, port, token, url) for port in ports]

            async def scenario() -> None:
                readers = [await SseReader("127.0.0.1", port, token).open() for port in ports]
                await asyncio.sleep(0.5)  # each reader's first poll is done; the next in 5 s
                for n, server in enumerate(servers * 2):
                    started = time.perf_counter()
                    await asyncio.to_thread(server.place, f"pg-{n}")
                    for reader in readers:
                        assert await reader.wait_for(lambda r=reader, n=n: len(r.events) > n,
                                                     1.0)
                        assert reader.events[n].data["order_id"] == f"pg-{n}"
                        assert reader.events[n].at - started < 1.0
                    await asyncio.sleep(0.3)
                for reader in readers:
                    await reader.close()

            run(scenario)
        finally:
            for process in processes:
                process.terminate()
                process.wait(timeout=10)


def test_a_stream_joining_an_idle_reader_gets_no_stale_events_and_misses_nothing(
    hub_db: tuple[Engine, sessionmaker[Session]],
) -> None:
    engine, sessions = hub_db
    place_demo(sessions, random.Random(0))

    async def scenario() -> None:
        async with running_hub(engine, sessions) as hub:
            first = await asyncio.to_thread(feed_head, sessions)
            async with hub.subscribe():
                pass  # the reader started, then nobody listens any more
            stale = hub.position
            for n in range(3):  # read by no one
                await asyncio.to_thread(place_demo, sessions, random.Random(n))
            await asyncio.sleep(0.05)
            assert hub.position == stale
            head = await asyncio.to_thread(feed_head, sessions)
            async with hub.subscribe() as subscription:
                assert subscription.joined_at == hub.position == head  # resumed at the head
                await asyncio.to_thread(place_demo, sessions, random.Random(9))
                ids = order_change_ids(sessions)
                assert [e.id for e in await subscription.wait(2)] == ids[-1:]
                # a stream from before the idle spell reads the gap from the feed itself
                assert await collect(hub, first, [ids[-1]]) == ids[-4:]

    run(scenario)
