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

from sqlalchemy import Engine

from pos_server.background import BackgroundPass

SAFETY_PAGES = 20_000  # ~80 MB of log: a connection checkpoints itself only past this


class Checkpointer(BackgroundPass):
    name = "wal-checkpoint"

    def __init__(self, engine: Engine, interval: float = 1.0) -> None:
        self._engine = engine
        super().__init__(interval)

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
