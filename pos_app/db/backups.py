"""Backups of the till's store: taken while the till runs, checked before a restore.

A backup is SQLite's online backup of the store (``sqlite3.Connection.backup``: a consistent
snapshot even while sales are written, WAL and all) into ``backups/`` of the data folder,
named ``till-<UTC time>.sqlite3``, 0600 (it holds everything the store holds), written under a
``.partial`` name and renamed only once complete and on disk, so an interrupted backup never
looks like one. ``prune`` keeps ``keep_days`` days of them (always the newest).

``restore_backup`` refuses a file that is not a complete, healthy till store (truncated,
damaged, another kind of file) with a ``BackupInvalid`` that says which and why, before it
touches the store; the store it replaces is kept beside it (``till.before-restore-<time>``).
A restored store is older than the server's view of this till: the sync worker realigns its
queue on its first contact (``pos_app.sync.worker``, "A store behind the server").
"""

from __future__ import annotations

import os
import re
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pos_app.db.store import private_file
from pos_app.domain.sqlite_file import HEADER_SIZE, contents_problem, damaged, header_problem

BACKUP_DIR = "backups"
DEFAULT_KEEP_DAYS = 14
KEEP_DAYS_KEY = "backup.keep_days"  # store setting: how many days of daily backups are kept
_STAMP = "%Y%m%dT%H%M%SZ"
_NAME = re.compile(r"^till-(\d{8}T\d{6}Z)\.sqlite3$")
_TILL_TABLES = ("alembic_version", "outbox", "terminal_state")


class BackupInvalid(Exception):
    """The file is not a usable till backup; the message names it and says why."""


def backup_folder(data_dir: Path) -> Path:
    return Path(data_dir) / BACKUP_DIR


def backups(folder: Path) -> list[tuple[datetime, Path]]:
    """The backups in ``folder``, oldest first (by the time in their names)."""
    found = []
    for path in folder.glob("till-*.sqlite3") if folder.is_dir() else ():
        match = _NAME.match(path.name)
        if match:
            found.append((datetime.strptime(match[1], _STAMP).replace(tzinfo=UTC), path))
    return sorted(found)


def is_due(folder: Path, now: datetime, every: timedelta = timedelta(days=1)) -> bool:
    """No backup in ``folder`` is younger than ``every``."""
    taken = backups(folder)
    return not taken or now - taken[-1][0] >= every


def take_backup(store: Path, folder: Path, now: datetime | None = None) -> Path:
    """An online backup of ``store`` into ``folder``; returns the new file."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime(_STAMP)
    target = folder / f"till-{stamp}.sqlite3"
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)  # left by a backup that was interrupted
    private_file(partial)
    try:
        with closing(sqlite3.connect(store)) as src, closing(sqlite3.connect(partial)) as dst:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        _fsync(partial)
        os.replace(partial, target)
        _fsync(folder)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


def prune(folder: Path, keep_days: int, now: datetime | None = None) -> list[Path]:
    """Delete backups older than ``keep_days`` days, never the newest one; returns them."""
    limit = (now or datetime.now(UTC)) - timedelta(days=keep_days)
    taken = backups(folder)
    removed = [path for at, path in taken[:-1] if at < limit]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def check_backup(path: Path) -> None:
    """``BackupInvalid`` unless ``path`` is a complete, undamaged till store."""
    path = Path(path)
    if not path.is_file():
        raise BackupInvalid(f"{path} is not a backup file (it does not exist or is a folder).")
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
            problem = contents_problem(integrity, tables, _TILL_TABLES, "a till's store")
    if problem is not None:
        raise BackupInvalid(problem.sentence(path, "it was not restored"))


def restore_backup(backup: Path, store: Path, now: datetime | None = None) -> Path | None:
    """Replace ``store`` by a copy of ``backup`` (checked first); the till must be stopped.
    Returns where the replaced store was kept (None: there was none)."""
    check_backup(backup)
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime(_STAMP)
    kept = None
    if store.exists():
        kept = store.with_name(f"{store.stem}.before-restore-{stamp}{store.suffix}")
        for suffix in ("", "-wal", "-shm"):  # the WAL goes with its database file
            side = store.with_name(store.name + suffix)
            if side.exists():
                os.replace(side, kept.with_name(kept.name + suffix))
    store.parent.mkdir(parents=True, exist_ok=True)
    partial = store.with_name(store.name + ".restoring")
    partial.unlink(missing_ok=True)
    private_file(partial)
    with closing(sqlite3.connect(f"file:{backup}?mode=ro", uri=True)) as src, \
            closing(sqlite3.connect(partial)) as dst:  # fmt: skip
        src.backup(dst)
    _fsync(partial)
    os.replace(partial, store)
    _fsync(store.parent)
    return kept


def _fsync(path: Path) -> None:
    if os.name == "nt" and path.is_dir():
        return  # Windows cannot open a folder to sync it; NTFS journals the rename
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
