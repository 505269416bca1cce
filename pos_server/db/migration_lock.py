"""One migrating process at a time, so several servers can start on one database at once.

Without it two ``pos-server migrate`` (or ``run``) started together both read the schema's
version, both run the same migration, and the second dies on ``alembic_version``'s unique key
(PostgreSQL) or "table already exists" (SQLite).

The lock is taken as the first statement of the transaction the migrations then run in, and
alembic reads the current version inside it, so a process that waited sees what the one before
it committed and has nothing left to do:

* PostgreSQL: ``pg_advisory_xact_lock`` - held until that transaction commits or rolls back
  (also when the process dies: the connection closes);
* SQLite: the database's write lock, which the server's engine takes at ``BEGIN IMMEDIATE``.
  Waiting for it gives up after the busy timeout (15 s), so it is asked again until
  ``SQLITE_WAIT_SECONDS`` have passed: a first migration of a large file may take longer.
"""

from __future__ import annotations

import logging
import time

from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError

log = logging.getLogger(__name__)

# any 64-bit number no other program uses on the same database: "tillkeep" in ASCII
ADVISORY_KEY = int.from_bytes(b"tillkeep", "big") & 0x7FFF_FFFF_FFFF_FFFF
SQLITE_WAIT_SECONDS = 600.0


def lock_for_migration(connection: Connection) -> None:
    """Begin ``connection``'s transaction holding the migration lock (released at its end)."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_KEY})
    elif dialect == "sqlite":
        _sqlite_write_lock(connection)


def _sqlite_write_lock(connection: Connection) -> None:
    deadline = time.monotonic() + SQLITE_WAIT_SECONDS
    while True:
        try:
            connection.execute(text("SELECT 1"))  # autobegin: BEGIN IMMEDIATE (engine.py)
            return
        except OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            connection.rollback()
            log.info("another process is migrating the database; waiting")
