"""Ports of the till's own use cases: staff, shifts, promo codes, guest search.

Four repositories, each reached as a property of the unit of work (``uow.staff``,
``uow.shifts``, ``uow.promo``, ``uow.guest_search``). The SQLite adapter is
``pos_app.db.till_repo``; ``tests/services/fakes.py`` has the in-memory fakes. Records are
frozen plain data; money is int kopecks, times aware UTC.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from pos_app.domain.guests import Guest
from pos_app.domain.refunds import RefundedLine

# --- staff ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StaffRecord:
    """A member of staff as the till stores them (from the change feed or demo data).

    ``pin_hash`` and ``salt`` are hex text; ``params`` names the slow hash and its cost, e.g.
    ``{"algorithm": "pbkdf2_sha256", "iterations": 100000}`` or
    ``{"algorithm": "scrypt", "n": 16384, "r": 8, "p": 1}``. The PIN itself is never stored.
    """

    staff_id: str
    name: str
    role: str  # "cashier" | "manager" | "operator" | "admin"
    pin_hash: str
    salt: str
    params: Mapping[str, Any] = field(default_factory=dict)
    active: bool = True
    permissions: frozenset[str] = frozenset()  # granted beyond the role, e.g. bonus_settings


class StaffRepository(Protocol):
    def add(self, staff: StaffRecord) -> None:
        """Insert or replace."""
        ...

    def get(self, staff_id: str) -> StaffRecord | None: ...
    def active(self) -> Sequence[StaffRecord]: ...


# --- shifts -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ShiftRecord:
    shift_id: str
    terminal_id: str
    number: int
    opened_at: datetime
    opened_by: str
    opening_cash: int
    closed_at: datetime | None = None
    closed_by: str | None = None
    counted_cash: int | None = None
    expected_cash: int | None = None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True, slots=True)
class CashMovement:
    shift_id: str
    kind: str  # "in" | "out"
    amount: int
    reason: str
    at: datetime
    staff_id: str


@dataclass(frozen=True, slots=True)
class PaymentRecord:
    method: str
    amount: int
    change: int = 0


@dataclass(frozen=True, slots=True)
class SaleRecord:
    """A sale that ended (closed or cancelled) as a shift report needs it."""

    sale_id: str
    status: str  # "closed" | "cancelled"
    ended_at: datetime
    guest_id: str | None
    subtotal: int
    discount: int
    total: int
    payments: tuple[PaymentRecord, ...] = ()


@dataclass(frozen=True, slots=True)
class CardSlip:
    """A card payment the terminal approved (kept for the Z report and reversals)."""

    ref: str
    sale_id: str
    amount: int
    auth_code: str
    rrn: str
    at: datetime
    reversed: bool = False


@dataclass(frozen=True, slots=True)
class TopUpRecord:
    """Money a guest put on their deposit (balance account) at this till: not revenue, so the
    shift reports list it apart from sales; ``card_ref``: the acquirer's reference of a card
    top-up (reversed to give it back); ``refunded_*``: a manager gave it back."""

    top_up_id: str
    guest_id: str
    method: str  # "cash" | "card"
    amount: int
    at: datetime
    staff_id: str
    card_ref: str | None = None
    refunded_at: datetime | None = None
    refunded_by: str | None = None


@dataclass(frozen=True, slots=True)
class RefundRecord:
    """A closed sale given back, in full or by line: what went back by each way it was paid;
    ``lines``: the lines and units (empty for refunds made before refunds by line: the whole
    sale)."""

    refund_id: str
    sale_id: str
    at: datetime
    staff_id: str
    approved_by: str
    reason: str
    cash: int
    card: int
    balance: int
    points: int
    lines: tuple[RefundedLine, ...] = ()

    @property
    def total(self) -> int:
        return self.cash + self.card + self.balance + self.points

    def by_method(self) -> dict[str, int]:
        return {"cash": self.cash, "card": self.card, "balance": self.balance,
                "points": self.points}  # fmt: skip


class ShiftRepository(Protocol):
    def current(self, terminal_id: str) -> ShiftRecord | None:
        """The open shift of this terminal, if any."""
        ...

    def get(self, shift_id: str) -> ShiftRecord | None: ...
    def last_number(self, terminal_id: str) -> int: ...
    def save(self, shift: ShiftRecord) -> None:
        """Insert or replace."""
        ...

    def add_movement(self, movement: CashMovement) -> None: ...
    def movements(self, shift_id: str) -> Sequence[CashMovement]: ...
    def ended_sales(
        self, terminal_id: str, since: datetime, until: datetime | None = None
    ) -> Sequence[SaleRecord]:
        """Sales of this terminal that ended (closed or cancelled) in ``[since, until)``."""
        ...

    def guest_sales_since(self, guest_id: str, since: datetime) -> Sequence[SaleRecord]:
        """The sales this guest was identified in that ended (closed or cancelled) at or after
        ``since``, and those opened since then and still open (``ended_at`` = opened time for
        them): the day's local identifications (ended ones, as on the server) and spend."""
        ...

    def add_refund(self, refund: RefundRecord) -> None: ...
    def refunds_of(self, sale_id: str) -> Sequence[RefundRecord]:
        """Every refund of one sale, oldest first."""
        ...

    def refunds(self, since: datetime, until: datetime | None = None) -> Sequence[RefundRecord]:
        """Refunds made in ``[since, until)`` (for the shift reports)."""
        ...

    def sale_id_by_receipt(self, receipt_no: str) -> str | None: ...
    def add_card_slip(self, slip: CardSlip) -> None: ...
    def card_slips(self, since: datetime) -> Sequence[CardSlip]: ...
    def save_top_up(self, top_up: TopUpRecord) -> None:
        """Insert or replace (a refund replaces the row with its ``refunded_*`` set)."""
        ...

    def top_up(self, top_up_id: str) -> TopUpRecord | None: ...
    def top_ups(self, since: datetime, until: datetime | None = None) -> Sequence[TopUpRecord]:
        """Top-ups taken, or refunded, in ``[since, until)``, oldest first."""
        ...

    def guest_top_ups(self, guest_id: str) -> Sequence[TopUpRecord]:
        """One guest's top-ups at this till, newest first."""
        ...


# --- promo codes ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PromoCodeRecord:
    code: str  # full code, prefix + digits
    guest_id: str
    phone: str | None = None  # E.164


@dataclass(frozen=True, slots=True)
class SalePromo:
    """A promo code applied to an open sale (the discount is on the sale itself)."""

    sale_id: str
    code: str
    owner_guest_id: str
    discount_bp: int
    cashback_bp: int


class PromoRepository(Protocol):
    def add_code(self, record: PromoCodeRecord) -> None:
        """Insert or replace (codes from the change feed and the ones this till issued)."""
        ...

    def by_code(self, code: str) -> PromoCodeRecord | None: ...
    def by_phone(self, e164: str) -> PromoCodeRecord | None: ...
    def of_guest(self, guest_id: str) -> PromoCodeRecord | None: ...
    def code_taken(self, code: str) -> bool: ...
    def set_sale_promo(self, promo: SalePromo) -> None: ...
    def sale_promo(self, sale_id: str) -> SalePromo | None: ...
    def drop_sale_promo(self, sale_id: str) -> None: ...


# --- guest search -----------------------------------------------------------------------


class GuestSearch(Protocol):
    def search(self, text: str, limit: int = 20) -> Sequence[Guest]:
        """Guests whose name contains ``text`` (search key form) or whose phone contains the
        digits of ``text`` (four at least), best matches first."""
        ...
