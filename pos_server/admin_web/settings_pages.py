"""Programme settings (issue 18 point 4): one page, seven forms, each saved through
``pos_server.programme.service.change`` (checked as a whole, audited, sent to the tills but
the messages).

The loyalty programme, the promo programme and the messages to guests (their language and
texts: each kind's placeholders listed beside it, a text naming one its message does not have
refused with the reason) need the loyalty settings permission; the cashier's own discount cap
the staff permission; the venue
(name, address, tax number, receipt header and footer, time zone) and guest ordering need the
terminals permission, since they set what every till prints and shows; the top-up limits by
role need the staff permission (what each role may do). A member sees the forms of the
permissions they hold; the page needs at least one of them.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from pos_app.domain.orders import PaymentMethod
from pos_server.admin_web.context import (
    PREFIX,
    Reader,
    Refused,
    engine_of,
    form_of,
    now_of,
    render,
    require,
    settings_of,
)
from pos_server.admin_web.group_pages import (
    FormProblem,
    _bp,
    _count,
    _money,
    _text,
    money_text,
    percent_text,
)
from pos_server.notify.templates import (
    DEFAULTS,
    LANGUAGES,
    PLACEHOLDERS,
    missing_placeholders,
    unknown_placeholders,
)
from pos_server.programme.model import Programme
from pos_server.programme.service import ProgrammeError, change, current
from pos_server.staff.permissions import Permission
from pos_server.uow import UnitOfWork, unit_of_work

router = APIRouter(prefix=f"{PREFIX}/settings", include_in_schema=False)
SignedIn = Annotated[Reader, Depends(require(None))]
LoyaltyForm = Annotated[tuple[Reader, FormData], Depends(form_of(Permission.LOYALTY))]
VenueForm = Annotated[tuple[Reader, FormData], Depends(form_of(Permission.TERMINALS))]
StaffForm = Annotated[tuple[Reader, FormData], Depends(form_of(Permission.STAFF))]


def _(message: str) -> str:
    """Marks a message for extraction; translated in the template."""
    return message


METHOD_NAMES = {PaymentMethod.CASH: _("Cash"), PaymentMethod.CARD: _("Card"),
                PaymentMethod.BALANCE: _("Balance"), PaymentMethod.POINTS: _("Points")}  # fmt: skip
# The messages form: each kind of message to guests, its name; fields msg_<kind>_<lang>.
MESSAGE_KINDS = {
    "card": _("The loyalty card (promo code and QR code)"),
    "cashback": _("Cashback credited to the code's owner"),
    "subscribed": _("Subscribed to the bot"),
    "link_invalid": _("The bot's link is not valid"),
    "order_ready": _("Order ready"),
    "top_up_credited": _("Card top-up credited"),
    "cabinet_credentials": _("Cabinet sign-in details (SMS)"),
    "signup_code": _("Cabinet sign-up code (SMS)"),
    "recovery_code": _("Password recovery code (SMS)"),
}
LANGUAGE_NAMES = {"ru": _("Russian"), "en": _("English")}
PERMISSION = {"loyalty": Permission.LOYALTY, "promo": Permission.LOYALTY,
              "messages": Permission.LOYALTY,
              "venue": Permission.TERMINALS, "ordering": Permission.TERMINALS,
              "top_up": Permission.STAFF, "staff": Permission.STAFF}  # fmt: skip
# The top-up form's rows: (role, its name); fields <role> and <role>_day (money).
TOP_UP_ROLES = [(role, _(role)) for role in ("cashier", "operator", "manager", "admin")]


def _uow(request: Request, who: Reader) -> AbstractContextManager[UnitOfWork]:
    """``acting``'s unit of work with the server's hold lifetime (the default of that key)."""
    return unit_of_work(engine_of(request), actor=f"web:{who.me.staff_id}",
                        now=now_of(request), hold_ttl=settings_of(request).hold_ttl)  # fmt: skip


def _as_form(p: Programme) -> dict[str, Any]:
    v, lo, pr, o = p.venue, p.loyalty, p.promo, p.ordering
    return {
        "name": v.name, "address": v.address, "tax_number": v.tax_number,
        "receipt_header": v.receipt_header, "receipt_footer": v.receipt_footer,
        "timezone": v.timezone,
        "accrual": percent_text(lo.accrual_bp),
        "max_redemption": percent_text(lo.max_redemption_bp),
        "hold_minutes": str(lo.hold_ttl_seconds // 60),
        "offline_allowance": money_text(lo.offline_allowance),
        "daily_identification_limit": "" if lo.daily_identification_limit is None
        else str(lo.daily_identification_limit),
        "daily_points_spend_limit": money_text(lo.daily_points_spend_limit),
        "prefix": pr.prefix, "discount": percent_text(pr.discount_bp),
        "cashback": percent_text(pr.cashback_bp), "digits": str(pr.digits),
        "enabled": o.enabled, "methods": [m.value for m in o.payment_methods],
        "msg_language": p.messages.language,
        **{f"msg_{kind}_{lang}": p.messages.text(kind, lang)
           for kind in MESSAGE_KINDS for lang in LANGUAGES},
        **{key: money_text(value) for key, value in p.top_up.model_dump().items()},
        "cashier_discount": percent_text(p.staff.cashier_max_discount_bp),
    }  # fmt: skip


def _updates(group: str, form: FormData) -> dict[str, Any]:
    """The posted form of ``group`` as dotted keys; FormProblem names a field it cannot read."""
    if group == "venue":
        return {f"venue.{key}": _text(form, key) for key in
                ("name", "address", "tax_number", "receipt_header", "receipt_footer",
                 "timezone")}  # fmt: skip
    if group == "loyalty":
        minutes = _count(form, "hold_minutes", "Hold lifetime, minutes")
        if minutes is None:
            raise FormProblem("Hold lifetime, minutes")
        return {
            "loyalty.accrual_bp": _bp(form, "accrual", "Accrual"),
            "loyalty.max_redemption_bp": _bp(form, "max_redemption", "Max redemption"),
            "loyalty.hold_ttl_seconds": minutes * 60,
            "loyalty.offline_allowance": _money(form, "offline_allowance", "Offline allowance"),
            "loyalty.daily_identification_limit": _count(form, "daily_identification_limit",
                                                         "Identifications a day"),
            "loyalty.daily_points_spend_limit": _money(form, "daily_points_spend_limit",
                                                       "Points spent a day", optional=True),
        }  # fmt: skip
    if group == "promo":
        digits = _count(form, "digits", "Digits in a code")
        return {"promo.prefix": _text(form, "prefix"),
                "promo.discount_bp": _bp(form, "discount", "Buyer's discount"),
                "promo.cashback_bp": _bp(form, "cashback", "Owner's cashback"),
                "promo.digits": digits if digits is not None else 0}  # fmt: skip
    if group == "messages":
        language = _text(form, "msg_language")
        return {**({"messages.language": language} if language else {}),
                **{f"messages.{kind}_{lang}": _text(form, f"msg_{kind}_{lang}")
                   for kind in MESSAGE_KINDS for lang in LANGUAGES}}  # fmt: skip
    if group == "staff":
        return {"staff.cashier_max_discount_bp": _bp(form, "cashier_discount",
                                                     "Cashier's own discount")}  # fmt: skip
    if group == "top_up":
        return {f"top_up.{role}{day}": _money(form, f"{role}{day}", "Top-up limits")
                for role, _name in TOP_UP_ROLES for day in ("", "_day")}  # fmt: skip
    return {"ordering.enabled": form.get("enabled") == "on",
            "ordering.payment_methods": [m.value for m in PaymentMethod
                                         if form.get(f"method_{m.value}") == "on"]}  # fmt: skip


def _page(request: Request, who: Reader, values: dict[str, Any], status: int = 200,
          **context: Any) -> Response:  # fmt: skip
    shown = {group for group, permission in PERMISSION.items() if who.can(permission)}
    methods = [(m.value, METHOD_NAMES[m]) for m in PaymentMethod]
    messages = [(kind, label, " ".join(f"{{{p}}}" for p in sorted(PLACEHOLDERS[kind])),
                 [(lang, LANGUAGE_NAMES[lang], DEFAULTS[(kind, lang)]) for lang in LANGUAGES])
                for kind, label in MESSAGE_KINDS.items()]  # fmt: skip
    response: Response = render(request, who, "admin/settings.html", status, v=values,
                                shown=shown, methods=methods, messages=messages,
                                languages=list(LANGUAGE_NAMES.items()),
                                top_up_roles=TOP_UP_ROLES, **context)  # fmt: skip
    return response


def _read(request: Request, who: Reader) -> Programme:
    with _uow(request, who) as uow:
        return current(uow)


@router.get("")
def settings_page(request: Request, who: SignedIn) -> Response:
    if not any(who.can(permission) for permission in set(PERMISSION.values())):
        raise Refused(403, who.gettext("Not allowed"), who.gettext(
            "Your account does not have the permission for this section: {section}."
        ).format(section=who.gettext("Loyalty settings")))  # fmt: skip
    saved = request.query_params.get("saved")
    notice = who.gettext("Saved.") if saved else None
    return _page(request, who, _as_form(_read(request, who)), notice=notice)


def _message_problem(who: Reader, updates: dict[str, Any]) -> str | None:
    """The first text of the messages form that cannot be saved, said in the reader's
    language (the model refuses the same, in English, for ``pos-server settings set``)."""
    for key, text in updates.items():
        if key == "messages.language":
            continue
        kind, _sep, lang = key.removeprefix("messages.").rpartition("_")
        where = who.gettext("{message} ({language})").format(
            message=who.gettext(MESSAGE_KINDS[kind]), language=who.gettext(LANGUAGE_NAMES[lang])
        )
        allowed = " ".join(f"{{{p}}}" for p in sorted(PLACEHOLDERS[kind])) or "—"
        unknown = unknown_placeholders(kind, text)
        if unknown is None:
            return who.gettext(
                "Not saved: the text of «{message}» has a brace without its "
                "pair; to write a brace itself, double it."
            ).format(message=where)
        if unknown:
            return who.gettext(
                "Not saved: the text of «{message}» names {unknown}, which this "
                "message does not have; it may use: {allowed}."
            ).format(message=where, unknown=" ".join(f"{{{p}}}" for p in unknown), allowed=allowed)
        missing = missing_placeholders(kind, text)
        if missing:
            return who.gettext(
                "Not saved: the text of «{message}» must name {missing}, or the "
                "guest does not get what the message is for."
            ).format(message=where, missing=" ".join(f"{{{p}}}" for p in missing))
    return None


def _save(request: Request, who: Reader, form: FormData, group: str) -> Response:
    raw = {**_as_form(_read(request, who)), **{key: _text(form, key) for key in form}}
    if group == "ordering":
        raw["enabled"] = form.get("enabled") == "on"
        raw["methods"] = [m for m in (x.value for x in PaymentMethod)
                          if form.get(f"method_{m}") == "on"]  # fmt: skip
    try:
        updates = _updates(group, form)
        problem = _message_problem(who, updates) if group == "messages" else None
        if problem is not None:
            return _page(request, who, raw, 400, error=problem)
        with _uow(request, who) as uow:
            change(uow, updates, reason=_text(form, "reason"))
    except FormProblem as exc:
        message = who.gettext("This field is not a valid number: {field}.").format(
            field=who.gettext(str(exc))
        )
        return _page(request, who, raw, 400, error=message)
    except ProgrammeError as exc:
        message = who.gettext("Not saved, the setting is not valid: {problem}").format(
            problem=str(exc)
        )
        return _page(request, who, raw, 400, error=message)
    return RedirectResponse(f"{PREFIX}/settings?saved={group}#{group}", 303)


@router.post("/loyalty")
def save_loyalty(request: Request, posted: LoyaltyForm) -> Response:
    return _save(request, *posted, "loyalty")


@router.post("/promo")
def save_promo(request: Request, posted: LoyaltyForm) -> Response:
    return _save(request, *posted, "promo")


@router.post("/messages")
def save_messages(request: Request, posted: LoyaltyForm) -> Response:
    return _save(request, *posted, "messages")


@router.post("/venue")
def save_venue(request: Request, posted: VenueForm) -> Response:
    return _save(request, *posted, "venue")


@router.post("/ordering")
def save_ordering(request: Request, posted: VenueForm) -> Response:
    return _save(request, *posted, "ordering")


@router.post("/staff")
def save_staff(request: Request, posted: StaffForm) -> Response:
    return _save(request, *posted, "staff")


@router.post("/top_up")
def save_top_up(request: Request, posted: StaffForm) -> Response:
    return _save(request, *posted, "top_up")
