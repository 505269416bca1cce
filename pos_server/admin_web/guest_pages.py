"""Guests (issue 18 point 2): the list with search (``?q=`` by name, phone, e-mail, card),
keyset paging and CSV export, and the guest card with the till's tabs (main, contacts,
identifiers, accounts, history, cabinet). Edits go through ``pos_server.guests.backoffice``:
the tills' own operations and handlers, as the signed-in member. The guests permission; a
credit or debit also needs the bonus settings permission (and the handler's own check). The
cabinet tab sets the guest's cabinet login and password (``pos_server.guests.cabinet_access``):
a random password is shown once, on the page answering the form, unless it went by SMS."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from pos_app.domain.errors import DomainError
from pos_app.domain.guest_card import MAX_CONTACTS
from pos_app.domain.money import Percent, format_money, parse_money
from pos_server.admin_web.context import (
    PREFIX,
    Reader,
    Refused,
    _,
    acting,
    form_of,
    render,
    require,
    settings_of,
)
from pos_server.admin_web.group_pages import percent_text
from pos_server.cabinet_web.accounts import CabinetRefused
from pos_server.guests import backoffice
from pos_server.guests.cabinet_access import access, set_access
from pos_server.staff.permissions import Permission
from pos_server.web.context import form_text as _text

router = APIRouter(prefix=f"{PREFIX}/guests", include_in_schema=False)
Page = Annotated[Reader, Depends(require(Permission.GUESTS))]
Form = Annotated[tuple[Reader, FormData], Depends(form_of(Permission.GUESTS))]
FLAGS = ("cabinet_login_allowed", "ordering_allowed", "registration_skipped")
# set_credentials' refusals, translated where shown (pos_server/cabinet_web/accounts.py)
CABINET_REFUSALS = (
    _("There is no such guest."),
    _("This login is taken."),
    _("A password is {low} to {high} characters."),
    _("A password has no leading or trailing spaces."),
    _("A login has 3 to 64 letters, digits, dots, dashes or underscores."),
)


@router.get("")
def guest_list(request: Request, who: Page) -> Response:
    query, after = request.query_params.get("q", ""), request.query_params.get("after")
    with acting(request, who) as uow:
        rows, next_after = backoffice.listing(uow, query, after)
    response: Response = render(request, who, "admin/guests.html", guests=rows, q=query,
                                after=after, next_after=next_after)  # fmt: skip
    return response


@router.get(".csv")
def guest_csv(request: Request, who: Page) -> Response:
    with acting(request, who) as uow:
        text = backoffice.csv_text(uow, request.query_params.get("q", ""))
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="guests.csv"'},
    )


def _card(request: Request, who: Reader, guest_id: str, status: int = 200,
          **context: Any) -> Response:  # fmt: skip
    with acting(request, who) as uow:
        view = backoffice.card_view(uow, guest_id, request.query_params.get("before"))
        cabinet = access(uow, guest_id)
    if view is None:
        raise Refused(404, who.gettext("Not found"), who.gettext("No guest has this id."))
    if request.query_params.get("saved"):
        context.setdefault("notice", who.gettext("Saved."))
    context.setdefault("credentials", None)  # the cabinet tab's answer (a random password)
    context.setdefault("cabinet_login", None)  # the login typed into a refused form
    response: Response = render(request, who, "admin/guest_card.html", status, v=view,
                                money=lambda k: format_money(k, ""), percent=percent_text,
                                cabinet=cabinet, **context)  # fmt: skip
    return response


@router.get("/{guest_id}")
def guest_card(guest_id: str, request: Request, who: Page) -> Response:
    return _card(request, who, guest_id)


def _done(request: Request, who: Reader, guest_id: str, work: object) -> Response:
    try:
        with acting(request, who) as uow:
            work(uow)  # type: ignore[operator]
    except (backoffice.EditRefused, DomainError, ValueError) as exc:
        return _card(request, who, guest_id, 400, error=who.gettext(str(exc)))
    return RedirectResponse(f"{PREFIX}/guests/{guest_id}?saved=1", 303)


@router.post("/{guest_id}")
def save_main(guest_id: str, request: Request, posted: Form) -> Response:
    who, form = posted
    values: dict[str, object] = {"name": _text(form, "name"), "note": _text(form, "note"),
                                 "birthday": _text(form, "birthday") or None,
                                 "sex": _text(form, "sex") or None,
                                 "group_id": _text(form, "group_id") or None}  # fmt: skip
    return _done(request, who, guest_id, lambda uow: backoffice.update(
        uow, who.me.staff_id, guest_id, values))  # fmt: skip


@router.post("/{guest_id}/adjust")
def adjust(guest_id: str, request: Request, posted: Form) -> Response:
    who, form = posted
    if Permission.BONUS_SETTINGS not in who.me.permissions:
        raise Refused(403, who.gettext("Forbidden"), who.gettext(
            "Your account does not have the permission for this section: {section}.").format(
            section=who.gettext("Bonus settings")))  # fmt: skip
    try:
        amount = parse_money(_text(form, "amount"))
    except DomainError:
        return _card(request, who, guest_id, 400,
                     error=who.gettext("This field is not a valid number: {field}.").format(
                         field=who.gettext("Amount")))  # fmt: skip
    account = "money" if form.get("account") == "money" else "points"
    direction = "debit" if form.get("direction") == "debit" else "credit"
    return _done(
        request,
        who,
        guest_id,
        lambda uow: backoffice.adjust(
            uow,
            who.me.staff_id,
            guest_id,
            account=account,
            direction=direction,
            amount=amount,
            reason=_text(form, "reason"),
        ),
    )


@router.post("/{guest_id}/contacts")
def save_contacts(guest_id: str, request: Request, posted: Form) -> Response:
    who, form = posted
    rows = [{"type": _text(form, f"type_{i}"), "label": _text(form, f"label_{i}"),
             "value": _text(form, f"value_{i}")} for i in range(MAX_CONTACTS)]  # fmt: skip
    contacts = [row for row in rows if row["value"]]
    return _done(request, who, guest_id, lambda uow: backoffice.set_contacts(
        uow, who.me.staff_id, guest_id, contacts))  # fmt: skip


def _percent(form: FormData, name: str) -> int | None:
    text = _text(form, name)
    return None if not text else Percent.parse(text).bp


@router.post("/{guest_id}/loyalty")
def save_loyalty(guest_id: str, request: Request, posted: Form) -> Response:
    who, form = posted
    try:
        accrual, redemption = _percent(form, "accrual"), _percent(form, "max_redemption")
    except DomainError:
        return _card(request, who, guest_id, 400,
                     error=who.gettext("This field is not a valid number: {field}.").format(
                         field=who.gettext("Own accrual")))  # fmt: skip
    return _done(
        request,
        who,
        guest_id,
        lambda uow: backoffice.set_loyalty(
            uow, who.me.staff_id, guest_id, accrual_bp=accrual, max_redemption_bp=redemption
        ),
    )


@router.post("/{guest_id}/identifiers")
def change_identifier(guest_id: str, request: Request, posted: Form) -> Response:
    """Block a card (``new`` empty) or replace it by the card ``new``, with a reason."""
    who, form = posted
    old, new, reason = _text(form, "value"), _text(form, "new"), _text(form, "reason")
    if new:
        return _done(
            request,
            who,
            guest_id,
            lambda uow: backoffice.replace_identifier(
                uow, who.me.staff_id, guest_id, old_value=old, value=new, reason=reason
            ),
        )
    return _done(request, who, guest_id, lambda uow: backoffice.block_identifier(
        uow, who.me.staff_id, guest_id, old, reason))  # fmt: skip


@router.post("/{guest_id}/holds/reset")
def reset_holds(guest_id: str, request: Request, posted: Form) -> Response:
    who, form = posted
    return _done(request, who, guest_id, lambda uow: backoffice.reset_holds(
        uow, who.me.staff_id, guest_id, _text(form, "reason")))  # fmt: skip


@router.post("/{guest_id}/identifiers/add")
def add_identifier(guest_id: str, request: Request, posted: Form) -> Response:
    who, form = posted
    return _done(request, who, guest_id, lambda uow: backoffice.add_identifier(
        uow, who.me.staff_id, guest_id, _text(form, "value")))  # fmt: skip


@router.post("/{guest_id}/cabinet")
def save_cabinet_flags(guest_id: str, request: Request, posted: Form) -> Response:
    """The cabinet tab's three flags (``guest.updated``, as the main tab's fields)."""
    who, form = posted
    values: dict[str, object] = {flag: form.get(flag) == "on" for flag in FLAGS}
    return _done(request, who, guest_id, lambda uow: backoffice.update(
        uow, who.me.staff_id, guest_id, values))  # fmt: skip


@router.post("/{guest_id}/cabinet/credentials")
def set_cabinet_credentials(guest_id: str, request: Request, posted: Form) -> Response:
    """A login and a password (typed, or random: shown once on this answer unless sent by
    SMS); "send": by SMS to the card's mobile phone with the cabinet's public address."""
    who, form = posted
    login, typed = _text(form, "login"), form.get("password")
    password = None if form.get("random") == "on" else typed if isinstance(typed, str) else ""
    if password == "":
        return _card(request, who, guest_id, 400, cabinet_login=login, error=who.gettext(
            "Type a password or choose a random one."))  # fmt: skip
    try:
        with acting(request, who) as uow:
            done = set_access(uow, guest_id, login, password, send=form.get("send") == "on",
                              staff_id=who.me.staff_id,
                              public_url=settings_of(request).public_url)  # fmt: skip
    except CabinetRefused as exc:
        if exc.status == 404:
            raise Refused(404, who.gettext("Not found"),
                          who.gettext("No guest has this id.")) from None  # fmt: skip
        return _card(request, who, guest_id, exc.status, cabinet_login=login,
                     error=who.gettext(exc.message).format(**exc.values))  # fmt: skip
    if done.sent:
        notice = who.gettext("The login and the password were sent by SMS.")
    elif done.password is not None:
        notice = who.gettext("The login is set. Tell the guest the password shown below: it "
                             "is shown only now.")  # fmt: skip
    else:
        notice = who.gettext("The login and the password are set.")
    return _card(request, who, guest_id, notice=notice, credentials=done)
