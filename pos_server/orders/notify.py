"""PostgreSQL ``NOTIFY`` of order changes, and the ``LISTEN``ing thread of a server process.

The writer (``pos_server.repositories.orders.Orders.saved``) notifies inside the transaction
that records the change, so the notification is delivered at commit (and never for a
rolled-back change); identical notifications of one transaction are folded into one by
PostgreSQL, so a batch of order actions wakes a listener once. The payload is empty on
purpose: the change feed stays the only source of what changed, a notification only says
"look now". SQLite has no such thing: there the reader polls.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy import Engine

log = logging.getLogger(__name__)

CHANNEL = "tillkeeper_orders"


class OrderListener:
    """A daemon thread holding one autocommit connection that ``LISTEN``s on ``CHANNEL``;
    ``wake()`` is called for each notification, and after every (re)connect, since a change
    may have committed while it was not listening."""

    def __init__(self, engine: Engine, wake: Callable[[], None], retry_seconds: float = 1.0):
        self._conninfo = engine.url.set(drivername="postgresql").render_as_string(
            hide_password=False
        )
        self._wake, self._retry = wake, retry_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="order-listener", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        import psycopg

        while not self._stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    self._wake()
                    while not self._stop.is_set():
                        # returns after the timeout so that stop() is noticed
                        for _notification in connection.notifies(timeout=0.5):
                            self._wake()
            except Exception:  # the database restarting: the poll covers the gap, retry
                log.warning("order listener lost its connection; retrying", exc_info=True)
            self._stop.wait(self._retry)
