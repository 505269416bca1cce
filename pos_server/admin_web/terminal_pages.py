"""Terminals (issue 18 point 7): the list (enrolled, revoked, last seen), add a terminal
(its one-time enrolment code and a QR code of the server's URL and the code, shown once),
revoke. Calls ``pos_server.terminals.service`` in the member's unit of work (audited).

Operations waiting at a till and the oldest one's age: as the till last reported them with a
batch (``X-Till-Queue-Waiting``, ``X-Till-Queue-Age``; kept by ``pos_server.terminals.queue``,
at most a minute old for a till that is online). A till whose oldest operation has waited
longer than ``STALE``, or that has not been heard from for that long, is marked."""

from __future__ import annotations

from datetime import datetime, timedelta
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


STALE = timedelta(minutes=15)


def age_text(who: Reader, since: datetime | None, now: datetime) -> str:
    """How long ago ``since`` was, in the member's language ("1 h 5 min", "40 s")."""
    if since is None:
        return "—"
    seconds = max(int((now - since).total_seconds()), 0)
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, seconds = divmod(rest, 60)
    if days:
        return who.gettext("{days} d {hours} h").format(days=days, hours=hours)
    if hours:
        return who.gettext("{hours} h {minutes} min").format(hours=hours, minutes=minutes)
    if minutes:
        return who.gettext("{minutes} min").format(minutes=minutes)
    return who.gettext("{seconds} s").format(seconds=seconds)


def _list(request: Request, who: Reader, status: int = 200, **context: Any) -> Response:
    with acting(request, who) as uow:
        found = terminals.listing(uow)
    now = request.app.state.clock()
    response: Response = render(request, who, "admin/terminals.html", status, terminals=found,
                                now=now, stale=now - STALE,
                                age=lambda since: age_text(who, since, now),
                                stale_minutes=int(STALE.total_seconds() // 60),
                                **context)  # fmt: skip
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
