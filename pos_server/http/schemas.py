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
    model_validator,
)

from pos_app.domain.operations import MAX_AMOUNT, MAX_QUANTITY
from pos_app.domain.operations.codec import ID_RULE
from pos_app.domain.operations.codec import printable_id as domain_printable_id
from pos_app.domain.orders import PaymentMethod

Amount = Annotated[int, Strict(), Field(ge=0, le=MAX_AMOUNT)]
Quantity = Annotated[int, Strict(), Field(ge=1, le=MAX_QUANTITY)]


def printable_id(value: str) -> str:
    """The one rule for ids (``pos_app.domain.operations.codec.printable_id``, which operation
    payloads are held to), for request bodies and paths."""
    if not domain_printable_id(value):
        raise ValueError(ID_RULE)
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
    name: str = ""  # the terminal's name for people (its X/Z reports)


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


# Operation payloads are not pydantic models: they are defined once, for the till and the
# server, in pos_app.domain.operations (checked by pos_server.ops.pipeline.check_batch).


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

    @model_validator(mode="after")
    def _line_total_capped(self) -> OrderLineIn:
        if self.quantity * self.unit_price > MAX_AMOUNT:
            raise ValueError(f"quantity × unit_price must be at most {MAX_AMOUNT} kopecks")
        return self


class OrderPlaced(WireModel):
    """Body of POST /v1/orders. Without ``order_id`` the server makes one."""

    order_id: OrderId | None = None
    guest_id: EntityId
    lines: Annotated[list[OrderLineIn], Field(min_length=1, max_length=100)]
    method: PaymentMethod = Field(description="the guest's payment intent")
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""
    ready_by: AwareDatetime | None = None

    @model_validator(mode="after")
    def _order_total_capped(self) -> OrderPlaced:
        """The total (and so every balance posting of the order) stays within MAX_AMOUNT, as
        a sale's total does (issue 16 point 2: 100 lines x 100 000 x 10^11 was taken)."""
        if sum(line.quantity * line.unit_price for line in self.lines) > MAX_AMOUNT:
            raise ValueError(f"the order's total must be at most {MAX_AMOUNT} kopecks")
        return self


class OrderLineOut(WireModel):
    line_id: str
    product_id: str
    name: str
    quantity: int
    unit_price: int
    in_points: bool
    delivered: bool
    discount: int = 0  # the guest group's, in kopecks: the line costs quantity x price - this


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
    number: str | None = None  # "A-017": the venue day's short number (none before 0018)
    discount: int = 0  # the lines' discounts together: ``total`` is what the guest pays
    accrual: int = 0  # the points the payment earned (taken back by a void)
    paid_by_sale: str | None = None  # the till sale that took the payment (its receipt)
    group_name: str | None = None  # the group whose discount priced it (placement answer)
    updated_by: str | None = None  # the terminal that made the last change
    updated_by_name: str = ""  # its name: who won a race, for the console that lost it
    # the guest's accounts as this change left them (none: not read for this answer), so a
    # console shows points and deposit from the order stream itself
    guest_points: int | None = None
    guest_points_held: int | None = None
    guest_balance: int | None = None
