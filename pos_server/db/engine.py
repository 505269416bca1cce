"""Engines for SQLite (default) and PostgreSQL (``postgresql+psycopg://``)."""

from __future__ import annotations

import os
import stat
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc, make_url
from sqlalchemy.orm import Session, sessionmaker

from pos_server.db.checkpointer import SAFETY_PAGES

SQLITE_BUSY_TIMEOUT_MS = 15_000


def make_engine(url: str) -> Engine:
    """Create the engine; SQLite gets WAL, foreign keys and ``BEGIN IMMEDIATE`` transactions."""
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:" and not database.startswith("file:"):
            private_sqlite_file(Path(database))
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})
        _configure_sqlite(engine)
        return engine
    engine = create_engine(url, pool_size=10, max_overflow=20)
    _ping_when_idle(engine)
    return engine


def private_sqlite_file(path: Path) -> None:
    """The database file readable by its owner only (0600): guests' phones, the ledger and
    the staff's PIN hashes are in it. A missing file is created so (SQLite gives its -wal and
    -shm the database's mode); an existing one, or its side files, that others may read is
    narrowed. Nothing on Windows, where a file's access is its folder's ACL."""
    if sys.platform == "win32":
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError:
        return  # no such folder, no right to write there: SQLite says so in its own words
    for suffix in ("", "-wal", "-shm", "-journal"):
        side = path.with_name(path.name + suffix)
        try:
            mode = side.stat().st_mode
            if stat.S_ISREG(mode) and stat.S_IMODE(mode) & 0o077:
                side.chmod(0o600)
        except OSError:
            continue  # absent, or another user's file: left as it is


IDLE_PING_SECONDS = 5.0


def _ping_when_idle(engine: Engine) -> None:
    """``pool_pre_ping`` only for a connection that sat unused for a while.

    A ping on every checkout was one more round trip for every operation a till sends; a
    connection used moments ago is alive. One that idled (a PostgreSQL restart may have cut
    it) is pinged, and a dead one is replaced before the caller sees it (SQLAlchemy's
    "pessimistic" disconnect handling: ``DisconnectionError`` makes the pool retry).
    """

    @event.listens_for(engine.pool, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine.pool, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < IDLE_PING_SECONDS:
            return
        try:
            cursor = dbapi_connection.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
            dbapi_connection.rollback()
        except Exception as error:
            raise exc.DisconnectionError(str(error)) from error


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling starts transactions lazily and deferred, so two
    # writers can both read and then deadlock on the upgrade to a write lock. Taking the write
    # lock at BEGIN serialises writers, which is what per-terminal ordering needs anyway.
    # https://docs.sqlalchemy.org/en/20/dialects/sqlite.html#serializable-isolation-savepoints-transactional-ddl
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # every commit synced, unless the operations pipeline relaxes it for one batch
        cursor.execute("PRAGMA synchronous=FULL")
        # the log is copied back by the server's Checkpointer thread, not inside a commit
        cursor.execute(f"PRAGMA wal_autocheckpoint={SAFETY_PAGES}")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # a savepoint's undo copies (one per operation of a batch) in memory, not a temp file
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # on the driver's connection: exec_driver_sql cost 0.2 ms per transaction
        connection.connection.dbapi_connection.execute("BEGIN IMMEDIATE")


def make_sessions(engine: Engine) -> sessionmaker[Session]:
    """Session factory; objects stay readable after commit so verdicts can be built from them."""
    return sessionmaker(engine, expire_on_commit=False)
