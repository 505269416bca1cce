"""The queue each till reports with its batches (``X-Till-Queue-Waiting``: operations waiting,
``X-Till-Queue-Age``: seconds the oldest has waited), kept per terminal for the back office's
terminals page (issue 18 point 7).

What is stored is the queue as it stands after the batch: the till counts the batch it sends
among the waiting, so the operations the server judged in it are taken off; when none is left
the oldest age is cleared, else it is kept as "waiting since" (the server's time minus the
age), so the page's age keeps growing while a till with a queue stays silent.

Cheap by design (``POST /v1/ops`` is the tills' hot path): the decision is a dictionary lookup
per batch in this process (``QueueBook``); the terminal row is written only when the queue
empties or fills, when the oldest operation waiting changes by more than ``SHIFT``, or when
``REFRESH`` has passed since this process last wrote it (so "last seen" is at most a minute
old for a till that sends heartbeats). One small transaction then, on a worker thread, after
the batch's verdicts are committed; several server processes each write at most as often.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from pos_server.uow import unit_of_work

log = logging.getLogger(__name__)

WAITING_HEADER = b"x-till-queue-waiting"
AGE_HEADER = b"x-till-queue-age"
REFRESH = timedelta(seconds=60)
SHIFT = timedelta(seconds=60)
_MAX_WAITING = 2**31 - 1
_MAX_AGE = 10 * 365 * 86_400.0


def number(value: bytes) -> float | None:
    """A finite, non-negative number from a header, else None (a till's report is not
    trusted to be well-formed)."""
    try:
        found = float(value[:32])
    except ValueError:
        return None
    return found if math.isfinite(found) and found >= 0 else None


@dataclass(frozen=True, slots=True)
class Reported:
    """The headers of one batch: waiting (None: not sent) and the oldest one's age."""

    waiting: float | None
    age: float | None


def reported(headers: Iterable[tuple[bytes, bytes]]) -> Reported:
    """The queue report among raw ASGI headers (lower-case names)."""
    waiting = age = None
    for name, value in headers:
        if name == WAITING_HEADER:
            waiting = number(value)
        elif name == AGE_HEADER:
            age = number(value)
    return Reported(waiting, age)


@dataclass(frozen=True, slots=True)
class QueueState:
    """A till's queue as stored: ``oldest_at`` None when nothing waits."""

    waiting: int
    oldest_at: datetime | None
    reported_at: datetime


def after_batch(report: Reported, judged: int, now: datetime) -> QueueState | None:
    """The queue left at the till once the ``judged`` verdicts of this batch reach it (a
    refused operation stays queued); None: no report."""
    if report.waiting is None:
        return None
    waiting = max(min(int(report.waiting), _MAX_WAITING) - judged, 0)
    oldest_at = None
    if waiting and report.age is not None:
        oldest_at = now - timedelta(seconds=min(report.age, _MAX_AGE))
    return QueueState(waiting, oldest_at, now)


class QueueBook:
    """What this process last wrote per terminal, to skip writes that change nothing."""

    def __init__(self, limit: int = 10_000) -> None:
        self._written: dict[str, QueueState] = {}
        self._limit = limit

    @classmethod
    def of(cls, state: Any) -> QueueBook:
        """The app's book (``app.state.queue_book``), made on first use."""
        book: QueueBook | None = getattr(state, "queue_book", None)
        if book is None:
            book = state.queue_book = cls()
        return book

    def due(self, terminal_id: str, queue: QueueState) -> bool:
        """Whether ``queue`` is worth a write; if so it counts as written from now on."""
        last = self._written.get(terminal_id)
        if last is not None and not _differs(last, queue):
            return False
        if len(self._written) >= self._limit:
            self._written.clear()
        self._written[terminal_id] = queue
        return True

    def forget(self, terminal_id: str) -> None:
        """The write failed: the next report tries again."""
        self._written.pop(terminal_id, None)


def _differs(last: QueueState, new: QueueState) -> bool:
    if new.reported_at - last.reported_at >= REFRESH or bool(last.waiting) != bool(new.waiting):
        return True
    if (last.oldest_at is None) != (new.oldest_at is None):
        return True
    if last.oldest_at is not None and new.oldest_at is not None:
        return abs(new.oldest_at - last.oldest_at) > SHIFT
    return False


def store(engine: Engine, book: QueueBook, terminal_id: str, queue: QueueState) -> None:
    """Write ``queue`` to the terminal's row (a worker thread's call); a failure is logged,
    never the batch's (its verdicts are already committed)."""
    try:
        with unit_of_work(engine, actor="server", now=queue.reported_at) as uow:
            uow.terminals.report_queue(terminal_id, queue.waiting, queue.oldest_at,
                                       queue.reported_at)  # fmt: skip
    except Exception:
        book.forget(terminal_id)
        log.exception("could not store the queue reported by terminal %s", terminal_id)


def note(state: Any, terminal_id: str, report: Reported, judged: int) -> QueueState | None:
    """The queue to store for this batch, or None when nothing needs writing (no report, or
    the same as last written). ``state``: the app's (its clock and book)."""
    queue = after_batch(report, judged, state.clock())
    if queue is None or not QueueBook.of(state).due(terminal_id, queue):
        return None
    return queue
