"""The card-payment port: an acquiring terminal that charges a bank card and can reverse it.

``PaymentService.pay_card`` asks the terminal to charge an amount under a reference made by
the till (a UUID), so a charge whose answer was lost can be reversed by that reference: a
timeout is never left ambiguous (the same rule as the points holds, DESIGN.md). The adapter is
``pos_app.devices.acquiring`` (a TCP line protocol, with a local fake terminal that speaks it).
Every call blocks for at most the adapter's timeout; services run off the GUI thread. A till
without a terminal has ``NoAcquirer``: it refuses every call with ``NoCardTerminal``, so no
service asks whether a terminal exists.
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


class NoCardTerminal(DomainError):
    """This till has no card terminal: nothing was charged or given back."""

    code = "no_card_terminal"


class Acquirer(Protocol):
    def charge(self, ref: str, amount: int) -> CardApproval:
        """Charge ``amount`` kopecks; raises ``CardDeclined`` or ``CardTerminalUnavailable``."""
        ...

    def reverse(self, ref: str) -> bool:
        """Undo the charge ``ref``; ``True`` when no money stays taken (reversed, or the
        terminal never charged it). Raises ``CardTerminalUnavailable`` without an answer."""
        ...


class NoAcquirer:
    """The acquirer of a till without a card terminal: it never charges and says why."""

    def charge(self, ref: str, amount: int) -> CardApproval:
        raise NoCardTerminal("No card terminal is set up on this till.")

    def reverse(self, ref: str) -> bool:
        raise NoCardTerminal("No card terminal is set up to give the card payment back.")


NO_ACQUIRER = NoAcquirer()  # stateless: one for every service of a till without a terminal
