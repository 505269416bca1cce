"""Who is reading a cabinet page: the dependencies every page takes.

- ``reader``: the page's language and, when the ``pos_cabinet`` cookie names a live session of
  the ``guest`` realm whose guest may still use the cabinet, that guest's id. The id comes
  from the server's session row only, never from the request: every query of a page takes it,
  so a guest can only ever read their own rows.
- ``signed_in``: a signed-in guest, else a redirect to the sign-in page (``SignInNeeded``).
- ``form_of``: the same and the POSTed form, its CSRF token the session's (``Refused`` 403).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from fastapi import Request
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from pos_server.cabinet_web.accounts import GUEST_REALM
from pos_server.cabinet_web.i18n import TEMPLATES, gettext
from pos_server.repositories.terminals import CABINET_ID
from pos_server.settings import ServerSettings
from pos_server.uow import unit_of_work
from pos_server.web import csrf, i18n, sessions

COOKIE = "pos_cabinet"
ACTOR = CABINET_ID  # the unit of work's terminal_id: audit rows and stamps say "from the cabinet"
CODE_COOKIE = "pos_cabinet_code"
PREFIX = "/cabinet"


@dataclass(frozen=True)
class Reader:
    lang: str
    guest_id: str | None = None
    name: str = ""
    session: sessions.WebSession | None = None
    token: str = ""

    @property
    def me(self) -> str:
        assert self.guest_id is not None
        return self.guest_id

    def gettext(self, message: str) -> str:
        return gettext(self.lang, message)


class SignInNeeded(Exception):
    pass


class Refused(Exception):
    """A plain refusal page (403: an expired form; 400: a NUL character)."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status, self.title, self.message = status, title, message


def settings_of(request: Request) -> ServerSettings:
    found: ServerSettings = request.app.state.settings
    return found


def lifetimes_of(request: Request) -> sessions.Lifetimes:
    s = settings_of(request)
    return sessions.Lifetimes(idle=timedelta(minutes=s.web_session_idle_minutes),
                              absolute=timedelta(hours=s.web_session_hours))  # fmt: skip


def now_of(request: Request) -> datetime:
    clock: Callable[[], datetime] = request.app.state.clock
    return clock()


def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def lang_of(request: Request) -> str:
    return i18n.choose(request.cookies.get(i18n.COOKIE), request.headers.get("accept-language"))


def source_of(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


def secure(request: Request) -> bool:
    return request.url.scheme == "https"


def reader(request: Request) -> Reader:
    lang = lang_of(request)
    token = request.cookies.get(COOKIE, "")
    if not token:
        return Reader(lang)
    with unit_of_work(engine_of(request), actor=ACTOR, now=now_of(request)) as uow:
        session = sessions.load(uow, token, GUEST_REALM, lifetimes_of(request))
        if session is None:
            return Reader(lang)
        guest = uow.cabinet.guest(session.subject_id)
        if guest is None or not guest.cabinet_login_allowed:
            sessions.end(uow, token)  # the venue closed the cabinet meanwhile
            return Reader(lang)
    return Reader(lang, guest.guest_id, guest.name, session, token)


def signed_in(request: Request) -> Reader:
    found = reader(request)
    if found.guest_id is None:
        raise SignInNeeded()
    return found


async def form_of(request: Request) -> tuple[Reader, FormData]:
    found = await run_in_threadpool(signed_in, request)
    form = await request.form()
    assert found.session is not None
    check_form(request, form, found.session.csrf_token, found.lang)
    return found, form


def check_form(request: Request, form: FormData, expected: str | None, lang: str) -> None:
    sent = form.get(csrf.FIELD)
    token = sent if isinstance(sent, str) else request.headers.get(csrf.HEADER)
    same = csrf.same_origin(request.headers.get("origin"), request.headers.get("host"))
    who = Reader(lang)
    if any(isinstance(value, str) and "\x00" in value for _key, value in form.multi_items()):
        raise Refused(400, who.gettext("Not accepted"),
                      who.gettext("Text may not contain the NUL character."))  # fmt: skip
    if not (same and csrf.matches(token, expected)):
        raise Refused(403, who.gettext("The form has expired"), who.gettext(
            "This form is no longer valid (it was open too long, or came from another site). "
            "Open the page again and repeat."))  # fmt: skip


def text(form: FormData, name: str, limit: int = 200) -> str:
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""


def render(request: Request, who: Reader, template: str, status: int = 200,
           headers: dict[str, str] | None = None, **context: Any) -> Any:  # fmt: skip
    context.setdefault("error", None)
    context.setdefault("notice", None)
    return TEMPLATES.render(who.lang, template, {
        "who": who, "csrf_token": who.session.csrf_token if who.session else "",
        "path": request.url.path}  | context, status, headers)  # fmt: skip
