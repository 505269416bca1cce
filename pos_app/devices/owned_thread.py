"""The one thread that owns a device (STYLE.md habit 6): started once, stopped by an event."""

from __future__ import annotations

import threading
from collections.abc import Callable


class OwnedThread:
    """Runs ``target`` on a daemon thread; ``stopping`` tells it to finish."""

    def __init__(self, target: Callable[[], None], name: str) -> None:
        self._target = target
        self._name = name
        self.stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        """Start the thread unless it runs already."""
        if self._thread is not None:
            return
        self.stopping.clear()
        self._thread = threading.Thread(target=self._target, name=self._name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float) -> None:
        """Ask the thread to finish and wait at most ``timeout`` seconds for it."""
        self.stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
