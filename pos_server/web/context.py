"""What the back office's and the cabinet's page dependencies share: the app's state (settings,
clock, engine), the page's language, a POSTed form's checks and the page's rendering.

Each app keeps its own reader (cookie, realm, who signs in), templates and refusal classes: an
app's ``Refused`` subclasses the one here, so that its own exception handler draws the page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

from fastapi import Request
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from pos_server.settings import ServerSettings
from pos_server.web import csrf, i18n, sessions
from pos_server.web.templating import Templates


class PageReader(Protocol):
    """The reader of a page, as the shared pieces need it."""

    @property
    def lang(self) -> str: ...

    @property
    def session(self) -> sessions.WebSession | None: ...


ReaderT = TypeVar("ReaderT", bound=PageReader)
FormCheck = Callable[[Request, FormData, str | None, str], None]


class Refused(Exception):
    """A plain refusal page (403: no permission, an expired form; 400: a NUL character; 404)."""

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


def secure(request: Request) -> bool:
    return request.url.scheme == "https"


def check_form(request: Request, form: FormData, expected: str | None,
               gettext: Callable[[str], str], refused: type[Refused]) -> None:  # fmt: skip
    """``refused`` (the app's class, in the app's language) unless the form's CSRF token is
    ``expected`` and its Origin, if sent, this server; 400 for a NUL character."""
    sent = form.get(csrf.FIELD)
    token = sent if isinstance(sent, str) else request.headers.get(csrf.HEADER)
    same = csrf.same_origin(request.headers.get("origin"), request.headers.get("host"))
    if any(isinstance(value, str) and "\x00" in value for _key, value in form.multi_items()):
        # PostgreSQL cannot store it; a URL-encoded form hides it from NulGuard
        raise refused(400, gettext("Not accepted"),
                      gettext("Text may not contain the NUL character."))  # fmt: skip
    if not (same and csrf.matches(token, expected)):
        raise refused(403, gettext("The form has expired"), gettext(
            "This form is no longer valid (it was open too long, or came from another site). "
            "Open the page again and repeat."))  # fmt: skip


def form_text(form: FormData, name: str) -> str:
    """A form field's text, stripped ("" when it is missing or a file)."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


async def signed_form(request: Request, page: Callable[[Request], ReaderT],
                      check: FormCheck) -> tuple[ReaderT, FormData]:  # fmt: skip
    """``page``'s reader (run on the thread pool) and the request's form, checked by ``check``
    against the reader's session token."""
    found = await run_in_threadpool(page, request)
    form = await request.form()
    check(request, form, found.session.csrf_token if found.session else None, found.lang)
    return found, form


def render(templates: Templates, request: Request, who: PageReader, template: str, *,
           status: int, headers: dict[str, str] | None,
           context: dict[str, Any]) -> Any:  # fmt: skip
    """``template`` for ``who``: its form token, the page's path, no error or notice unless
    ``context`` has one."""
    context.setdefault("error", None)
    context.setdefault("notice", None)
    return templates.render(who.lang, template, {
        "who": who, "csrf_token": who.session.csrf_token if who.session else "",
        "path": request.url.path} | context, status, headers)  # fmt: skip
