"""Transaction statements sent straight to the DBAPI connection, for the operations pipeline's
group commit (``pos_server/ops/pipeline.py``, ``Commits``).

SQLAlchemy's ``begin_nested()`` cost 0.14 ms per operation (``python -m bench sync``); the
driver's own ``SAVEPOINT`` costs a round trip and nothing else. The savepoint statements are
the same on SQLite and PostgreSQL; the durability of a commit is SQLite's alone
(``PRAGMA synchronous``; PostgreSQL commits durably, see ``apply_batch``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection


class DriverControl:
    """Savepoints and commit durability on one connection, below SQLAlchemy."""

    __slots__ = ("_connection", "relaxable")

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        # commits may skip waiting for the disk (SQLite synchronous=NORMAL) and a later
        # durable commit covers them
        self.relaxable = connection.dialect.name == "sqlite"

    def savepoint(self) -> None:
        self._driver().execute("SAVEPOINT op")

    def release(self) -> None:
        self._driver().execute("RELEASE op")

    def rollback_to_savepoint(self) -> None:
        """Undo the savepoint's work and end it."""
        driver = self._driver()
        driver.execute("ROLLBACK TO op")
        driver.execute("RELEASE op")

    def durable_commits(self, durable: bool) -> None:
        """Whether the commits that follow wait for the disk (only where ``relaxable``; only
        outside a transaction)."""
        if self.relaxable:
            self._driver().execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")

    def _driver(self) -> Any:
        driver = self._connection.connection.driver_connection
        assert driver is not None
        return driver
