"""``GET /v1/guests/{guest_id}/history``: a guest's history for the till's guest card, paged
(``pos_server/guests/history.py``, the one service the back office and the cabinet reuse);
``GET /v1/guests/by-phone``: who has a phone number, the server's verdict for the till's
new-guest form (a guest made on another till may not have reached this one yet)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query, status
from pydantic import BaseModel

from pos_app.domain.errors import DomainError
from pos_app.domain.phones import normalise_phone
from pos_server.guests.history import MAX_LIMIT, BadCursor, history_page
from pos_server.http.api import UNAUTHORISED, TerminalId, WorkDep
from pos_server.http.schemas import ErrorResponse, IdRule

router = APIRouter(prefix="/v1/guests")
Section = Literal["postings", "points", "money", "sales", "holds"]


class HistoryOut(BaseModel):
    section: str
    items: list[dict[str, Any]]
    next: str | None


@router.get("/{guest_id}/history", responses={**UNAUTHORISED, 404: {"model": ErrorResponse},
                                              422: {"model": ErrorResponse}})  # fmt: skip
def get_history(
    *,
    guest_id: Annotated[str, Path(min_length=1, max_length=64), IdRule],
    terminal_id: TerminalId,
    work: WorkDep,
    section: Annotated[Section, Query()] = "postings",
    before: Annotated[str | None, Query(max_length=200, description="`next` of the page "
                                        "before; absent: the newest page")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
) -> HistoryOut:  # fmt: skip
    """One page of the guest's postings (points, money or both) or sales, newest first; or
    the guest's open points holds."""
    with work(terminal_id) as uow:
        if not uow.guests.exists(guest_id):
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"Guest {guest_id} is not known.")
        try:
            page = history_page(uow, guest_id, section, before=before, limit=limit)
        except BadCursor as exc:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from exc
    return HistoryOut(**page.to_json())


class PhoneOwnerOut(BaseModel):
    phone: str  # E.164
    guest_id: str | None  # None: no guest has it
    name: str | None


@router.get("/by-phone", responses={**UNAUTHORISED, 422: {"model": ErrorResponse}})
def get_phone_owner(
    *,
    phone: Annotated[str, Query(min_length=1, max_length=40)],
    terminal_id: TerminalId,
    work: WorkDep,
) -> PhoneOwnerOut:
    """The guest who has ``phone`` (any format) as their phone or a contact, if any."""
    try:
        e164 = normalise_phone(phone)
    except DomainError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, exc.message) from exc
    with work(terminal_id) as uow:
        owner = uow.guest_cards.contact_owners("", [e164]).get(e164)
        guest = uow.guests.get(owner) if owner is not None else None
    return PhoneOwnerOut(phone=e164, guest_id=owner, name=guest.name if guest else None)
