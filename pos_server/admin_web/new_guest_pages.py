"""A new guest from the back office (issue 18 point 2): name, phone, e-mail, birthday, group
and a card, made by ``pos_server.guests.new_guest`` (the tills' own operations, as the
signed-in member); then the new guest's card opens. A phone another guest has is refused,
naming that guest with a link to their card. The guests permission (a group also needs the
guest-group right, checked by the operation's handler)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from pos_app.domain.errors import DomainError
from pos_server.admin_web.context import PREFIX, Reader, acting, form_of, render, require
from pos_server.guests.backoffice import EditRefused
from pos_server.guests.new_guest import NewGuest, PhoneTaken, create_guest
from pos_server.staff.permissions import Permission
from pos_server.web.context import form_text as _text

router = APIRouter(prefix=f"{PREFIX}/guests/new", include_in_schema=False)
Page = Annotated[Reader, Depends(require(Permission.GUESTS))]
Form = Annotated[tuple[Reader, FormData], Depends(form_of(Permission.GUESTS))]
FIELDS = ("name", "phone", "email", "birthday", "group_id", "card")


def _page(request: Request, who: Reader, values: dict[str, str], status: int = 200,
          **context: Any) -> Response:  # fmt: skip
    with acting(request, who) as uow:
        groups = [(g.id, g.name) for g in uow.groups.current()[1]]
    response: Response = render(request, who, "admin/new_guest.html", status, v=values,
                                groups=groups, **context)  # fmt: skip
    return response


@router.get("")
def new_guest_form(request: Request, who: Page) -> Response:
    return _page(request, who, dict.fromkeys(FIELDS, ""))


@router.post("")
def add_guest(request: Request, posted: Form) -> Response:
    who, form = posted
    values = {name: _text(form, name) for name in FIELDS}
    try:
        with acting(request, who) as uow:
            guest_id = create_guest(uow, who.me.staff_id, NewGuest(**values))
    except PhoneTaken as taken:
        message = who.gettext(
            "{name} already has the phone number {phone}; open that guest's card instead."
        ).format(name=taken.name, phone=taken.phone)
        return _page(request, who, values, 400, error=message, taken=taken)
    except (EditRefused, DomainError, ValueError) as exc:
        return _page(request, who, values, 400, error=who.gettext(str(exc)))
    return RedirectResponse(f"{PREFIX}/guests/{guest_id}?saved=1", 303)
