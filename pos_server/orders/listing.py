"""Order listing for consoles: ``GET /v1/orders`` (paged, newest first) and ``GET /v1/orders/{id}``.

Paging is by keyset on ``(placed_at, id)`` descending (index ``ix_guest_orders_placed_at_id``):
the cursor is the last order of a page, so a page costs the same at the end of a long history
as at its start, and an order placed while a console pages does not shift later pages.

Guest search (``guest=``) matches the guest id exactly, the name as a substring and the phone
by its digits. Names are Russian: PostgreSQL's ILIKE folds Cyrillic case; SQLite's LIKE folds
only ASCII, so there the query is also tried lower-case, upper-case and capitalised (which
finds "анна" in "Анна Смирнова" and "смирнова" too).
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, status
from pydantic import AwareDatetime, BaseModel, ConfigDict

from pos_app.domain.orders import OrderState
from pos_server.db.models import GuestOrderRow
from pos_server.http.api import UNAUTHORISED, TerminalId, WorkDep
from pos_server.http.schemas import ErrorResponse, IdRule, OrderOut
from pos_server.repositories.orders import OrderFilter
from pos_server.uow import UnitOfWork

router = APIRouter(prefix="/v1/orders")
MAX_LIMIT = 200


class OrderPage(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    orders: list[OrderOut]
    next_cursor: str | None  # pass back as ?cursor= for the next (older) page; null: no more


class BadCursor(ValueError):
    pass


def encode_cursor(row: GuestOrderRow) -> str:
    text = f"{row.placed_at.isoformat()}|{row.id}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        placed, order_id = text.split("|", 1)
        at = datetime.fromisoformat(placed)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise BadCursor("The cursor is not one this server gave out.") from exc
    if at.tzinfo is None or not 1 <= len(order_id) <= 64 or not order_id.isprintable():
        raise BadCursor("The cursor is not one this server gave out.")
    return at, order_id


def list_orders(uow: UnitOfWork, wanted: OrderFilter) -> OrderPage:
    """One page of orders (the shape of POST /v1/orders), newest first."""
    page, more = uow.orders.page(wanted)
    orders = [OrderOut.model_validate(stored.state()) for stored in page]
    return OrderPage(orders=orders, next_cursor=encode_cursor(page[-1].row) if more else None)


@router.get("", responses={**UNAUTHORISED, 422: {"model": ErrorResponse}})
def get_orders(
    *,
    terminal_id: TerminalId,
    work: WorkDep,
    state: Annotated[list[OrderState], Query(description="repeat for several states")] = [],  # noqa: B006
    since: Annotated[AwareDatetime | None, Query(description="placed at or after")] = None,
    until: Annotated[AwareDatetime | None, Query(description="placed before")] = None,
    guest: Annotated[str | None, Query(min_length=1, max_length=200,
                                       description="guest id, part of the name or phone")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
    cursor: Annotated[str | None, Query(max_length=400)] = None,
) -> OrderPage:  # fmt: skip
    """Orders for a console, newest first, filtered by state, time placed and guest."""
    if guest is not None and not guest.isprintable():
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT,
                            "The guest search may not contain control characters.")  # fmt: skip
    try:
        after = None if cursor is None else decode_cursor(cursor)
    except BadCursor as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from exc
    wanted = OrderFilter(tuple(state), since, until, guest, after, limit)
    with work(terminal_id) as uow:
        return list_orders(uow, wanted)


@router.get("/{order_id}", responses={**UNAUTHORISED, 404: {"model": ErrorResponse},
                                      422: {"model": ErrorResponse}})
def get_order(
    order_id: Annotated[str, Path(min_length=1, max_length=64), IdRule],
    terminal_id: TerminalId,
    work: WorkDep,
) -> OrderOut:
    """One order as it is now."""
    with work(terminal_id) as uow:
        stored = uow.orders.get(order_id, lock=False)
        if stored is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"Order {order_id} is not known.")
        return OrderOut.model_validate(stored.state())
