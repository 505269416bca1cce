"""Terminal registry: add, enrol with a one-time code, authenticate and revoke bearer tokens.

Secrets are stored only as sha256 digests: a stolen database cannot be replayed as a till.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_server.db.models import Terminal

TOKEN_BYTES = 32  # 256 bits of randomness, ~43 url-safe characters
CODE_BYTES = 12


class AuthError(Exception):
    """A credential was missing, unknown, used up or revoked; the message says which."""


@dataclass(frozen=True)
class NewTerminal:
    terminal_id: str
    enrolment_code: str


@dataclass(frozen=True)
class Enrolment:
    terminal_id: str
    token: str


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def add_terminal(session: Session, name: str, now: datetime) -> NewTerminal:
    """Register a terminal; the returned code is shown once and never stored in clear."""
    code = secrets.token_urlsafe(CODE_BYTES)
    terminal = Terminal(
        id=str(uuid.uuid4()), name=name, created_at=now, enrol_code_hash=digest(code), last_seq=0
    )
    session.add(terminal)
    session.flush()
    return NewTerminal(terminal.id, code)


def enrol(session: Session, code: str, now: datetime) -> Enrolment:
    """Exchange a one-time code for a bearer token; the code stops working at once."""
    terminal = session.scalars(
        select(Terminal).where(Terminal.enrol_code_hash == digest(code)).with_for_update()
    ).one_or_none()
    if terminal is None:
        raise AuthError("This enrolment code is unknown or has already been used.")
    if terminal.revoked_at is not None:
        raise AuthError("This terminal has been revoked.")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    terminal.enrol_code_hash = None
    terminal.token_hash = digest(token)
    terminal.enrolled_at = now
    return Enrolment(terminal.id, token)


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


def revoke(session: Session, terminal_id: str, now: datetime) -> bool:
    """Revoke a terminal's token (and unused code). False when no such terminal exists."""
    terminal = session.get(Terminal, terminal_id)
    if terminal is None:
        return False
    terminal.revoked_at = now
    terminal.enrol_code_hash = None
    return True
