"""The print queue: enqueue, reprint, cancel, state for the cashier, and the worker that prints.

A sale only *enqueues* its receipt (one small committed write) and goes on; the worker thread
(started by ``pos_app.commands.printing``, never the GUI thread) prints the jobs of one printer
strictly in order. A job is done only when the printer's status after it says the printer is
fine; otherwise it waits and is retried with a growing delay, and the jobs behind it wait too
(receipts never come out of order). Jobs are on disk before the printer is touched, so a
restart loses none: a job caught mid-print is sent again (twice is better than never).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from pos_app.domain.errors import DomainError
from pos_app.services.ports import Clock, StoreError
from pos_app.services.ports_print import (
    JobKind,
    JobStatus,
    PrinterPort,
    PrintJob,
    PrintQueueRepository,
)

log = logging.getLogger(__name__)


class PrintJobNotFound(DomainError):
    code = "print_job_not_found"


class PrintJobPending(DomainError):
    code = "print_job_pending"


@dataclass(frozen=True)
class Backoff:
    """Delay before retry ``n`` (1-based): ``first_s`` doubling up to ``max_s``."""

    first_s: float = 1.0
    max_s: float = 30.0

    def delay(self, attempts: int) -> float:
        return min(self.first_s * 2.0 ** max(attempts - 1, 0), self.max_s)


@dataclass(frozen=True)
class PrintJobView:
    id: int
    kind: JobKind
    title: str
    status: JobStatus
    attempts: int
    last_error: str | None
    created_at: datetime
    printed_at: datetime | None


@dataclass(frozen=True)
class PrintQueueState:
    """What the status bar shows: jobs not yet printed and why the first one is stuck."""

    printer: str
    pending: int
    waiting: bool
    last_error: str | None
    next_attempt_at: datetime | None


def _view(job: PrintJob) -> PrintJobView:
    return PrintJobView(
        job.id, job.kind, job.title, job.status, job.attempts, job.last_error,
        job.created_at, job.printed_at,
    )  # fmt: skip


class PrintService:
    """Use cases of one printer's queue; every method is safe from any thread."""

    def __init__(
        self,
        queue: PrintQueueRepository,
        clock: Clock,
        *,
        printer: str = "receipt",
        backoff: Backoff | None = None,
        on_change: Callable[[int, bool], None] | None = None,
    ) -> None:
        self.queue = queue
        self.clock = clock
        self.printer = printer
        self.backoff = backoff or Backoff()
        self.wake = threading.Event()  # set when there may be work for the worker
        # Called on the worker's thread after each attempt with (job id, printed): the status
        # bar refreshes on it instead of polling. It must not block.
        self.on_change = on_change

    def enqueue(self, kind: JobKind, document: bytes, title: str = "") -> int:
        job_id = self.queue.add(
            kind, document, printer=self.printer, title=title, now=self.clock.now()
        )
        self.wake.set()
        return job_id

    def reprint(self, job_id: int) -> int:
        """A new job with the same bytes; the original stays as it was (the history)."""
        job = self.queue.get(job_id)
        if job is None:
            raise PrintJobNotFound(f"Print job {job_id} does not exist.", job_id=job_id)
        if job.status not in ("done", "cancelled"):
            raise PrintJobPending(
                "This document has not been printed yet; it is still in the queue.",
                job_id=job_id,
            )
        new_id = self.queue.add(
            job.kind, job.document, printer=job.printer, title=job.title,
            now=self.clock.now(), reprint_of=job.id,
        )  # fmt: skip
        self.wake.set()
        return new_id

    def cancel(self, job_id: int) -> None:
        """Drop a job that is not printed (e.g. the printer is broken for the day)."""
        job = self.queue.get(job_id)
        if job is None:
            raise PrintJobNotFound(f"Print job {job_id} does not exist.", job_id=job_id)
        if job.status in ("queued", "waiting"):
            self.queue.set_status(job_id, "cancelled")
            self.wake.set()

    def retry_now(self) -> int:
        """The cashier loaded paper: try the waiting job at once."""
        count = self.queue.retry_now(self.printer, self.clock.now())
        self.wake.set()
        return count

    def state(self) -> PrintQueueState:
        head = self.queue.head(self.printer)
        pending = self.queue.pending_count(self.printer)
        if head is None:
            return PrintQueueState(self.printer, 0, False, None, None)
        waiting = head.status == "waiting"
        return PrintQueueState(
            self.printer, pending, waiting, head.last_error if waiting else None,
            head.next_attempt_at if waiting else None,
        )  # fmt: skip

    def recent_jobs(self, limit: int = 20) -> list[PrintJobView]:
        return [_view(job) for job in self.queue.recent(self.printer, limit)]

    def print_next(self, printer: PrinterPort) -> float | None:
        """One step of the worker: print the head job if due. Returns seconds until the next
        step is worth taking (0: at once), or None when the queue is empty."""
        job = self.queue.head(self.printer)
        if job is None:
            return None
        now = self.clock.now()
        if job.status == "waiting" and job.next_attempt_at and job.next_attempt_at > now:
            return (job.next_attempt_at - now).total_seconds()
        self.queue.mark_printing(job.id)
        outcome = printer.print_bytes(job.document)
        if outcome.ok:
            self.queue.mark_done(job.id, self.clock.now())
            self._changed(job.id, True)
            return 0.0
        delay = self.backoff.delay(job.attempts + 1)
        retry_at = self.clock.now() + timedelta(seconds=delay)
        self.queue.mark_waiting(job.id, outcome.message, retry_at)
        log.info("print job %d waits %.1f s: %s", job.id, delay, outcome.message)
        self._changed(job.id, False)
        return delay

    def _changed(self, job_id: int, printed: bool) -> None:
        if self.on_change is None:
            return
        try:
            self.on_change(job_id, printed)
        except Exception:  # a listener's fault must not stop the printing
            log.exception("print queue listener failed")


class PrintWorker:
    """The thread that drains one printer's queue; ``start``/``stop`` from the composition."""

    def __init__(
        self, service: PrintService, printer: PrinterPort, *, idle_poll_s: float = 2.0
    ) -> None:
        self.service = service
        self.printer = printer
        self.idle_poll_s = idle_poll_s  # another process may enqueue into the same store
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._run, name=f"print:{self.service.printer}", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stops after the job in hand (a printer call is bounded by its own timeout)."""
        self._stop.set()
        self.service.wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        self._recover()
        while not self._stop.is_set():
            self.service.wake.clear()
            try:
                delay = self.service.print_next(self.printer)
            except StoreError as exc:  # the store is unwell: keep the thread, try later
                log.warning("print queue unavailable: %s", exc)
                delay = self.idle_poll_s
            if delay == 0.0:
                continue
            wait = self.idle_poll_s if delay is None else min(delay, self.idle_poll_s)
            self.service.wake.wait(wait)

    def _recover(self) -> None:
        try:
            count = self.service.queue.recover(self.service.printer)
        except StoreError as exc:
            log.warning("print queue not recovered: %s", exc)
            return
        if count:
            log.warning("%d print job(s) interrupted by a restart are printed again", count)


__all__ = [
    "Backoff",
    "PrintJobNotFound",
    "PrintJobPending",
    "PrintJobView",
    "PrintQueueState",
    "PrintService",
    "PrintWorker",
]
