"""The card-payment port: an acquiring terminal that charges a bank card and can reverse it.

``PaymentService.pay_card`` asks the terminal to charge an amount under a reference made by
the till (a UUID), so a charge whose answer was lost can be reversed by that reference: a
timeout is never left ambiguous (the same rule as the points holds, DESIGN.md). The adapter is
``pos_app.devices.acquiring`` (a TCP line protocol, with a local fake terminal that speaks it).
Every call blocks for at most the adapter's timeout; services run off the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from pos_app.domain.errors import DomainError


@dataclass(frozen=True, slots=True)
class CardApproval:
    ref: str
    amount: int
    auth_code: str
    rrn: str  # the bank's retrieval reference number
    card_mask: str = ""  # e.g. "**** 1234"


class CardDeclined(DomainError):
    code = "card_declined"


class CardTerminalUnavailable(DomainError):
    """No answer could be had (not connected, refused, or timed out)."""

    code = "card_terminal_unavailable"


class CardPaymentUncertain(DomainError):
    """The terminal did not answer and could not confirm the reversal either."""

    code = "card_payment_uncertain"


class Acquirer(Protocol):
    def charge(self, ref: str, amount: int) -> CardApproval:
        """Charge ``amount`` kopecks; raises ``CardDeclined`` or ``CardTerminalUnavailable``."""
        ...

    def reverse(self, ref: str) -> bool:
        """Undo the charge ``ref``; ``True`` when no money stays taken (reversed, or the
        terminal never charged it). Raises ``CardTerminalUnavailable`` without an answer."""
        ...
