"""Backups of the server's database, and restoring one (``pos-server backup`` / ``restore``).

* **SQLite**: SQLite's online backup API (``sqlite3.Connection.backup``) copies a consistent
  snapshot while the server runs (WAL: its writers are not blocked); the copy is one
  self-contained file.
* **PostgreSQL**: ``pg_dump --format=custom`` (a consistent snapshot, the server running), read
  back by ``pg_restore``. Both come with the PostgreSQL client package; their absence is said
  plainly. A password in the URL goes to them in ``PGPASSWORD``, never on a command line.

Every backup is written under a ``.partial`` name, 0600 (it holds guests' phones, the ledger
and the staff's password hashes), synced to disk and renamed only when complete, so an
interrupted backup never looks like one; its SHA-256 goes to ``FILE.sha256`` beside it
(``sha256sum -c`` reads it too). ``restore`` checks the whole file before it touches the
database - the checksum when the ``.sha256`` file is there, then the format: an SQLite file's
size against its header and ``PRAGMA integrity_check``, a dump by ``pg_restore`` reading every
block of it - and refuses a cut or damaged one with a sentence saying so (``BackupError``).
It refuses a database that already holds data unless told ``--force``; an SQLite database it
replaces is kept beside it. PostgreSQL is restored in one transaction: all of it or nothing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import inspect, make_url
from sqlalchemy.engine import URL

from pos_app.domain.sqlite_file import HEADER_SIZE, contents_problem, damaged, header_problem
from pos_server.db import make_engine
from pos_server.db.engine import private_sqlite_file

_PG_HEADER = b"PGDMP"
_SERVER_TABLES = ("alembic_version", "terminals", "applied_operations")


class BackupError(Exception):
    """The backup or restore cannot be done; the message says why and what to do."""


def kind_of(url: str) -> str:
    backend = make_url(url).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL URLs, not {backend!r}.")
    return backend


def backup(url: str, out: Path) -> Path:
    """Write a backup of the database at ``url`` to ``out``; returns ``out``."""
    out = Path(out)
    if out.is_dir():
        raise BackupError(f"{out} is a folder; name the backup file to write.")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    private_sqlite_file(partial)  # 0600 from the first byte
    try:
        if kind_of(url) == "sqlite":
            _sqlite_backup(_sqlite_path(url), partial)
        else:
            _pg_dump(make_url(url), partial)
        _fsync(partial)
        checksum = _checksum_file(out)
        checksum.write_text(f"{_sha256(partial)}  {out.name}\n", encoding="utf-8")
        os.replace(partial, out)
        _fsync(out.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return out


def _checksum_file(backup_file: Path) -> Path:
    return backup_file.with_name(backup_file.name + ".sha256")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def verify_checksum(file: Path) -> bool:
    """``BackupError`` if ``FILE.sha256`` (written by ``backup``) does not match; False when
    there is none (a copy without it: only the format checks below can be made)."""
    checksum = _checksum_file(file)
    if not checksum.is_file():
        return False
    expected = checksum.read_text(encoding="utf-8").split()[:1]
    if expected != [_sha256(file)]:
        raise BackupError(f"{file} does not match its checksum {checksum.name}: it was cut "
                          "short or damaged after the backup; nothing was restored. Use an "
                          "older backup.")  # fmt: skip
    return True


def restore(url: str, file: Path, *, force: bool = False, now: datetime | None = None
            ) -> Path | None:  # fmt: skip
    """Put the backup ``file`` into the database at ``url`` (the servers stopped). Returns
    where a replaced SQLite file was kept."""
    file = Path(file)
    if not file.is_file():
        raise BackupError(f"There is no backup file {file}.")
    verify_checksum(file)
    if kind_of(url) == "sqlite":
        check_sqlite_backup(file)
        return _sqlite_restore(file, _sqlite_path(url), force, now or datetime.now(UTC))
    check_pg_dump(file)
    target = make_url(url)
    if not force and _holds_data(url):
        raise BackupError(f"The database {target.database!r} already holds a server's data; "
                          "restore into a new, empty database, or add --force to replace "
                          "the objects the backup contains.")  # fmt: skip
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
          "--exit-on-error", f"--dbname={_libpq(target)}", str(file)], target,
         f"the restore of {file} failed; nothing was changed (one transaction)")  # fmt: skip
    return None


# --- SQLite -----------------------------------------------------------------------------------

def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError(f"{url} is not an SQLite database file.")
    return Path(database)


def _sqlite_backup(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupError(f"There is no database file {source}.")
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")  # one file, no -wal beside it


def check_sqlite_backup(path: Path) -> None:
    """``BackupError`` unless ``path`` is a complete, undamaged server database."""
    if not path.is_file():
        raise BackupError(f"There is no backup file {path}.")
    size = path.stat().st_size
    with path.open("rb") as file:
        header = file.read(HEADER_SIZE)
    problem = header_problem(header, size)
    if problem is None:
        try:
            with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
                integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
                tables = {row[0] for row in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'")}  # fmt: skip
        except sqlite3.DatabaseError as exc:
            problem = damaged(str(exc))
        else:
            problem = contents_problem(integrity, tables, _SERVER_TABLES, "a pos-server one")
    if problem is not None:
        raise BackupError(problem.sentence(path))


def _sqlite_restore(file: Path, target: Path, force: bool, now: datetime) -> Path | None:
    kept = None
    if target.exists() and target.stat().st_size > 0:
        if not force:
            raise BackupError(f"{target} already exists; add --force to replace it (it is "
                              "kept beside it).")  # fmt: skip
        stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = target.with_name(f"{target.name}.before-restore-{stamp}")
        for suffix in ("", "-wal", "-shm"):  # the WAL goes with its database file
            side = target.with_name(target.name + suffix)
            if side.exists():
                os.replace(side, kept.with_name(kept.name + suffix))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".restoring")
    partial.unlink(missing_ok=True)
    private_sqlite_file(partial)
    with closing(sqlite3.connect(f"file:{file}?mode=ro", uri=True)) as src, \
            closing(sqlite3.connect(partial)) as dst:  # fmt: skip
        src.backup(dst)
    _fsync(partial)
    os.replace(partial, target)
    return kept


# --- PostgreSQL -------------------------------------------------------------------------------

def _libpq(url: URL) -> str:
    """The URL as libpq takes it: no SQLAlchemy driver name, no password (``PGPASSWORD``)."""
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False)


def _run(command: list[str], url: URL, failed: str) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed: install the PostgreSQL client "
                          "(Debian: apt-get install postgresql-client) of the server's "
                          "major version or newer.")  # fmt: skip
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{failed}: {' / '.join(detail[-3:]) or result.returncode}")


def _pg_dump(url: URL, target: Path) -> None:
    _run(["pg_dump", "--format=custom", f"--file={target}", f"--dbname={_libpq(url)}"], url,
         "pg_dump failed")


def check_pg_dump(path: Path) -> None:
    """``BackupError`` unless ``path`` is a complete custom-format dump: ``pg_restore`` reads
    all of it (to nothing) first, so a cut or damaged dump is refused before any change."""
    if not path.is_file():
        raise BackupError(f"There is no backup file {path}.")
    with path.open("rb") as file:
        if file.read(5) != _PG_HEADER:
            raise BackupError(f"{path} is not a pg_dump backup (empty, cut short or another "
                              "kind of file); nothing was restored.")  # fmt: skip
    _run(["pg_restore", f"--file={os.devnull}", str(path)], make_url("postgresql://"),
         f"{path} is incomplete or damaged (pg_restore cannot read it through); nothing was "
         "restored. Use an older backup")  # fmt: skip


def _holds_data(url: str) -> bool:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return bool(inspect(conn).has_table("alembic_version"))
    finally:
        engine.dispose()


def _fsync(path: Path) -> None:
    if os.name == "nt" and path.is_dir():
        return  # Windows cannot open a folder to sync it
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
