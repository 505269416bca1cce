"""Server-side sessions of the web pages, one ``web_sessions`` row each.

The browser holds a random token (256 bits) in an HttpOnly, SameSite=Lax cookie (Secure over
HTTPS); the server stores only its SHA-256, with the realm (whose session: ``staff`` for the
back office), the subject (a staff id), the session's CSRF token, and two limits: an idle
timeout (``last_seen_at`` + idle) and an absolute one (``expires_at``). Signing out deletes
the row; so do a new password and deactivation (every session of the person). An expired row
is deleted when it is next presented, and expired rows of everyone whenever someone signs in.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from pos_server.db.models_web import WebSessionRow
from pos_server.uow import UnitOfWork

TOKEN_BYTES = 32
TOUCH_EVERY = timedelta(seconds=60)  # last_seen_at is rewritten at most this often


@dataclass(frozen=True)
class Lifetimes:
    idle: timedelta = timedelta(minutes=30)
    absolute: timedelta = timedelta(hours=12)


@dataclass(frozen=True)
class WebSession:
    realm: str
    subject_id: str
    csrf_token: str
    token_hash: str


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(uow: UnitOfWork, realm: str, subject_id: str, lifetimes: Lifetimes
          ) -> tuple[str, WebSession]:  # fmt: skip
    """A new session; the token (for the cookie, never stored) and the session."""
    uow.web_sessions.remove_expired(uow.now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    row = WebSessionRow(
        token_hash=digest(token), realm=realm, subject_id=subject_id,
        csrf_token=secrets.token_urlsafe(TOKEN_BYTES), created_at=uow.now,
        last_seen_at=uow.now, expires_at=uow.now + lifetimes.absolute,
    )  # fmt: skip
    uow.web_sessions.add(row)
    return token, WebSession(realm, subject_id, row.csrf_token, row.token_hash)


def load(uow: UnitOfWork, token: str, realm: str, lifetimes: Lifetimes) -> WebSession | None:
    """The live session of ``token`` in ``realm``; None (and the row gone) when it expired."""
    if not token or len(token) > 100:
        return None
    row = uow.web_sessions.get(digest(token))
    if row is None or row.realm != realm:
        return None
    if uow.now >= row.expires_at or uow.now - row.last_seen_at >= lifetimes.idle:
        uow.web_sessions.remove(row.token_hash)
        return None
    if uow.now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = uow.now
    return WebSession(row.realm, row.subject_id, row.csrf_token, row.token_hash)


def end(uow: UnitOfWork, token: str) -> None:
    uow.web_sessions.remove(digest(token))
