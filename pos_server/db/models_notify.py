"""The notification outbox and the Telegram subscription links (issue 21, migration 0018).

A message is a row written in the transaction of the event that causes it; a background worker
sends it (``pos_server/notify/sender.py``). ``idempotency_key`` names the event and the
recipient, so the event can write its message only once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from pos_server.db.models import Base, BigId


class NotificationRow(Base):
    """One message to one recipient. ``status``: ``held`` (the guest has no chat yet: sent
    once they subscribe), ``waiting`` (due at ``next_attempt_at``), ``sending`` (claimed by a
    worker until ``claimed_until``), ``sent``, ``failed`` (given up: a manager may retry)."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_due", "status", "next_attempt_at"),
        Index("ix_notifications_guest_status", "guest_id", "status"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    channel: Mapped[str] = mapped_column(String(16))  # telegram | sms
    recipient: Mapped[str | None] = mapped_column(String(64))  # chat id or E.164 phone
    guest_id: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(String(4096))
    qr: Mapped[str | None] = mapped_column(String(256))  # sent as a QR picture with the text
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    claimed_until: Mapped[datetime | None]
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    provider_id: Mapped[str | None] = mapped_column(String(64))  # message id the API gave


class TelegramLinkRow(Base):
    """A one-time subscription token of a deep link ``https://t.me/<bot>?start=<token>``:
    pressing Start binds the chat to ``guest_id`` and uses the token up."""

    __tablename__ = "telegram_links"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    guest_id: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    chat_id: Mapped[str | None] = mapped_column(String(32))


class NotifyLeaseRow(Base):
    """Who runs a job that only one process may run at a time (the Telegram poller: Telegram
    answers a second concurrent getUpdates with 409), until when; renewed while it runs."""

    __tablename__ = "notify_leases"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64))
    until: Mapped[datetime]
