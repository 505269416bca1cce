"""Ports of the print queue: the job store (``pos_app.db``), a printer and the layout of what
is printed (``pos_app.devices``).

The composition code (``pos_app.commands.printing``) plugs the SQLite queue, the ESC/POS
printer adapter and its layout in; the service and its worker only see these protocols and
plain data. A receipt is laid out from the services' own plain data of a closed sale
(``SaleView``): how it looks on paper (template, columns, code page) is the devices' business.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal, Protocol

from pos_app.services.dto import SaleView
from pos_app.services.receipt_points import ReceiptPoints

if TYPE_CHECKING:
    from pos_app.services.programme_settings import VenueDetails

JobKind = Literal["receipt", "test", "report"]
JobStatus = Literal["queued", "printing", "done", "waiting", "cancelled"]
PENDING_STATUSES: tuple[JobStatus, ...] = ("queued", "printing", "waiting")


@dataclass(frozen=True)
class PrintJob:
    """One job as stored; ``document`` is the printer's bytes (already encoded)."""

    id: int
    kind: JobKind
    title: str
    printer: str
    document: bytes
    status: JobStatus
    attempts: int
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime | None = None
    printed_at: datetime | None = None
    reprint_of: int | None = None


class PrintOutcome(Protocol):
    """What a printer says about one job: ``ok`` only when its status after the job is fine."""

    @property
    def ok(self) -> bool: ...
    @property
    def message(self) -> str: ...


class PrinterPort(Protocol):
    """A printer; called only from the print worker's thread. Never raises for printer faults."""

    def print_bytes(self, job: bytes) -> PrintOutcome: ...


class PrintQueueRepository(Protocol):
    """The persistent queue; each call is its own small, committed transaction."""

    def add(
        self,
        kind: JobKind,
        document: bytes,
        *,
        printer: str,
        title: str,
        now: datetime,
        reprint_of: int | None = None,
    ) -> int: ...

    def get(self, job_id: int) -> PrintJob | None: ...

    def head(self, printer: str) -> PrintJob | None:
        """The oldest job of ``printer`` not yet done or cancelled (jobs print in order)."""
        ...

    def mark_printing(self, job_id: int) -> None:
        """The attempt is starting: status ``printing``, one more attempt counted."""
        ...

    def mark_done(self, job_id: int, now: datetime) -> None: ...

    def mark_waiting(self, job_id: int, error: str, retry_at: datetime) -> None: ...

    def set_status(self, job_id: int, status: JobStatus) -> bool:
        """Returns False when the job does not exist."""
        ...

    def retry_now(self, printer: str, now: datetime) -> int:
        """Waiting jobs of ``printer`` become due now; returns how many."""
        ...

    def recover(self, printer: str) -> int:
        """After a restart: ``printer``'s jobs left ``printing`` are queued again; how many."""
        ...

    def pending_count(self, printer: str) -> int: ...

    def recent(self, printer: str, limit: int) -> Sequence[PrintJob]:
        """The newest jobs first, ``document`` left empty (the list is for display)."""
        ...


class PrintLayout(Protocol):
    """The printer's bytes of a closed sale's receipt and of a plain report (a shift report),
    laid out for one printer (its columns and code page). ``pos_app.devices.layout`` is it."""

    def sale_receipt(
        self, sale: SaleView, *, venue_name: str, cashier: str = "",
        printed_at: datetime | None = None, timezone: str = ...,
        points: ReceiptPoints | None = None, subscribe_link: str | None = None,
        order_number: str = "", venue: VenueDetails | None = None,
    ) -> bytes:  # fmt: skip
        """``timezone``: the shop's named zone (``services/venue_time.py``), for the time;
        ``points``: the guest's points spent, earned and balance after; ``subscribe_link``:
        the buyer's one-time messenger link, printed with its QR (seed 003); ``order_number``:
        the guest order the sale pays; ``venue``: the venue's address, tax number, receipt
        header and footer (``programme_settings.py``)."""
        ...

    def report(self, lines: Sequence[str], *, kick_drawer: bool = False) -> bytes: ...
