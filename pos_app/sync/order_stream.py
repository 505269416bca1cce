"""The console's live feed of guest orders: GET /v1/orders/stream (server-sent events) with
``requests``, on background threads, delivering plain-Python ``StreamBatch`` objects.

* **Catch-up, then push.** On every (re)connect the client first pages ``GET /v1/changes`` from
  its cursor (orders, plus the guests' names and points balances the console shows), then
  opens the stream with ``Last-Event-ID`` = the cursor it reached, so orders placed while it
  was away are fetched and nothing is skipped. A change that arrives by both paths carries one
  change id; the order cache applies it once.
* **Dead connections.** The server sends a heartbeat comment every 15 s; the read timeout is
  ``heartbeat_timeout`` (40 s), so a silently dropped connection is noticed and reopened.
* **Reconnect** with exponential backoff and jitter (0.25 s doubling up to 5 s), reset after a
  successful connect; ``online`` says whether the stream is open right now.
* **Two threads.** The reader parses the stream and queues events; the dispatcher takes
  everything queued at once and hands it to ``on_batch`` as one batch, so a burst of orders
  becomes a few batches (one cache transaction, one GUI update each), and a slow consumer
  never stalls the socket.
"""

from __future__ import annotations

import contextlib
import json
import logging
import queue
import random
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import requests

from pos_app.services.orders import (
    BalanceInfo,
    GuestInfo,
    OrderView,
    PointsInfo,
    StreamBatch,
    accounts_from_wire,
    order_from_wire,
)
from pos_app.sync.server_link import DEFAULT_TRUST, ServerTrust, new_session

log = logging.getLogger(__name__)
PAGE = 1000


@dataclass(frozen=True, slots=True)
class StreamStatus:
    """``online``: the stream is open. ``since``: when it became so (or stopped being so)."""

    online: bool
    since: datetime
    error: str | None = None


def batch_from_changes(changes: list[dict[str, Any]], cursor: int) -> StreamBatch:
    """A page of ``GET /v1/changes`` as a batch (orders, guests, points balances)."""
    orders: list[OrderView] = []
    guests: list[GuestInfo] = []
    points: list[PointsInfo] = []
    balances: list[BalanceInfo] = []
    for change in changes:
        entity, data = change["entity"], change["data"]
        if entity == "order":
            orders.append(order_from_wire(data, int(change["id"])))
            _add_accounts(data, int(change["id"]), points, balances)
        elif entity == "guest":
            guests.append(GuestInfo(str(data["guest_id"]), str(data["name"]), data.get("phone")))
        elif entity == "bonus_account":
            points.append(PointsInfo(str(data["account_id"]), int(data["total"]),
                                     int(data["held"]), int(change["id"])))  # fmt: skip
        elif entity == "balance_account":
            balances.append(BalanceInfo(str(data["guest_id"]), int(data["total"]),
                                        int(change["id"])))  # fmt: skip
    return StreamBatch(tuple(orders), tuple(guests), tuple(points), cursor, tuple(balances))


def _add_accounts(data: dict[str, Any], change_id: int, points: list[PointsInfo],
                  balances: list[BalanceInfo]) -> None:  # fmt: skip
    """An order change carries its guest's accounts: the console shows them without waiting
    for the feed's own account snapshots (which the live stream does not push)."""
    guest_points, guest_balance = accounts_from_wire(data, change_id)
    if guest_points is not None:
        points.append(guest_points)
    if guest_balance is not None:
        balances.append(guest_balance)


def parse_events(chunks: Iterator[bytes]) -> Iterator[tuple[str, str, str]]:
    """(id, event, data) per server-sent event; comments are yielded as ("", ":", text)."""
    buffer = b""
    fields: dict[str, str] = {}
    for chunk in chunks:
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        for raw in lines:
            line = raw.rstrip(b"\r").decode("utf-8")
            if line.startswith(":"):
                yield "", ":", line[1:].strip()
            elif not line:
                if "data" in fields:
                    yield fields.get("id", ""), fields.get("event", "message"), fields["data"]
                fields = {}
            else:
                name, _, value = line.partition(":")
                value = value.removeprefix(" ")
                if name == "data" and "data" in fields:  # multi-line data joins with \n
                    value = f"{fields['data']}\n{value}"
                fields[name] = value


class OrderStream:
    """Keeps the console's order stream open; see the module docstring."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        cursor: int,
        on_batch: Callable[[StreamBatch], None],
        on_status: Callable[[StreamStatus], None] = lambda status: None,
        heartbeat_timeout: float = 40.0,
        max_backoff: float = 5.0,
        trust: ServerTrust = DEFAULT_TRUST,
    ) -> None:
        self._base = base_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {token}"}
        self._cursor = self._feed_cursor = cursor
        self._connected = False
        self._on_batch = on_batch
        self._on_status = on_status
        self._timeout = heartbeat_timeout
        self._max_backoff = max_backoff
        self._events: queue.Queue[StreamBatch | None] = queue.Queue()
        self._stop = threading.Event()
        self._online = False
        self._response: requests.Response | None = None
        self._session = new_session(base_url, trust)  # refuses http:// that is not safe
        self._guests: set[str] = set()
        self._threads = [
            threading.Thread(target=self._read_forever, name="order-stream", daemon=True),
            threading.Thread(target=self._dispatch, name="order-dispatch", daemon=True),
        ]

    @property
    def online(self) -> bool:
        return self._online

    @property
    def cursor(self) -> int:
        return self._cursor

    def start(self) -> OrderStream:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Close the connection and end both threads."""
        self._stop.set()
        response = self._response
        if response is not None:
            _interrupt(response)
        self._events.put(None)
        for thread in self._threads:
            if thread.is_alive() and thread is not threading.current_thread():
                thread.join(timeout)
        self._session.close()

    def _set_online(self, online: bool, error: str | None = None) -> None:
        if self._stop.is_set():
            self._online = False  # stopped: nobody listens any more
            return
        if online != self._online or error:
            self._online = online
            self._on_status(StreamStatus(online, datetime.now(UTC), error))

    def _read_forever(self) -> None:
        delay = 0.25
        while not self._stop.is_set():
            self._connected = False
            try:
                self._catch_up()
                self._listen()
            except Exception as exc:  # any failure means: reconnect
                if self._stop.is_set():
                    break  # stop() closed the response under the read
                log.info("order stream interrupted: %s", exc)
                self._set_online(False, f"{type(exc).__name__}: {exc}")
            else:
                self._set_online(False, "the server closed the stream")
            delay = 0.25 if self._connected else min(delay * 2, self._max_backoff)
            self._stop.wait(delay * random.uniform(0.8, 1.2))
        self._set_online(False)

    def _catch_up(self) -> None:
        """Page the change feed from where it was last read; deliver each page as a batch."""
        while not self._stop.is_set():
            response = self._session.get(
                f"{self._base}/v1/changes", params={"cursor": self._feed_cursor, "limit": PAGE},
                headers=self._headers, timeout=(5, 30),
            )  # fmt: skip
            response.raise_for_status()
            body = response.json()
            batch = batch_from_changes(body["changes"], int(body["next_cursor"]))
            self._guests.update(g.guest_id for g in batch.guests)
            # order changes up to the cursor were delivered already (the stream sends them all,
            # in id order): a feed page re-read for guests must not deliver them again
            fresh = tuple(o for o in batch.orders if o.change_id > self._cursor)
            self._feed_cursor = batch.cursor
            self._cursor = max(self._cursor, batch.cursor)
            if fresh or batch.guests or batch.points or batch.balances:
                self._events.put(replace(batch, orders=fresh, cursor=self._cursor))
            if not body["has_more"]:
                return

    def _listen(self) -> None:
        headers = {**self._headers, "Accept": "text/event-stream",
                   "Last-Event-ID": str(self._cursor)}  # fmt: skip
        with self._session.get(f"{self._base}/v1/orders/stream", headers=headers, stream=True,
                               timeout=(5, self._timeout)) as response:  # fmt: skip
            self._response = response
            response.raise_for_status()
            # read1: whatever has arrived, chunked or not (iter_content(None) would wait for
            # the end of a response that is not chunked, e.g. behind some proxies)
            chunks = iter(lambda: response.raw.read1(65536), b"")
            for event_id, kind, data in parse_events(chunks):
                if self._stop.is_set():
                    return
                if kind == ":":
                    self._connected = True
                    self._set_online(True)
                elif kind == "order":
                    wire = json.loads(data)
                    order = order_from_wire(wire, int(event_id))
                    self._cursor = max(self._cursor, order.change_id)
                    points: list[PointsInfo] = []
                    balances: list[BalanceInfo] = []
                    _add_accounts(wire, order.change_id, points, balances)
                    self._events.put(StreamBatch((order,), (), tuple(points), self._cursor,
                                                 tuple(balances)))  # fmt: skip
                    if order.guest_id not in self._guests:
                        self._catch_up()  # the guest's name (and balance) is in the feed
                        self._guests.add(order.guest_id)  # looked up once, found or not

    def _dispatch(self) -> None:
        while True:
            item = self._events.get()
            if item is None:
                return
            items: list[StreamBatch | None] = [item]
            with contextlib.suppress(queue.Empty):
                while len(items) < 2000:
                    items.append(self._events.get_nowait())
            stopping = None in items
            batch = _merge([i for i in items if i is not None])
            try:
                self._on_batch(batch)
            except Exception:  # a consumer bug must not kill the stream
                log.exception("order batch handler failed")
            if stopping:
                return


def _interrupt(response: requests.Response) -> None:
    """Wake a read blocked on the stream now, not at the next heartbeat: shut the socket
    down (closing the response alone leaves the reader waiting for the next bytes)."""
    connection = getattr(response.raw, "_connection", None)
    sock = getattr(connection, "sock", None)
    with contextlib.suppress(OSError):
        if sock is not None:
            sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(Exception):
        response.close()


def _merge(batches: list[StreamBatch]) -> StreamBatch:
    if len(batches) == 1:
        return batches[0]
    return StreamBatch(
        tuple(o for b in batches for o in b.orders),
        tuple(g for b in batches for g in b.guests),
        tuple(p for b in batches for p in b.points),
        max(b.cursor for b in batches),
        tuple(m for b in batches for m in b.balances),
    )
