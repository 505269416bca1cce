"""Staff sign-in to the back office: name and password (argon2id), throttled, a session.

Names are not unique, so every active member of that name is tried (each check costs the
same); one who has no password cannot sign in (``staff set-password``, or the staff page). A
wrong name and a wrong password are the same answer, and an unknown name costs the time of a
real check. Every failure counts (``pos_server.web.throttle``), in the sign-in's own unit of
work, which commits whatever the answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_server.db.models_staff import StaffRow
from pos_server.staff import passwords
from pos_server.staff.service import STAFF_REALM
from pos_server.uow import UnitOfWork
from pos_server.web import sessions, throttle


@dataclass(frozen=True)
class SignedIn:
    staff_id: str
    token: str  # the session cookie's value, shown to nobody else


@dataclass(frozen=True)
class Refused:
    locked_seconds: float = 0.0  # > 0: too many failures; nothing was checked


def sign_in(uow: UnitOfWork, name: str, password: str, source: str,
            lifetimes: sessions.Lifetimes) -> SignedIn | Refused:  # fmt: skip
    attempt = throttle.Attempt(STAFF_REALM, name[:200], source)
    wait = throttle.wait_seconds(uow, attempt)
    if wait > 0:
        return Refused(wait)
    found: StaffRow | None = None
    candidates = uow.staff.active_by_name(name) if name.strip() else []
    for row in candidates:
        if passwords.password_matches(password, row.password_hash) and found is None:
            found = row
    if not candidates:
        passwords.password_matches(password, None)  # the time of a real check
    if found is None:
        throttle.failed(uow, attempt)
        return Refused()
    throttle.succeeded(uow, attempt)
    if found.password_hash and passwords.needs_rehash(found.password_hash):
        found.password_hash = passwords.hash_password(password)
    token, _session = sessions.start(uow, STAFF_REALM, found.id, lifetimes)
    return SignedIn(found.id, token)
