"""SQLite's write-ahead log copied back into the database file off the operations' path.

By default the connection whose commit takes the log past 1 000 pages runs the checkpoint
itself: copying the frames back and syncing the file, inside that operation's time. Judging
a queue of sales that was every few dozen operations and a fifth of the drain's time
(``python -m bench sync``). The server's connections leave that to this thread (their own
limit is raised to ``SAFETY_PAGES``, a net should it stall): a PASSIVE checkpoint every
``interval`` seconds copies whatever no reader still needs, never waits for a lock and never
stops a writer. PostgreSQL has its own checkpointer; nothing runs there.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine

log = logging.getLogger(__name__)
SAFETY_PAGES = 20_000  # ~80 MB of log: a connection checkpoints itself only past this


class Checkpointer:
    def __init__(self, engine: Engine, interval: float = 1.0) -> None:
        self._engine, self._interval = engine, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def run_once(self) -> tuple[int, int, int]:
        """(busy, frames in the log, frames copied back) as SQLite reports them."""
        raw = self._engine.raw_connection()
        try:
            row = raw.driver_connection.execute(  # type: ignore[union-attr]
                "PRAGMA wal_checkpoint(PASSIVE)").fetchone()  # fmt: skip
        finally:
            raw.close()
        busy, frames, copied = row
        return int(busy), int(frames), int(copied)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.run_once()
            except Exception:  # a locked or busy file: the next pass tries again
                log.exception("WAL checkpoint failed")
