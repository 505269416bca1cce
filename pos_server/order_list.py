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
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, status
from pydantic import AwareDatetime, BaseModel, ConfigDict
from sqlalchemy import ColumnElement, Select, literal, or_, select, tuple_
from sqlalchemy.orm import Session

from pos_app.domain.orders import OrderState
from pos_server.api import UNAUTHORISED, Sessions, TerminalId
from pos_server.db.models import Guest, GuestOrderLineRow, GuestOrderRow
from pos_server.orders import StoredOrder, load_order
from pos_server.schemas import ErrorResponse, IdRule, OrderOut

router = APIRouter(prefix="/v1/orders")
MAX_LIMIT = 200
_MIN_PHONE_DIGITS = 3


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


def _name_match(session: Session, text: str) -> ColumnElement[bool]:
    pattern = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    if session.get_bind().dialect.name == "postgresql":
        return Guest.name.ilike(f"%{pattern}%", escape="\\")
    variants = {pattern, pattern.lower(), pattern.upper(), pattern.capitalize()}
    return or_(*(Guest.name.like(f"%{v}%", escape="\\") for v in sorted(variants)))


def guest_filter(session: Session, text: str) -> ColumnElement[bool]:
    """Orders of guests whose id is ``text``, whose name contains it, or whose phone contains
    its digits (a leading 8 typed the Russian way also matches +7)."""
    text = text.strip()
    matches: list[ColumnElement[bool]] = [Guest.id == text, _name_match(session, text)]
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) >= _MIN_PHONE_DIGITS and not any(ch.isalpha() for ch in text):
        matches.append(Guest.phone.contains(digits))
        if digits.startswith("8"):
            matches.append(Guest.phone.startswith(f"+7{digits[1:]}"))
    ids = select(Guest.id).where(or_(*matches))
    return GuestOrderRow.guest_id.in_(ids)


def list_query(
    session: Session, *, states: list[OrderState], since: datetime | None,
    until: datetime | None, guest: str | None, cursor: str | None, limit: int,
) -> Select[tuple[GuestOrderRow]]:  # fmt: skip
    query = select(GuestOrderRow)
    if states:
        query = query.where(GuestOrderRow.state.in_([s.value for s in states]))
    if since is not None:
        query = query.where(GuestOrderRow.placed_at >= since)
    if until is not None:
        query = query.where(GuestOrderRow.placed_at < until)
    if guest:
        query = query.where(guest_filter(session, guest))
    if cursor is not None:
        at, order_id = decode_cursor(cursor)
        # a row-value comparison, which both databases answer from the (placed_at, id) index
        key = tuple_(GuestOrderRow.placed_at, GuestOrderRow.id)
        after = tuple_(literal(at, GuestOrderRow.placed_at.type), literal(order_id))
        query = query.where(key < after)
    order = (GuestOrderRow.placed_at.desc(), GuestOrderRow.id.desc())
    return query.order_by(*order).limit(limit + 1)


def list_orders(session: Session, **filters: Any) -> OrderPage:
    """One page of orders (the shape of POST /v1/orders), newest first."""
    limit: int = filters["limit"]
    rows = list(session.scalars(list_query(session, **filters)))
    page = rows[:limit]
    lines: dict[str, list[GuestOrderLineRow]] = {row.id: [] for row in page}
    if page:
        query = (select(GuestOrderLineRow).where(GuestOrderLineRow.order_id.in_(list(lines)))
                 .order_by(GuestOrderLineRow.order_id, GuestOrderLineRow.position))  # fmt: skip
        for line in session.scalars(query):
            lines[line.order_id].append(line)
    orders = [OrderOut.model_validate(StoredOrder(row, lines[row.id]).state()) for row in page]
    more = len(rows) > limit
    return OrderPage(orders=orders, next_cursor=encode_cursor(page[-1]) if more else None)


@router.get("", responses={**UNAUTHORISED, 422: {"model": ErrorResponse}})
def get_orders(
    *,
    _terminal: TerminalId,
    sessions: Sessions,
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
        with sessions() as session:
            return list_orders(session, states=state, since=since, until=until, guest=guest,
                               cursor=cursor, limit=limit)  # fmt: skip
    except BadCursor as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from exc


@router.get("/{order_id}", responses={**UNAUTHORISED, 404: {"model": ErrorResponse},
                                      422: {"model": ErrorResponse}})
def get_order(
    order_id: Annotated[str, Path(min_length=1, max_length=64), IdRule],
    _terminal: TerminalId,
    sessions: Sessions,
) -> OrderOut:
    """One order as it is now."""
    with sessions() as session:
        stored = load_order(session, order_id, lock=False)
        if stored is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"Order {order_id} is not known.")
        return OrderOut.model_validate(stored.state())
