"""What an operation changed, so each panel refreshes itself.

After Anki's ``OpChanges`` and ``operation_did_execute``: an operation (a scan, a payment, a
guest identified, a manager's reset of a guest's holds) says which parts of the till's state
it changed, the till controller broadcasts that once, and every panel that shows one of those
parts reads it again from the session - instead of each callback redrawing widgets it chose.
A new panel (the customer display) subscribes and is never forgotten by a callback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from pos_app.services.dto import SaleView
    from pos_app.services.guests import GuestPanel as GuestInfo


@dataclass(frozen=True, slots=True)
class OpChanges:
    """The parts of the till's state an operation changed."""

    sale: bool = False  # the open sale: its lines, totals, payments - or which sale is open
    guest: bool = False  # the identified guest, or what is known of their points and balance

    def __or__(self, other: OpChanges) -> OpChanges:
        return OpChanges(self.sale or other.sale, self.guest or other.guest)


SALE = OpChanges(sale=True)
GUEST = OpChanges(guest=True)
EVERYTHING = OpChanges(sale=True, guest=True)


class Session(Protocol):
    """The till's current state as panels read it (``TillController``)."""

    @property
    def sale(self) -> SaleView | None: ...
    @property
    def guest(self) -> GuestInfo | None: ...


class ChangeObserver(Protocol):
    """A panel: told after every operation, it refreshes what ``changes`` concern."""

    def op_executed(self, changes: OpChanges, session: Session) -> None: ...
