"""Terminals (issue 18 point 7): the list (enrolled, revoked, last seen), add a terminal
(its one-time enrolment code and a QR code of the server's URL and the code, shown once),
revoke. Calls ``pos_server.terminals.service`` in the member's unit of work (audited).

Operations waiting at a till and the oldest one's age: a till sends them with every batch
(``X-Till-Queue-Waiting``, ``X-Till-Queue-Age``), but the server keeps them only as the
``/metrics`` histograms, not per terminal; the page says so rather than showing a guess."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from pos_server.admin_web.context import (
    PREFIX,
    Reader,
    Refused,
    acting,
    form_of,
    render,
    require,
    settings_of,
)
from pos_server.staff.permissions import Permission
from pos_server.terminals import service as terminals
from pos_server.web.qr import enrolment_uri, qr_svg

router = APIRouter(prefix=f"{PREFIX}/terminals", include_in_schema=False)
Page = Annotated[Reader, Depends(require(Permission.TERMINALS))]
Form = Annotated[tuple[Reader, FormData], Depends(form_of(Permission.TERMINALS))]


def _list(request: Request, who: Reader, status: int = 200, **context: Any) -> Response:
    with acting(request, who) as uow:
        found = terminals.listing(uow)
    response: Response = render(request, who, "admin/terminals.html", status, terminals=found,
                                now=request.app.state.clock(), **context)  # fmt: skip
    return response


@router.get("")
def terminal_list(request: Request, who: Page) -> Response:
    return _list(request, who)


def server_url(request: Request) -> str:
    configured = settings_of(request).public_url
    return configured or str(request.base_url).rstrip("/")


@router.post("")
def add(request: Request, posted: Form) -> Response:
    who, form = posted
    name = form.get("name")
    try:
        with acting(request, who) as uow:
            added = terminals.register(uow, name if isinstance(name, str) else "",
                                       settings_of(request).enrol_code_lifetime)  # fmt: skip
    except terminals.TerminalError as exc:
        return _list(request, who, 400, error=who.gettext(str(exc)))
    url = server_url(request)
    return _list(request, who, added=added, added_name=name, server=url,
                 qr=qr_svg(enrolment_uri(url, added.enrolment_code)))  # fmt: skip


@router.post("/{terminal_id}/revoke")
def revoke(terminal_id: str, request: Request, posted: Form) -> Response:
    who, _form = posted
    with acting(request, who) as uow:
        found = terminals.revoke_terminal(uow, terminal_id)
    if not found:
        raise Refused(404, who.gettext("Not found"), who.gettext("No terminal has this id."))
    return RedirectResponse(f"{PREFIX}/terminals", 303)
