"""Connectivity as a plain-Python observable (DESIGN.md "Connectivity"; STYLE.md habit 7).

The worker updates one ``SyncState``; listeners get an immutable ``SyncSnapshot`` after every
change, on the worker's thread. The UI layer's bridge turns that into a Qt signal
(``sync_did_change_state``) - nothing here knows about Qt.

A snapshot says what the status bar shows: online, or offline since when; how many operations
wait and how old the oldest is; how many rejected or conflicting ones a manager has not
resolved yet (``problems``); when the queue last drained; the last error; and ``fatal`` - a
till bug the worker stopped on (a refused ``op_id``/seq, a malformed payload, a revoked token),
which no retry can fix and someone must look at.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SyncSnapshot:
    online: bool = False
    offline_since: datetime | None = None
    waiting: int = 0
    oldest_waiting_at: datetime | None = None
    last_sync: datetime | None = None  # the queue was last empty after a push at this time
    last_error: str | None = None
    fatal: str | None = None
    sending: bool = True  # False while another window of this till holds the sender lock
    messages: tuple[str, ...] = ()  # the latest conflicts/rejections, newest last
    problems: int = 0  # open reconciliation items (rejected / conflict) for a manager

    def oldest_age(self, now: datetime) -> timedelta | None:
        """How long the oldest waiting operation has waited (the UI shows it)."""
        return None if self.oldest_waiting_at is None else now - self.oldest_waiting_at


Listener = Callable[[SyncSnapshot], None]
MAX_MESSAGES = 20


class SyncState:
    """Thread-safe holder of the current ``SyncSnapshot``; ``subscribe`` to hear changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._snapshot = SyncSnapshot()
        self._listeners: list[Listener] = []

    @property
    def snapshot(self) -> SyncSnapshot:
        with self._lock:
            return self._snapshot

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` after every change; returns a function that unsubscribes it."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def update(self, **changes: object) -> SyncSnapshot:
        """Replace fields; listeners hear about it only if something changed."""
        with self._lock:
            new = replace(self._snapshot, **changes)  # type: ignore[arg-type]
            if new == self._snapshot:
                return new
            self._snapshot = new
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(new)
            except Exception:  # a broken listener must not stop the worker
                log.exception("sync state listener failed")
        return new

    def went_online(self) -> None:
        self.update(online=True, offline_since=None, last_error=None, sending=True)

    def went_offline(self, error: str, now: datetime) -> None:
        since = self.snapshot.offline_since or now
        self.update(online=False, offline_since=since, last_error=error)

    def add_messages(self, messages: tuple[str, ...]) -> None:
        if messages:
            self.update(messages=(self.snapshot.messages + messages)[-MAX_MESSAGES:])
