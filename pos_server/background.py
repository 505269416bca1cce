"""A pass of work every few seconds on a daemon thread while the app is up.

Used by the hold sweeper and the SQLite checkpointer: a failing pass (the database restarting,
a busy file) is logged and the next one tries again, so the thread never dies of it.
"""

from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)


class BackgroundPass:
    """Subclasses implement ``run_once``; ``start()``/``stop()`` from the app's lifespan."""

    name = "background-pass"

    def __init__(self, interval: float) -> None:
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def run_once(self) -> object:
        raise NotImplementedError

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.run_once()
            except Exception:  # a database hiccup must not kill the thread; next pass retries
                log.exception("%s failed", self.name)
