"""Staff (issue 18 point 5): list, add, edit (name, role, PIN), deactivate, set a password,
permissions. Every change is a call of ``pos_server.staff.service`` / ``permissions`` in the
member's unit of work (fed to the tills where the tills need it, audited)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from pos_app.domain.staff_pins import Role
from pos_server.admin_web.context import PREFIX, Reader, Refused, acting, form_of, render, require
from pos_server.staff import permissions as perms
from pos_server.staff import service as staff
from pos_server.staff.permissions import Permission

router = APIRouter(prefix=f"{PREFIX}/staff", include_in_schema=False)
Page = Annotated[Reader, Depends(require(Permission.STAFF))]
Form = Annotated[tuple[Reader, FormData], Depends(form_of(Permission.STAFF))]


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _chosen(form: FormData) -> set[str]:
    return {v for v in form.getlist("permission") if isinstance(v, str)}


def _view(request: Request, who: Reader) -> list[dict[str, Any]]:
    with acting(request, who) as uow:
        return [{**staff.public_view(row), "permissions": sorted(perms.granted(uow, row))}
                for row in staff.list_staff(uow)]  # fmt: skip


@router.get("")
def staff_list(request: Request, who: Page) -> Response:
    response: Response = render(request, who, "admin/staff_list.html", people=_view(request, who))
    return response


def _form(request: Request, who: Reader, member: dict[str, Any] | None, status: int = 200,
          **context: Any) -> Response:  # fmt: skip
    response: Response = render(request, who, "admin/staff_form.html", status, member=member,
                                roles=[r.value for r in Role], all_permissions=list(Permission),
                                **context)  # fmt: skip
    return response


@router.get("/new")
def new_form(request: Request, who: Page) -> Response:
    return _form(request, who, None, chosen=set())


@router.post("/new")
def add(request: Request, posted: Form) -> Response:
    who, form = posted
    try:
        with acting(request, who) as uow:
            row = staff.add_staff(uow, _text(form, "name"), _text(form, "role"),
                                  _text(form, "pin"), by_role=Role(who.me.role))  # fmt: skip
            if _text(form, "password"):
                staff.set_password(uow, row.id, _text(form, "password"),
                                   by_role=Role(who.me.role))  # fmt: skip
            if row.role != Role.ADMIN.value:
                perms.set_permissions(uow, row.id, _chosen(form), by_role=Role(who.me.role),
                                      by_permissions=who.me.permissions)  # fmt: skip
            staff_id = row.id
    except staff.StaffError as exc:
        return _form(request, who, None, 400, error=who.gettext(str(exc)), chosen=_chosen(form),
                     values={"name": _text(form, "name"), "role": _text(form, "role")})  # fmt: skip
    return RedirectResponse(f"{PREFIX}/staff/{staff_id}?saved=1", 303)


def _member(request: Request, who: Reader, staff_id: str) -> dict[str, Any]:
    with acting(request, who) as uow:
        try:
            row = staff.get(uow, staff_id)
        except staff.StaffError:
            raise Refused(404, who.gettext("Not found"),
                          who.gettext("No member of staff has this id.")) from None  # fmt: skip
        return {**staff.public_view(row), "permissions": set(perms.granted(uow, row))}


@router.get("/{staff_id}")
def edit_form(staff_id: str, request: Request, who: Page) -> Response:
    member = _member(request, who, staff_id)
    notice = who.gettext("Saved.") if request.query_params.get("saved") else None
    return _form(request, who, member, chosen=member["permissions"], notice=notice)


def _change(request: Request, who: Reader, form: FormData, staff_id: str, work: Any) -> Response:
    try:
        with acting(request, who) as uow:
            perms.may_manage(uow, staff_id, by_role=Role(who.me.role),
                             by_permissions=who.me.permissions)  # fmt: skip
            work(uow)
    except staff.StaffError as exc:
        member = _member(request, who, staff_id)
        return _form(request, who, member, 400, error=who.gettext(str(exc)),
                     chosen=_chosen(form) if form.get("permissions_form") else
                     member["permissions"])  # fmt: skip
    return RedirectResponse(f"{PREFIX}/staff/{staff_id}?saved=1", 303)


@router.post("/{staff_id}")
def save(staff_id: str, request: Request, posted: Form) -> Response:
    who, form = posted
    by = Role(who.me.role)

    def work(uow: Any) -> None:
        row = staff.edit(uow, staff_id, _text(form, "name"), _text(form, "role"),
                         pin=_text(form, "pin") or None, by_role=by)  # fmt: skip
        if row.role != Role.ADMIN.value:
            perms.set_permissions(uow, staff_id, _chosen(form), by_role=by,
                                  by_permissions=who.me.permissions)  # fmt: skip

    return _change(request, who, form, staff_id, work)


@router.post("/{staff_id}/password")
def set_password(staff_id: str, request: Request, posted: Form) -> Response:
    who, form = posted
    return _change(request, who, form, staff_id, lambda uow: staff.set_password(
        uow, staff_id, _text(form, "password"), by_role=Role(who.me.role)))  # fmt: skip


@router.post("/{staff_id}/deactivate")
def deactivate(staff_id: str, request: Request, posted: Form) -> Response:
    who, form = posted
    if staff_id == who.me.staff_id:
        member = _member(request, who, staff_id)
        return _form(request, who, member, 400, chosen=member["permissions"],
                     error=who.gettext("You cannot deactivate yourself."))  # fmt: skip
    return _change(request, who, form, staff_id, lambda uow: staff.deactivate(
        uow, staff_id, by_role=Role(who.me.role)))  # fmt: skip
