"""Terminal registry: add, enrol with a one-time code, authenticate and revoke bearer tokens.

Secrets are stored only as sha256 digests: a stolen database cannot be replayed as a till.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_server.db.models import Terminal
from pos_server.repositories.terminals import TerminalView
from pos_server.uow import UnitOfWork

TOKEN_BYTES = 32  # 256 bits of randomness, ~43 url-safe characters
CODE_BYTES = 12
CODE_LIFETIME = timedelta(hours=24)  # the default of ServerSettings.enrol_code_hours


class AuthError(Exception):
    """A credential was missing, unknown, used up or revoked; the message says which."""


@dataclass(frozen=True)
class NewTerminal:
    terminal_id: str
    enrolment_code: str
    expires_at: datetime


@dataclass(frozen=True)
class Enrolment:
    terminal_id: str
    token: str
    name: str = ""  # as `pos-server terminal add NAME` set it: the till shows it on reports


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_enrolment_code() -> str:
    """A one-time code an installer types or passes on a command line: url-safe, and never
    starting with "-" (``pos-app till --enrol-code -AbC`` would read as an unknown option)."""
    while True:
        code = secrets.token_urlsafe(CODE_BYTES)
        if code[0].isalnum():
            return code


def _new_terminal(name: str, now: datetime, lifetime: timedelta) -> tuple[Terminal, str]:
    code = new_enrolment_code()
    terminal = Terminal(
        id=str(uuid.uuid4()), name=name, created_at=now, enrol_code_hash=digest(code),
        enrol_code_expires_at=now + lifetime, last_seq=0,
    )  # fmt: skip
    return terminal, code


def add_terminal(
    session: Session, name: str, now: datetime, lifetime: timedelta = CODE_LIFETIME
) -> NewTerminal:
    """Register a terminal; the returned code is shown once and never stored in clear, and
    works for ``lifetime`` (a code copied into a chat or a ticket is not a key for ever).
    In a session of the caller's (tests and benchmarks); ``register`` is the audited one."""
    terminal, code = _new_terminal(name, now, lifetime)
    session.add(terminal)
    session.flush()
    return NewTerminal(terminal.id, code, now + lifetime)


class TerminalError(Exception):
    """A terminal request cannot be done; the message is a sentence for the operator."""


def register(uow: UnitOfWork, name: str, lifetime: timedelta = CODE_LIFETIME) -> NewTerminal:
    """``add_terminal`` in the unit of work (``pos-server terminal add``, the back office),
    audited (never the code)."""
    name = name.strip()
    if not 1 <= len(name) <= 200:
        raise TerminalError("A terminal's name is 1 to 200 characters.")
    terminal, code = _new_terminal(name, uow.now, lifetime)
    uow.terminals.add(terminal)
    uow.audit.record(
        "terminal.add",
        f"terminal:{terminal.id}",
        after={"name": name, "code_expires_at": (uow.now + lifetime).isoformat()},
    )
    return NewTerminal(terminal.id, code, uow.now + lifetime)


def revoke_terminal(uow: UnitOfWork, terminal_id: str) -> bool:
    """``revoke`` in the unit of work, audited; False when no such terminal exists."""
    terminal = uow.terminals.row(terminal_id)
    if terminal is None:
        return False
    if terminal.revoked_at is None:
        terminal.revoked_at = uow.now
        terminal.enrol_code_hash = None
        uow.audit.record("terminal.revoke", f"terminal:{terminal.id}",
                         before={"name": terminal.name, "revoked": False},
                         after={"name": terminal.name, "revoked": True})  # fmt: skip
    return True


def listing(uow: UnitOfWork) -> list[TerminalView]:
    """Every terminal, revoked last, with when it was last heard from."""
    return uow.terminals.listing()


def enrol(session: Session, code: str, now: datetime) -> Enrolment:
    """Exchange a one-time code for a bearer token; the code stops working at once."""
    terminal = session.scalars(
        select(Terminal).where(Terminal.enrol_code_hash == digest(code)).with_for_update()
    ).one_or_none()
    if terminal is None:
        raise AuthError("This enrolment code is unknown or has already been used.")
    if terminal.revoked_at is not None:
        raise AuthError("This terminal has been revoked.")
    expires = terminal.enrol_code_expires_at
    if expires is None or now >= expires:
        raise AuthError("This enrolment code has expired; run `pos-server terminal add` "
                        "again for a new one.")  # fmt: skip
    token = secrets.token_urlsafe(TOKEN_BYTES)
    terminal.enrol_code_hash = None
    terminal.enrol_code_expires_at = None
    terminal.token_hash = digest(token)
    terminal.enrolled_at = now
    return Enrolment(terminal.id, token, terminal.name)


def authenticate(session: Session, token: str) -> str:
    """Terminal id owning ``token``; raises ``AuthError`` for forged or revoked tokens."""
    terminal = session.scalars(
        select(Terminal).where(Terminal.token_hash == digest(token))
    ).one_or_none()
    if terminal is None:
        raise AuthError("The bearer token is not valid for any terminal.")
    if terminal.revoked_at is not None:
        raise AuthError("This terminal has been revoked; add it again to get a new code.")
    return terminal.id


def check_token_row(
    token_hash: str | None, revoked_at: datetime | None, token_digest: str | None
) -> None:
    """The terminal row read under its lock still accepts the token with ``token_digest``
    (``None``: the caller authenticated otherwise). Raises ``AuthError`` like ``authenticate``."""
    if token_digest is None:
        return
    if revoked_at is not None:
        raise AuthError("This terminal has been revoked; add it again to get a new code.")
    if token_hash != token_digest:
        raise AuthError("The bearer token is not valid for any terminal.")


class TokenCache:
    """Token digest -> terminal id, for routes that check the token again in their own
    transaction (``POST /v1/ops`` does, under the terminal's row lock), so a revoked or
    replaced token is still refused at once; only the separate lookup is saved. A digest
    names one terminal for ever (tokens are random and never reassigned), so entries need no
    expiry; the size is bounded."""

    def __init__(self, limit: int = 10_000) -> None:
        self._ids: dict[str, str] = {}
        self._limit = limit

    @classmethod
    def of(cls, state: Any) -> TokenCache:
        """The app's cache (``app.state.token_cache``), made on first use."""
        cache: TokenCache | None = getattr(state, "token_cache", None)
        if cache is None:
            cache = state.token_cache = cls()
        return cache

    def cached(self, token: str) -> str | None:
        return self._ids.get(digest(token))

    def terminal_id(self, session_factory: Callable[[], Session], token: str) -> str:
        """The terminal owning ``token``; a miss authenticates against the database."""
        found = self._ids.get(digest(token))
        if found is not None:
            return found
        with session_factory() as session:
            terminal_id = authenticate(session, token)
        if len(self._ids) >= self._limit:
            self._ids.clear()
        self._ids[digest(token)] = terminal_id
        return terminal_id


def revoke(session: Session, terminal_id: str, now: datetime) -> bool:
    """Revoke a terminal's token (and unused code). False when no such terminal exists."""
    terminal = session.get(Terminal, terminal_id)
    if terminal is None:
        return False
    terminal.revoked_at = now
    terminal.enrol_code_hash = None
    return True
