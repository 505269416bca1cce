"""Who is reading a cabinet page: the dependencies every page takes.

- ``reader``: the page's language and, when the ``pos_cabinet`` cookie names a live session of
  the ``guest`` realm whose guest may still use the cabinet, that guest's id. The id comes
  from the server's session row only, never from the request: every query of a page takes it,
  so a guest can only ever read their own rows.
- ``signed_in``: a signed-in guest, else a redirect to the sign-in page (``SignInNeeded``).
- ``form_of``: the same and the POSTed form, its CSRF token the session's (``Refused`` 403).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from starlette.datastructures import FormData

from pos_server.cabinet_web.accounts import GUEST_REALM
from pos_server.cabinet_web.i18n import TEMPLATES, gettext
from pos_server.repositories.terminals import CABINET_ID
from pos_server.uow import unit_of_work
from pos_server.web import context as shared
from pos_server.web import sessions

COOKIE = "pos_cabinet"
ACTOR = CABINET_ID  # the unit of work's terminal_id: audit rows and stamps say "from the cabinet"
CODE_COOKIE = "pos_cabinet_code"
PREFIX = "/cabinet"


# The web stack's, under the names this app's pages import them by.
settings_of = shared.settings_of
lifetimes_of = shared.lifetimes_of
now_of = shared.now_of
engine_of = shared.engine_of
lang_of = shared.lang_of
secure = shared.secure


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


class Refused(shared.Refused):
    """A plain refusal page of the cabinet (403: an expired form; 400: a NUL character)."""


def source_of(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


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
    return await shared.signed_form(request, signed_in, check_form)


def check_form(request: Request, form: FormData, expected: str | None, lang: str) -> None:
    shared.check_form(request, form, expected, Reader(lang).gettext, Refused)


def text(form: FormData, name: str, limit: int = 200) -> str:
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""


def render(request: Request, who: Reader, template: str, status: int = 200,
           headers: dict[str, str] | None = None, **context: Any) -> Any:  # fmt: skip
    return shared.render(TEMPLATES, request, who, template, status=status, headers=headers,
                         context=context)  # fmt: skip
