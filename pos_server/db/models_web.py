"""Tables of the web stack and the back office (migration 0020), on the same Base as ``models``.

- ``web_sessions``: server-side sessions of the web pages (``pos_server.web.sessions``). The
  cookie carries a random token; only its SHA-256 is stored, so a copy of the database opens
  no session. ``realm`` tells the back office's staff sessions from the guest cabinet's.
- ``sign_in_failures``: wrong passwords in a row per key and the lock they earned
  (``pos_server.web.throttle``), so every server process counts the same guesses.
- ``staff_permissions``: which back-office sections a member of staff may use
  (``pos_server.staff.permissions``); admins hold every one whatever is stored.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from pos_server.db.models import Base


class WebSessionRow(Base):
    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    realm: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = mapped_column(String(64), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)


class SignInFailureRow(Base):
    __tablename__ = "sign_in_failures"

    realm: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    locked_until: Mapped[datetime | None]


class StaffPermissionRow(Base):
    __tablename__ = "staff_permissions"

    staff_id: Mapped[str] = mapped_column(ForeignKey("staff.id"), primary_key=True)
    permission: Mapped[str] = mapped_column(String(32), primary_key=True)
