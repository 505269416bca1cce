"""Wire format of the HTTP API (pydantic). Integers are strict: "5" or true is not a number."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
)

from pos_app.domain.identifiers import InputMethod, Medium
from pos_app.domain.orders import PaymentMethod

MAX_AMOUNT = 10**11  # one billion roubles in kopecks: anything above is a corrupted number
MAX_QUANTITY = 100_000

Amount = Annotated[int, Strict(), Field(ge=0, le=MAX_AMOUNT)]
Quantity = Annotated[int, Strict(), Field(ge=1, le=MAX_QUANTITY)]


def printable_id(value: str) -> str:
    """The one rule for ids on the wire, in bodies and in paths alike: printable characters
    only. ``str.isprintable`` refuses control characters (C0/C1, line breaks), Unicode format
    characters - bidirectional overrides such as U+202E, zero-width joiners - separators other
    than the plain space, and unassigned code points: an id that shows differently from what
    it is (or that a log line splits on) cannot be stored, then found under another look."""
    if not value.isprintable():
        raise ValueError("an id may hold printable characters only: no control characters, "
                         "line breaks or invisible formatting such as U+202E")  # fmt: skip
    return value


IdRule = AfterValidator(printable_id)
EntityId = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64), IdRule
]
TerminalRef = Annotated[str, StringConstraints(min_length=1, max_length=36), IdRule]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class WireModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EnrolRequest(WireModel):
    code: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class EnrolResponse(WireModel):
    terminal_id: str
    token: str


class Operation(WireModel):
    """One outbox row of a till, exactly as DESIGN.md "Sync protocol" describes it."""

    op_id: UUID
    terminal_id: TerminalRef
    seq: Annotated[int, Strict(), Field(ge=1, le=2**62)]
    created_at: AwareDatetime
    kind: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    payload: dict[str, Any]


class OpsRequest(WireModel):
    operations: list[Operation]


Status = Literal["applied", "rejected", "conflict", "refused"]


class OpResult(WireModel):
    op_id: str
    seq: int
    status: Status
    reason: str | None = None
    message: str | None = None
    current: dict[str, Any] | None = None
    replayed: bool = False


class OpsResponse(WireModel):
    results: list[OpResult]
    last_seq: int = Field(description="the last seq the server has judged for this terminal")


class ReconcileRequest(WireModel):
    last_seq: Annotated[int, Strict(), Field(ge=0, le=2**62)]
    open_hold_ids: Annotated[
        list[Annotated[str, StringConstraints(min_length=1, max_length=64), IdRule]],
        Field(max_length=10_000),
    ]


class ReconcileResponse(WireModel):
    released: list[str]


class ChangeOut(WireModel):
    id: int
    entity: str
    entity_id: str
    data: dict[str, Any]
    at: AwareDatetime


class ChangesResponse(WireModel):
    changes: list[ChangeOut]
    next_cursor: int = Field(description="pass back as ?cursor= to continue")
    has_more: bool
    head: int = Field(description="the feed's last change id when the page was read")


class ErrorResponse(WireModel):
    detail: Any


# --- operation payloads -------------------------------------------------------------------


class SaleLineIn(WireModel):
    line_no: Annotated[int, Strict(), Field(ge=1, le=10_000)]
    product_id: EntityId
    name: Name
    quantity: Quantity
    unit_price: Amount
    discount: Amount = 0
    total: Amount


class PaymentIn(WireModel):
    """``hold_id``: the points hold this points payment committed (see docs/api.md)."""

    method: Literal["cash", "card", "balance", "points"]
    amount: Amount
    hold_id: Annotated[str, StringConstraints(min_length=1, max_length=64), IdRule] | None = None


class OrderLoyaltyIn(WireModel):
    """The accrual / max redemption % a manager set by hand on this one sale, and who
    (``pos_server.ops.order_override`` checks the approver before honouring it)."""

    accrual_bp: Annotated[int, Strict(), Field(ge=0, le=10_000)] | None = None
    max_redemption_bp: Annotated[int, Strict(), Field(ge=0, le=10_000)] | None = None
    approved_by: EntityId


class SaleClosed(WireModel):
    sale_id: EntityId
    receipt_no: Annotated[str, StringConstraints(max_length=32)] | None = None
    opened_at: AwareDatetime
    closed_at: AwareDatetime
    guest_id: EntityId | None = None
    lines: Annotated[list[SaleLineIn], Field(min_length=1, max_length=1000)]
    payments: Annotated[list[PaymentIn], Field(max_length=50)]
    total: Amount
    offline: Annotated[bool, Strict()] = False  # closed by the till without the server
    loyalty_override: OrderLoyaltyIn | None = None  # bonus settings set by hand (optional)


class SaleCancelled(WireModel):
    """A basket the till cancelled (see ``pos_server.ops.sale_cancel_kinds``)."""

    sale_id: EntityId
    opened_at: AwareDatetime
    cancelled_at: AwareDatetime
    guest_id: EntityId | None = None
    lines: Annotated[list[SaleLineIn], Field(max_length=1000)]
    payments: Annotated[list[PaymentIn], Field(max_length=50)]
    total: Amount
    refund: Amount


class GuestCreated(WireModel):
    guest_id: EntityId
    name: Name
    phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=32)] | None = None


class IdentifierBound(WireModel):
    guest_id: EntityId
    medium: Medium
    method: InputMethod
    value: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]


HoldId = Annotated[str, StringConstraints(min_length=1, max_length=64), IdRule]


class HoldPlaced(WireModel):
    """Points reserved for an order being paid. ``offline``: the till accepted it without the
    server, so the server applies it even beyond the balance and records an overdraft."""

    hold_id: HoldId
    guest_id: EntityId
    amount: Annotated[int, Strict(), Field(ge=1, le=MAX_AMOUNT)]
    offline: Annotated[bool, Strict()] = False
    ref: Annotated[str, StringConstraints(max_length=64)] | None = None


class HoldCommitted(WireModel):
    """Spend ``amount`` of the hold (all of it when null); the rest is released."""

    hold_id: HoldId
    amount: Amount | None = None


class HoldReleased(WireModel):
    hold_id: HoldId


class BalanceToppedUp(WireModel):
    """Money paid into the guest's balance account (cash at the till, card in the cabinet)."""

    guest_id: EntityId
    amount: Annotated[int, Strict(), Field(ge=1, le=MAX_AMOUNT)]
    ref: Annotated[str, StringConstraints(max_length=64)] | None = None


# --- guest orders ------------------------------------------------------------------------

OrderId = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64), IdRule
]
LineId = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=16), IdRule
]


class OrderLineIn(WireModel):
    """A catalogue product ordered by the guest; ``in_points`` when this line is paid in points."""

    product_id: EntityId
    name: Name
    quantity: Quantity
    unit_price: Amount
    in_points: Annotated[bool, Strict()] = False


class OrderPlaced(WireModel):
    """Body of POST /v1/orders. Without ``order_id`` the server makes one."""

    order_id: OrderId | None = None
    guest_id: EntityId
    lines: Annotated[list[OrderLineIn], Field(min_length=1, max_length=100)]
    method: PaymentMethod = Field(description="the guest's payment intent")
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""
    ready_by: AwareDatetime | None = None


class OrderLineOut(WireModel):
    line_id: str
    product_id: str
    name: str
    quantity: int
    unit_price: int
    in_points: bool
    delivered: bool


class OrderOut(WireModel):
    order_id: str
    guest_id: str
    state: str
    method: str
    note: str
    ready_by: AwareDatetime | None
    total: int
    points_hold_id: str | None
    points_hold_amount: int
    invoice_status: str
    paid_money: int
    paid_points: int
    reversed_amount: int
    debt: int
    placed_at: AwareDatetime
    updated_at: AwareDatetime
    version: int
    allowed_actions: list[str]
    lines: list[OrderLineOut]


class OrderRef(WireModel):
    """Payload of order.accepted / order.cancelled / order.voided / order.completed."""

    order_id: OrderId


class OrderItemDelivered(WireModel):
    order_id: OrderId
    line_id: LineId


class OrderPaid(WireModel):
    """The operator may change the payment method when recording the payment."""

    order_id: OrderId
    method: PaymentMethod | None = None


PAYLOAD_MODELS: dict[str, type[WireModel]] = {
    "sale.closed": SaleClosed,
    "sale.cancelled": SaleCancelled,
    "guest.created": GuestCreated,
    "identifier.bound": IdentifierBound,
    "hold.placed": HoldPlaced,
    "hold.committed": HoldCommitted,
    "hold.released": HoldReleased,
    "balance.topped_up": BalanceToppedUp,
    "order.accepted": OrderRef,
    "order.cancelled": OrderRef,
    "order.voided": OrderRef,
    "order.completed": OrderRef,
    "order.item_delivered": OrderItemDelivered,
    "order.paid": OrderPaid,
}


# Payloads of the till's shift and promo kinds; imported last since they build on WireModel.
from pos_server.till_schemas import TILL_PAYLOADS  # noqa: E402

PAYLOAD_MODELS.update(TILL_PAYLOADS)
