"""Who is reading a back-office page and what they may do: the dependencies every page takes.

- ``reader``: the page's language and, when the session cookie names a live session of an
  active member of staff, that member with their permissions.
- ``require(permission)``: a signed-in member holding ``permission``; not signed in: a
  redirect to the sign-in page (``SignInNeeded``); signed in without it: 403 (``Refused``),
  a plain page saying which permission is missing.
- ``form_of(permission)``: the same, and the POSTed form, whose CSRF token must be the
  session's (and whose Origin, if sent, this server): else 403.
- ``acting(request, who)``: the unit of work a change runs in, acting as ``web:<staff id>``
  (the audit's who).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from starlette.datastructures import FormData

from pos_server.staff.permissions import Permission, granted
from pos_server.staff.service import STAFF_REALM
from pos_server.uow import UnitOfWork, unit_of_work
from pos_server.web import context as shared
from pos_server.web import i18n, sessions
from pos_server.web.templating import Templates

COOKIE = "pos_admin"
PREFIX = "/admin"
TEMPLATES = Templates("pos_server.admin_web")


# The web stack's, under the names this app's pages import them by.
settings_of = shared.settings_of
lifetimes_of = shared.lifetimes_of
now_of = shared.now_of
engine_of = shared.engine_of
lang_of = shared.lang_of


@dataclass(frozen=True)
class Member:
    staff_id: str
    name: str
    role: str
    permissions: frozenset[Permission]


@dataclass(frozen=True)
class Reader:
    lang: str
    member: Member | None = None
    session: sessions.WebSession | None = None
    token: str = ""

    @property
    def me(self) -> Member:
        assert self.member is not None
        return self.member

    def can(self, permission: str) -> bool:
        return self.member is not None and permission in self.member.permissions

    def gettext(self, message: str) -> str:
        return i18n.gettext(self.lang, message)


class SignInNeeded(Exception):
    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class Refused(shared.Refused):
    """A plain refusal page of the back office: 403 (no permission, a bad form token) or 404."""


def reader(request: Request) -> Reader:
    """The page's reader (a sync dependency: FastAPI runs it on its thread pool)."""
    lang = lang_of(request)
    token = request.cookies.get(COOKIE, "")
    if not token:
        return Reader(lang)
    with unit_of_work(engine_of(request), actor="web", now=now_of(request)) as uow:
        session = sessions.load(uow, token, STAFF_REALM, lifetimes_of(request))
        if session is None:
            return Reader(lang)
        row = uow.staff.row(session.subject_id)
        if row is None or not row.active:
            sessions.end(uow, token)
            return Reader(lang)
        member = Member(row.id, row.name, row.role, granted(uow, row))
    return Reader(lang, member, session, token)


def signed_in(request: Request) -> Reader:
    found = reader(request)
    if found.member is None:
        raise SignInNeeded(request.url.path)
    return found


def require(permission: Permission | None) -> Callable[[Request], Reader]:
    """A page of ``permission``'s section (None: any signed-in member)."""

    def dependency(request: Request) -> Reader:
        found = signed_in(request)
        if permission is not None and permission not in found.me.permissions:
            section = found.gettext(SECTION_NAMES[permission])
            raise Refused(403, found.gettext("Not allowed"), found.gettext(
                "Your account does not have the permission for this section: {section}."
            ).format(section=section))  # fmt: skip
        return found

    return dependency


def form_of(permission: Permission | None) -> Callable[..., Awaitable[tuple[Reader, FormData]]]:
    """``require(permission)`` and the request's form, its CSRF token checked."""
    page = require(permission)

    async def dependency(request: Request) -> tuple[Reader, FormData]:
        return await shared.signed_form(request, page, check_form)

    return dependency


def check_form(request: Request, form: FormData, expected: str | None, lang: str) -> None:
    shared.check_form(request, form, expected, Reader(lang).gettext, Refused)


@contextmanager
def acting(request: Request, who: Reader) -> Iterator[UnitOfWork]:
    """The unit of work of a change made by ``who``: committed when the block ends."""
    with unit_of_work(engine_of(request), actor=f"web:{who.me.staff_id}",
                      now=now_of(request)) as uow:  # fmt: skip
        yield uow


def render(request: Request, who: Reader, template: str, status: int = 200,
           headers: dict[str, str] | None = None, **context: Any) -> Any:  # fmt: skip
    return shared.render(TEMPLATES, request, who, template, status=status, headers=headers,
                         context={"sections": SECTIONS} | context)  # fmt: skip


def _(message: str) -> str:
    """Marks a message for extraction; translated where it is shown."""
    return message


SECTION_NAMES: dict[Permission, str] = {
    Permission.GUESTS: _("Guests"),
    Permission.LOYALTY: _("Loyalty settings"),
    Permission.BONUS_SETTINGS: _("Bonus settings"),
    Permission.CATALOGUE: _("Catalogue"),
    Permission.STAFF: _("Staff"),
    Permission.REPORTS: _("Reports"),
    Permission.TERMINALS: _("Terminals"),
}
# The sections with pages so far: (permission, path, title).
SECTIONS: list[tuple[Permission, str, str]] = [
    (Permission.GUESTS, f"{PREFIX}/guests", _("Guests")),
    (Permission.LOYALTY, f"{PREFIX}/groups", _("Guest groups")),
    (Permission.LOYALTY, f"{PREFIX}/settings", _("Programme settings")),
    (Permission.STAFF, f"{PREFIX}/staff", _("Staff")),
    (Permission.STAFF, f"{PREFIX}/settings#top_up", _("Top-up limits")),
    (Permission.TERMINALS, f"{PREFIX}/terminals", _("Terminals")),
    (Permission.TERMINALS, f"{PREFIX}/settings#venue", _("Venue settings")),
    (Permission.REPORTS, f"{PREFIX}/audit", _("Audit log")),
    (Permission.CATALOGUE, f"{PREFIX}/catalogue", _("Catalogue")),
    (Permission.GUESTS, f"{PREFIX}/notifications", _("Messages to guests")),
    (Permission.REPORTS, f"{PREFIX}/reports", _("Reports")),
]
