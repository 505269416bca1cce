"""The till's daily backup, on a background thread of its own.

When: a minute after start when the newest backup is a day old or more, then checked every
hour. A shop
expects a backup every day without anyone doing anything: tills stay open for days, a gaming
club may not close a shift for a week, and a backup at shift open would add seconds to a
cashier's action and be skipped on a day without one. The online backup reads the store while
sales go on (WAL: writers are not blocked), on this thread, never the GUI's.

Where and how long: ``backups/`` of the data folder, 0600 files, ``backup.keep_days`` days
(store setting, default 14; ``pos-app backup --keep-days N`` sets it) - see
``pos_app.db.backups``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pos_app.db import Store
from pos_app.db.backups import (
    DEFAULT_KEEP_DAYS,
    KEEP_DAYS_KEY,
    backup_folder,
    is_due,
    prune,
    take_backup,
)

log = logging.getLogger(__name__)
CHECK_EVERY = 3600.0
EVERY = timedelta(days=1)
START_DELAY = 60.0  # the first check waits: a till's start is not slowed by a copy of its store


def keep_days(store: Store) -> int:
    with store.unit_of_work(durable=False) as uow:
        value = uow.settings.get(KEEP_DAYS_KEY, DEFAULT_KEEP_DAYS)
    return max(1, int(value)) if isinstance(value, int | str) else DEFAULT_KEEP_DAYS


def backup_now(store: Store, data_dir: Path, now: datetime | None = None) -> Path:
    """One backup now, then the old ones pruned (``pos-app backup`` and the daily thread)."""
    now = now or datetime.now(UTC)
    folder = backup_folder(data_dir)
    made = take_backup(store.path, folder, now)
    for old in prune(folder, keep_days(store), now):
        log.info("old backup removed: %s", old)
    return made


class DailyBackup:
    """``start()`` runs the check on a daemon thread; ``stop()`` ends it."""

    def __init__(self, store: Store, data_dir: Path, *, check_every: float = CHECK_EVERY,
                 every: timedelta = EVERY, start_delay: float = START_DELAY,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:  # fmt: skip
        self.store, self.data_dir = store, Path(data_dir)
        self._check_every, self._every, self._now = check_every, every, now
        self._start_delay = start_delay
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_error: str | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="daily-backup", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)

    def run_once(self) -> Path | None:
        """A backup if one is due; the file made (None: not due, or it failed - logged)."""
        now = self._now()
        if not is_due(backup_folder(self.data_dir), now, self._every):
            return None
        try:
            made = backup_now(self.store, self.data_dir, now)
        except Exception as exc:  # a full disk must not stop the till; the log says it
            self.last_error = f"{exc.__class__.__name__}: {exc}"
            log.exception("the daily backup of %s failed", self.store.path)
            return None
        self.last_error = None
        log.info("daily backup: %s", made)
        return made

    def _run(self) -> None:
        self._stop.wait(self._start_delay)
        while not self._stop.is_set():
            self.run_once()
            self._stop.wait(self._check_every)
