"""Runs one user action off the GUI thread and reports back on it.

After Anki's ``CollectionOp``: every service call a widget makes goes through ``OpRunner.run``.
The call runs on a single worker thread (the store is SQLite: one writer at a time keeps it
simple and fast), and the result or the typed error comes back through a queued Qt signal, so
callbacks always run on the GUI thread and the GUI thread never waits on I/O.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)

SuccessCallback = Callable[[Any], None]
ErrorCallback = Callable[[Exception], None]


class OpRunner(QObject):
    """Single-worker executor whose callbacks run on the thread that owns this object."""

    _finished = Signal(int, object, object)  # ticket, result, error
    op_did_start = Signal()
    op_did_finish = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pos-op")
        self._tickets = itertools.count(1)
        self._pending: dict[int, tuple[SuccessCallback | None, ErrorCallback | None]] = {}
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self.closed = False

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def run(
        self,
        func: Callable[[], Any],
        on_success: SuccessCallback | None = None,
        on_error: ErrorCallback | None = None,
    ) -> None:
        """Queue ``func``; exactly one of the callbacks is called later on the GUI thread.

        After ``shutdown`` (the app is closing) nothing runs and no callback is called: a timer
        that fires during shutdown must not crash the exit."""
        if self.closed:
            log.debug("op dropped: the runner is shut down")
            return
        ticket = next(self._tickets)
        self._pending[ticket] = (on_success, on_error)
        self.op_did_start.emit()
        self._executor.submit(self._work, ticket, func)

    def _work(self, ticket: int, func: Callable[[], Any]) -> None:
        try:
            result = func()
        except Exception as exc:  # handed to the GUI thread, never lost
            self._finished.emit(ticket, None, exc)
        else:
            self._finished.emit(ticket, result, None)

    @Slot(int, object, object)
    def _deliver(self, ticket: int, result: Any, error: Exception | None) -> None:
        on_success, on_error = self._pending.pop(ticket)
        try:
            if error is None:
                if on_success is not None:
                    on_success(result)
            elif on_error is not None:
                on_error(error)
            else:
                log.error("operation failed with nobody listening", exc_info=error)
        finally:
            self.op_did_finish.emit()

    def shutdown(self, wait: bool = True) -> None:
        self.closed = True
        self._executor.shutdown(wait=wait, cancel_futures=not wait)
