"""``GET /health``: 200 when the database answers, 503 with the reason when it does not.

Tills ask it every couple of seconds while offline (their sign that the server is back) and a
load balancer or Docker's health check asks it too, so the database is asked at most once per
``CACHE_SECONDS`` whatever the number of callers, and one slow check is shared by everyone who
asks meanwhile instead of taking a worker thread each. The reason names what failed (the
driver's error class), not the database's address or user.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import anyio
from anyio import to_thread
from sqlalchemy import Engine

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 3.0
CACHE_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class Health:
    ok: bool
    reason: str | None = None

    def body(self) -> dict[str, str]:
        if self.ok:
            return {"status": "ok", "database": "ok"}
        return {"status": "unavailable", "database": "unreachable", "reason": self.reason or ""}


class HealthProbe:
    """One app's database check: at most one in flight, its answer kept ``CACHE_SECONDS``."""

    def __init__(self, engine: Engine, timeout: float = TIMEOUT_SECONDS) -> None:
        self._engine = engine
        self._timeout = timeout
        self._last: Health | None = None
        self._checked_at = float("-inf")
        self._running: anyio.Event | None = None
        self._in_thread = False  # a check's thread has not returned (maybe abandoned)
        # SQLite: "SELECT 1" would not even read the file; this reads its first page
        self._query = ("SELECT count(*) FROM sqlite_master" if engine.dialect.name == "sqlite"
                       else "SELECT 1")  # fmt: skip

    async def check(self) -> Health:
        if self._last is not None and time.monotonic() - self._checked_at < CACHE_SECONDS:
            return self._last
        if self._running is not None:  # someone is asking the database: share its answer
            await self._running.wait()
            return self._last if self._last is not None else await self.check()
        self._running = running = anyio.Event()
        try:
            self._last = await self._ask()
            self._checked_at = time.monotonic()
        finally:
            self._running = None
            running.set()
        return self._last

    async def _ask(self) -> Health:
        late = Health(False, f"the database did not answer within {self._timeout:g} s")
        if self._in_thread:  # the last check's thread is still stuck: do not add another
            return late
        self._in_thread = True
        with anyio.move_on_after(self._timeout):
            # on timeout the thread is left behind (a connect cannot be interrupted)
            return await to_thread.run_sync(self._select_one, abandon_on_cancel=True)
        log.warning("health: the database did not answer within %s s", self._timeout)
        return late

    def _select_one(self) -> Health:
        """A query on a pooled driver connection: no SQLAlchemy transaction, so on SQLite no
        ``BEGIN IMMEDIATE`` (the write lock) for a health check. A pooled connection the
        database closed (a restart) is thrown away and the query tried once on a new one."""
        try:
            try:
                self._query_once()
            except Exception:
                self._query_once()
        except Exception as exc:
            log.warning("health: the database cannot be reached: %s", exc)
            return Health(False, f"the database cannot be reached ({type(exc).__name__})")
        finally:
            self._in_thread = False
        return Health(True)

    def _query_once(self) -> None:
        connection = self._engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(self._query)
            cursor.fetchall()
            cursor.close()
        except Exception:
            connection.invalidate()  # not back to the pool
            raise
        finally:
            connection.close()
