"""Guest groups (issue 18 point 3): the list and a form of every setting of a group (seed 002:
discount %, the products it applies to, spend threshold, automatic move, never demote, where
a demotion goes and after how many days short of the threshold (the demotion period), daily
limits, the group's own accrual and redemption, offline allowance). Saved through
``pos_server.guests.groups.save_group`` (the import's checks, a feed change for the tills, an
audit row) in the member's unit of work. The loyalty settings permission."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from pos_app.domain.errors import DomainError
from pos_app.domain.money import Percent, format_money, parse_money
from pos_server.admin_web.context import PREFIX, Reader, Refused, acting, form_of, render, require
from pos_server.guests import groups
from pos_server.staff.permissions import Permission
from pos_server.web.context import form_text

router = APIRouter(prefix=f"{PREFIX}/groups", include_in_schema=False)
Page = Annotated[Reader, Depends(require(Permission.LOYALTY))]
Form = Annotated[tuple[Reader, FormData], Depends(form_of(Permission.LOYALTY))]
SCOPES = ("product_group_ids", "product_ids", "tags")


class FormProblem(ValueError):
    """A field the form cannot read; the message names it (translated where shown)."""


_text = form_text  # (settings_pages takes it from here)


def percent_text(bp: int | None) -> str:
    return "" if bp is None else str(Percent(bp)).rstrip("%")


def money_text(kopecks: int | None) -> str:
    return "" if kopecks is None else format_money(kopecks, "")


def _bp(form: FormData, name: str, label: str, *, optional: bool = False) -> int | None:
    text = _text(form, name)
    if not text:
        if optional:
            return None
        text = "0"
    try:
        return Percent.parse(text).bp
    except DomainError:
        raise FormProblem(label) from None


def _money(form: FormData, name: str, label: str, *, optional: bool = False) -> int | None:
    text = _text(form, name)
    if not text:
        if optional:
            return None
        text = "0"
    try:
        value = parse_money(text)
    except DomainError:
        raise FormProblem(label) from None
    if value < 0:
        raise FormProblem(label)
    return value


def _count(form: FormData, name: str, label: str) -> int | None:
    text = _text(form, name)
    if not text:
        return None
    if not text.isdigit():
        raise FormProblem(label)
    return int(text)


def parse_group(form: FormData, group_id: str) -> groups.GuestGroupIn:
    """The form as the groups file's record; FormProblem or pydantic's ValidationError."""
    scope = {key: [part.strip() for part in _text(form, key).split(",") if part.strip()]
             for key in SCOPES}  # fmt: skip
    values: dict[str, Any] = {
        "id": group_id, "name": _text(form, "name"),
        "discount_bp": _bp(form, "discount", "Discount"),
        "spend_threshold": _money(form, "spend_threshold", "Spend threshold"),
        "scope": scope,
        "auto_move": form.get("auto_move") == "on",
        "no_demotion": form.get("no_demotion") == "on",
        "demote_to": _text(form, "demote_to") or None,
        "daily_identification_limit": _count(form, "daily_identification_limit",
                                             "Identifications a day"),
        "daily_points_spend_limit": _money(form, "daily_points_spend_limit",
                                           "Points spent a day", optional=True),
        "accrual_bp": _bp(form, "accrual", "Accrual", optional=True),
        "max_redemption_bp": _bp(form, "max_redemption", "Max redemption", optional=True),
        "offline_allowance": _money(form, "offline_allowance", "Offline allowance"),
        "active": form.get("active") == "on",
        "demotion_days": _count(form, "demotion_days", "Demotion period, days"),
    }  # fmt: skip
    return groups.GuestGroupIn.model_validate(values)


def _as_form(group: groups.GuestGroupIn) -> dict[str, Any]:
    return {
        "id": group.id, "name": group.name, "discount": percent_text(group.discount_bp),
        "spend_threshold": money_text(group.spend_threshold),
        **{key: ", ".join(getattr(group.scope, key)) for key in SCOPES},
        "auto_move": group.auto_move, "no_demotion": group.no_demotion,
        "demote_to": group.demote_to or "",
        "daily_identification_limit": "" if group.daily_identification_limit is None
        else str(group.daily_identification_limit),
        "daily_points_spend_limit": money_text(group.daily_points_spend_limit),
        "accrual": percent_text(group.accrual_bp),
        "max_redemption": percent_text(group.max_redemption_bp),
        "offline_allowance": money_text(group.offline_allowance), "active": group.active,
        "demotion_days": "" if group.demotion_days is None else str(group.demotion_days),
    }  # fmt: skip


def _all(request: Request, who: Reader) -> list[groups.GuestGroupIn]:
    with acting(request, who) as uow:
        return [groups.group_in(row) for row in groups.list_groups(uow)]


@router.get("")
def group_list(request: Request, who: Page) -> Response:
    found = _all(request, who)
    response: Response = render(request, who, "admin/groups.html", groups=found,
                                percent=percent_text, money=money_text)  # fmt: skip
    return response


def _form(request: Request, who: Reader, values: dict[str, Any], *, new: bool,
          status: int = 200, **context: Any) -> Response:  # fmt: skip
    others = [g for g in _all(request, who) if g.id != values.get("id")]
    response: Response = render(request, who, "admin/group_form.html", status, v=values,
                                new=new, others=others, **context)  # fmt: skip
    return response


EMPTY = {"id": "", "name": "", "discount": "0", "spend_threshold": "0", "product_group_ids": "",
         "product_ids": "", "tags": "", "auto_move": False, "no_demotion": False,
         "demote_to": "", "daily_identification_limit": "", "daily_points_spend_limit": "",
         "accrual": "", "max_redemption": "", "offline_allowance": "0", "active": True,
         "demotion_days": ""}  # fmt: skip


@router.get("/new")
def new_form(request: Request, who: Page) -> Response:
    return _form(request, who, dict(EMPTY), new=True)


@router.get("/{group_id}")
def edit_form(group_id: str, request: Request, who: Page) -> Response:
    found = {g.id: g for g in _all(request, who)}.get(group_id)
    if found is None:
        raise Refused(404, who.gettext("Not found"), who.gettext("No guest group has this id."))
    notice = who.gettext("Saved.") if request.query_params.get("saved") else None
    with acting(request, who) as uow:
        count, shown = groups.members(uow, group_id)
    return _form(request, who, _as_form(found), new=False, notice=notice, member_count=count,
                 members=shown, money=money_text)  # fmt: skip


def _save(request: Request, who: Reader, form: FormData, group_id: str, *, new: bool
          ) -> Response:  # fmt: skip
    raw = {key: (form.get(key) == "on" if key in ("auto_move", "no_demotion", "active")
                 else _text(form, key)) for key in EMPTY}  # fmt: skip
    raw["id"] = group_id
    try:
        group = parse_group(form, group_id)
        with acting(request, who) as uow:
            if new and uow.groups.row(group_id) is not None:
                raise groups.GroupsError("A guest group with this id already exists.")
            groups.save_group(uow, group)
    except FormProblem as exc:
        message = who.gettext("This field is not a valid number: {field}.").format(
            field=who.gettext(str(exc))
        )
        return _form(request, who, raw, new=new, status=400, error=message)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        message = who.gettext("Check the field {field}: {problem}").format(
            field=where, problem=first["msg"]
        )
        return _form(request, who, raw, new=new, status=400, error=message)
    except groups.GroupsError as exc:
        return _form(request, who, raw, new=new, status=400, error=who.gettext(str(exc)))
    return RedirectResponse(f"{PREFIX}/groups/{group_id}?saved=1", 303)


@router.post("/new")
def add(request: Request, posted: Form) -> Response:
    who, form = posted
    return _save(request, who, form, _text(form, "id"), new=True)


@router.post("/{group_id}")
def save(group_id: str, request: Request, posted: Form) -> Response:
    who, form = posted
    return _save(request, who, form, group_id, new=False)
