"""Printing a plain report (the shift report) or a refund's receipt from the till screen, or
saying why it cannot.

The till's print queue (``pos_app.commands.printing.ReceiptPrinting``) is a ``ReportPrinter``;
a till without a printer gets ``NoReportPrinter``, which refuses with a sentence for the
cashier, so the screen never checks whether a printer exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from pos_app.domain.errors import DomainError

if TYPE_CHECKING:
    from pos_app.services.refunds import RefundReceipt


class NoPrinter(DomainError):
    code = "no_printer"


class ReportPrinter(Protocol):
    @property
    def available(self) -> bool:
        """Whether a printer is set up (a screen may say so before it is asked to print)."""
        ...

    def print_report(self, lines: Sequence[str], title: str, *, kick_drawer: bool = False
                     ) -> int:  # fmt: skip
        """Queue ``lines`` for printing; the print job's id. ``kick_drawer``: the cash drawer
        opens after it (cash taken or handed back: a deposit top-up or its refund)."""
        ...

    def print_refund(self, refund: RefundReceipt, *, venue_name: str, cashier: str) -> int:
        """Queue the refund's receipt (the drawer opens when cash goes back); the job's id."""
        ...


class NoReportPrinter:
    """The report printer of a till without a printer."""

    @property
    def available(self) -> bool:
        return False

    def print_report(self, lines: Sequence[str], title: str, *, kick_drawer: bool = False
                     ) -> int:  # fmt: skip
        raise NoPrinter("No printer is set up on this till.")

    def print_refund(self, refund: RefundReceipt, *, venue_name: str, cashier: str) -> int:
        raise NoPrinter("No printer is set up on this till.")
