"""The till's guest card "Cabinet" tab (issue 19 point 1): ``GET`` whether a guest has a
cabinet login, ``POST`` a login and a password (or a random one) set by the signed-in cashier,
optionally sent by SMS. The till never holds a cabinet password: it asks here with its
terminal token, naming the staff member, who must be allowed to edit guest cards
(``pos_app.domain.guest_card.may``, the rule of the till's card edits)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request, status
from pydantic import Field, StringConstraints

from pos_app.domain.guest_card import Permission
from pos_server.cabinet_web.accounts import CabinetRefused
from pos_server.guests.cabinet_access import access, set_access
from pos_server.http.api import UNAUTHORISED, TerminalId, WorkDep
from pos_server.http.schemas import ErrorResponse, IdRule, WireModel
from pos_server.ops.guest_card_kinds import staff_problem

router = APIRouter(prefix="/v1/guests")
GuestId = Annotated[str, Path(min_length=1, max_length=64), IdRule]
StaffId = Annotated[str, StringConstraints(min_length=1, max_length=64), IdRule]


class CabinetAccessOut(WireModel):
    login: str | None  # None: the guest has no cabinet account yet
    sms_phone: str | None  # the card's mobile phone (credentials may go there), if any


class CredentialsIn(WireModel):
    staff_id: StaffId
    login: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    password: Annotated[str | None, Field(max_length=1024)] = None  # None: a random one
    send: bool = False  # by SMS to the card's mobile phone


class CredentialsOut(WireModel):
    login: str  # as stored (lower case)
    password: str | None  # the random password, once; None: typed by staff, or sent by SMS
    sent: bool  # the SMS is queued in the outbox


def _refused(exc: CabinetRefused) -> HTTPException:
    return HTTPException(exc.status, exc.message.format(**exc.values))


@router.get("/{guest_id}/cabinet-credentials",
            responses={**UNAUTHORISED, 404: {"model": ErrorResponse}})  # fmt: skip
def get_cabinet_access(guest_id: GuestId, terminal_id: TerminalId, work: WorkDep
                       ) -> CabinetAccessOut:  # fmt: skip
    """Whether the guest has a cabinet login (the login; a password is never shown)."""
    with work(terminal_id) as uow:
        found = access(uow, guest_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Guest {guest_id} is not known.")
    return CabinetAccessOut(login=found.login, sms_phone=found.sms_phone)


@router.post("/{guest_id}/cabinet-credentials", responses={
    **UNAUTHORISED, 400: {"model": ErrorResponse}, 403: {"model": ErrorResponse},
    404: {"model": ErrorResponse}, 409: {"model": ErrorResponse}})  # fmt: skip
def post_cabinet_credentials(guest_id: GuestId, body: CredentialsIn, request: Request,
                             terminal_id: TerminalId, work: WorkDep) -> CredentialsOut:  # fmt: skip
    """Set the guest's login and password (argon2id on the server, audited with the staff
    member); a random password comes back once unless it went by SMS."""
    public_url = request.app.state.settings.public_url
    with work(terminal_id) as uow:
        problem = staff_problem(uow, body.staff_id, Permission.EDIT_GUEST)
        if problem is not None:
            raise HTTPException(status.HTTP_403_FORBIDDEN, problem.message)
        try:
            done = set_access(uow, guest_id, body.login, body.password, send=body.send,
                              staff_id=body.staff_id, public_url=public_url)  # fmt: skip
        except CabinetRefused as exc:
            raise _refused(exc) from exc
    return CredentialsOut(login=done.login, password=done.password, sent=done.sent)
