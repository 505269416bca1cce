"""Opening the till's SQLite store: checks, backup, migrations, connection settings.

``open_store(path)`` is the only way in. It refuses a file that is not a healthy SQLite
database with a ``StoreError`` naming the file and the newest backup, takes an online backup
before running any pending migration on an existing file, migrates to the head revision, and
returns a ``Store`` whose every connection runs in WAL mode with ``synchronous=FULL`` (a till
loses power; a sale shown as done must survive it) and foreign keys on.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from pos_app.services.ports import StoreError

MIGRATIONS = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 5_000
_BACKUP_GLOB = "{stem}.backup-*.sqlite3"


def alembic_config() -> Config:
    """Alembic configured in code: the scripts are found next to this module, no ini file."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migrations folder has no revision"
    return head


def newest_backup(path: Path) -> Path | None:
    """The newest of the backups taken before a migration (next to the store) and the daily
    ones (``backups/``, ``pos_app.db.backups``)."""
    migration = sorted(path.parent.glob(_BACKUP_GLOB.format(stem=path.stem)))
    daily = sorted((path.parent / "backups").glob("till-*.sqlite3"))
    found = [group[-1] for group in (migration, daily) if group]
    if not found:
        return None
    try:
        return max(found, key=lambda backup: backup.stat().st_mtime)
    except OSError:  # one vanished meanwhile (a prune)
        return found[-1]


def store_error(path: Path, reason: str) -> StoreError:
    return StoreError(path, reason, newest_backup(path))


def _set_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Autocommit at the driver level; transactions are begun explicitly below so that a unit of
    # work takes the write lock at BEGIN (no SQLITE_BUSY upgrade deadlock with the sync worker).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _begin_immediate(conn: Any) -> None:
    # A unit of work may already have begun on the driver (its hot path runs there).
    if not conn.connection.driver_connection.in_transaction:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite+pysqlite:///{path}", pool_size=2, max_overflow=4)
    event.listen(engine, "connect", _set_pragmas)
    event.listen(engine, "begin", _begin_immediate)
    return engine


def _require_writable(path: Path) -> None:
    """SQLite opens a write-protected file read-only without a word: the first sale would fail."""
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise store_error(path, "the till may not read and write it; check the file's permissions")
    if path.parent.is_dir() and not os.access(path.parent, os.W_OK | os.X_OK):
        raise store_error(
            path,
            f"the till may not write in its folder {path.parent} (the WAL journal lives there);"
            " check the folder's permissions",
        )


def private_file(path: Path) -> None:
    """The store readable by the till's user only (0600): guests, their phones and balances,
    the sales and the queue of operations are in it. A missing file is created so (SQLite gives
    its -wal and -shm the database's mode); an existing one, or its side files, that others may
    read is narrowed. Nothing on Windows, where a file's access is its folder's ACL."""
    if sys.platform == "win32":
        return
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    for suffix in ("", "-wal", "-shm", "-journal"):
        side = path.with_name(path.name + suffix)
        try:
            mode = side.stat().st_mode
            if stat.S_ISREG(mode) and stat.S_IMODE(mode) & 0o077:
                side.chmod(0o600)
        except OSError:
            continue  # absent, or another user's file: left as it is


def _check_file(path: Path) -> str | None:
    """The current alembic revision of an existing database (``None`` for a new/empty one)."""
    if path.is_dir():
        raise store_error(path, "it is a directory, not a database file")
    _require_writable(path)
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=rw", uri=True)) as conn:
            problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
            if problems != ["ok"]:
                raise store_error(path, "it is damaged: " + "; ".join(problems[:3]))
            has_version = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone()
            if not has_version:
                tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
                if tables:
                    raise store_error(path, "it is an SQLite database, but not a till store")
                return None
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            return None if row is None else str(row[0])
    except sqlite3.DatabaseError as exc:
        raise store_error(path, describe_failure(exc)) from exc


def describe_failure(exc: BaseException) -> str:
    text = str(exc)
    if "not a database" in text or "malformed" in text:
        return f"it is not a readable SQLite database ({text})"
    if "unable to open" in text or "readonly" in text or "permission" in text.lower():
        return f"it cannot be opened for writing ({text}); check the file's permissions"
    if "full" in text:
        return f"the disk is full ({text}); free some space, then try again"
    if "locked" in text or "busy" in text:
        return f"another program holds it locked ({text}); close it, then try again"
    return text


def backup_file(path: Path, revision: str, now: datetime | None = None) -> Path:
    """An online backup (sqlite3 backup API, consistent even under WAL) next to ``path``."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.stem}.backup-{stamp}-{revision}.sqlite3")
    private_file(target)  # a copy of everything in the store: as private as the store
    with closing(sqlite3.connect(path)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
    return target


def _migrate(engine: Engine) -> None:
    config = alembic_config()
    with engine.connect() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        conn.commit()


@contextmanager
def _as_store_error(path: Path) -> Iterator[None]:
    try:
        yield
    except StoreError:
        raise
    except (sqlite3.Error, DBAPIError) as exc:
        raise store_error(path, describe_failure(getattr(exc, "orig", None) or exc)) from exc
    except (SQLAlchemyError, OSError) as exc:
        raise store_error(path, str(exc)) from exc


def _make_folder(path: Path) -> None:
    """Create the database's folder, saying plainly when a file stands where a folder must."""
    for folder in (path.parent, *path.parent.parents):
        if folder.exists():
            if not folder.is_dir():
                raise store_error(path, f"{folder} is a file, but it must be a folder")
            break
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise store_error(path, f"its folder cannot be created ({exc.strerror})") from exc


def prepare_file(path: Path) -> Path | None:
    """Check, back up when a migration is due, migrate. Returns the backup made, if any."""
    path = Path(path)
    with _as_store_error(path):
        _make_folder(path)
        current = _check_file(path)
        private_file(path)
        backup = None
        if current is not None and current != head_revision():
            backup = backup_file(path, current)
        engine = make_engine(path)
        try:
            _migrate(engine)
        finally:
            engine.dispose()
        return backup
