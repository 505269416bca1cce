"""The notification outbox and the Telegram subscription links: the SQL of issue 21.

``Notifications`` is the unit of work's side: an event writes its messages in its own
transaction (``uow.notifications.to_guest``), a /start binds a chat. The module's functions
are the sender's and the manager's side, each on a connection of its own transaction: claim
due messages, mark them, list and retry them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Connection, Table, and_, case, delete, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from pos_server.db.models import Guest
from pos_server.db.models_notify import NotificationRow, NotifyLeaseRow, TelegramLinkRow
from pos_server.db.models_till import PromoCodeRow
from pos_server.uow import Repository

TELEGRAM, SMS = "telegram", "sms"
HELD, WAITING, SENDING, SENT, FAILED = "held", "waiting", "sending", "sent", "failed"
# messages whose text holds a secret: wiped from the outbox once sent
SECRET_KINDS = ("cabinet_credentials", "signup_code", "recovery_code")
SECRET_SENT = "(sent; the text held a secret and is not kept)"
_T = cast(Table, NotificationRow.__table__)
_LINKS = cast(Table, TelegramLinkRow.__table__)
_GUESTS = cast(Table, Guest.__table__)
_LEASES = cast(Table, NotifyLeaseRow.__table__)


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A claimed message as the sender sends it; ``claimed_until`` fences its marking."""

    id: int
    channel: str
    recipient: str
    text: str
    qr: str | None
    attempts: int
    claimed_until: datetime
    guest_id: str | None


@dataclass(frozen=True, slots=True)
class Bound:
    """A /start that bound a chat: whose, which kinds of held message it released."""

    guest_id: str
    released: set[str]
    again: bool


class Notifications(Repository):
    __slots__ = ()

    def to_guest(self, guest_id: str, kind: str, key: str, text: str,
                 qr: str | None = None) -> bool:  # fmt: skip
        """A Telegram message to a guest, sent once per ``key`` (the event and recipient): to
        their chat when they have one, else ``held`` until they subscribe. False: the key was
        already written (the event happened before), nothing added."""
        chat = self.chat_of(guest_id)
        return self.enqueue(TELEGRAM, chat, kind, key, text, qr=qr, guest_id=guest_id,
                            held=chat is None)  # fmt: skip

    def enqueue(self, channel: str, recipient: str | None, kind: str, key: str, text: str, *,
                qr: str | None = None, guest_id: str | None = None, held: bool = False
                ) -> bool:  # fmt: skip
        uow = self._uow
        values = {"idempotency_key": key, "channel": channel, "recipient": recipient,
                  "guest_id": guest_id, "kind": kind, "text": text, "qr": qr,
                  "status": HELD if held else WAITING, "attempts": 0,
                  "next_attempt_at": uow.now, "created_at": uow.now}  # fmt: skip
        dialect = postgresql if self._dialect == "postgresql" else sqlite
        statement = (
            dialect.insert(_T)
            .values(values)
            .on_conflict_do_nothing(index_elements=["idempotency_key"])
            .returning(_T.c.id)  # no row back: the key was written before
        )
        return self._connection.execute(statement).first() is not None

    def chat_of(self, guest_id: str) -> str | None:
        return self._connection.execute(
            select(Guest.telegram_chat_id).where(Guest.id == guest_id)
        ).scalar_one_or_none()

    def new_link(self, guest_id: str) -> str:
        """A one-time token for the guest's deep link (URL-safe, as ``start`` allows)."""
        token = secrets.token_urlsafe(18)
        self._connection.execute(
            insert(_LINKS).values(token=token, guest_id=guest_id, created_at=self._uow.now)
        )
        return token

    def promo_code_of(self, guest_id: str) -> str | None:
        return (
            self._connection.execute(
                select(PromoCodeRow.code)
                .where(PromoCodeRow.guest_id == guest_id)
                .order_by(PromoCodeRow.issued_at)
            )
            .scalars()
            .first()
        )

    def use_link(self, token: str, chat_id: str, lifetime: timedelta) -> Bound | None:
        """Bind the chat to the token's guest and use the token up; the guest's held messages
        go to the chat. None: no such token, one older than ``lifetime``, or one another chat
        used. The same chat using it again (Telegram delivering the update again) changes
        nothing (``again``)."""
        now = self._uow.now
        guest_id: str | None = self._connection.execute(
            update(_LINKS)
            .where(
                _LINKS.c.token == token,
                _LINKS.c.used_at.is_(None),
                _LINKS.c.created_at > now - lifetime,
            )
            .values(used_at=now, chat_id=chat_id)
            .returning(_LINKS.c.guest_id)
        ).scalar_one_or_none()
        if guest_id is None:
            used = self._connection.execute(
                select(_LINKS.c.guest_id, _LINKS.c.chat_id).where(_LINKS.c.token == token)
            ).first()
            return (
                Bound(used.guest_id, set(), again=True)
                if used and used.chat_id == chat_id
                else None
            )
        self._connection.execute(
            update(_GUESTS)
            .where(_GUESTS.c.id == guest_id)
            .values(telegram_chat_id=chat_id, telegram_bound_at=now)
        )
        released = (
            self._connection.execute(
                update(_T)
                .where(_T.c.guest_id == guest_id, _T.c.status == HELD)
                .values(recipient=chat_id, status=WAITING, next_attempt_at=now)
                .returning(_T.c.kind)
            )
            .scalars()
            .all()
        )
        return Bound(guest_id, set(released), again=False)

    def mark_failed(self, message: Outgoing, error: str, retry_at: datetime | None) -> bool:
        """``mark_failed`` in this unit of work (the sender's own claim is checked there)."""
        return mark_failed(self._connection, message, error, retry_at)

    def unsubscribe(self, chat_id: str) -> None:
        """The guest blocked the bot: no chat any more (their next messages are held)."""
        guests = _GUESTS
        self._connection.execute(
            update(guests)
            .where(guests.c.telegram_chat_id == chat_id)
            .values(telegram_chat_id=None, telegram_bound_at=None)
        )


def claim_due(connection: Connection, now: datetime, channels: list[str], limit: int,
              claim_for: timedelta) -> list[Outgoing]:  # fmt: skip
    """Claim up to ``limit`` due messages of ``channels`` in the caller's transaction: waiting
    ones whose time came and ``sending`` ones whose claim ran out (their worker died). Rows
    another transaction holds are skipped (PostgreSQL ``FOR UPDATE SKIP LOCKED``; SQLite's
    ``BEGIN IMMEDIATE`` lets one writer at a time claim at all)."""
    due = or_(
        and_(_T.c.status == WAITING, _T.c.next_attempt_at <= now),
        and_(_T.c.status == SENDING, _T.c.claimed_until <= now),
    )
    rows = connection.execute(
        select(
            _T.c.id, _T.c.channel, _T.c.recipient, _T.c.text, _T.c.qr, _T.c.attempts, _T.c.guest_id
        )
        .where(due, _T.c.channel.in_(channels), _T.c.recipient.is_not(None))
        .order_by(_T.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if not rows:
        return []
    until = now + claim_for
    connection.execute(
        update(_T)
        .where(_T.c.id.in_([r.id for r in rows]))
        .values(status=SENDING, claimed_until=until, attempts=_T.c.attempts + 1)
    )
    return [Outgoing(r.id, r.channel, r.recipient, r.text, r.qr, r.attempts + 1, until,
                     r.guest_id) for r in rows]  # fmt: skip


def _ours(message: Outgoing) -> Any:
    return and_(
        _T.c.id == message.id, _T.c.status == SENDING, _T.c.claimed_until == message.claimed_until
    )


def mark_sent(connection: Connection, message: Outgoing, now: datetime,
              provider_id: str | None) -> bool:  # fmt: skip
    """False: the claim was lost (it ran out and another worker took the message). A text
    that carried a secret (a password, a code) is not kept once sent."""
    return bool(
        connection.execute(
            update(_T)
            .where(_ours(message))
            .values(
                status=SENT,
                sent_at=now,
                claimed_until=None,
                last_error=None,
                provider_id=provider_id,
                text=case((_T.c.kind.in_(SECRET_KINDS), SECRET_SENT), else_=_T.c.text),
            )
        ).rowcount
    )


def mark_failed(connection: Connection, message: Outgoing, error: str,
                retry_at: datetime | None) -> bool:  # fmt: skip
    """Back to ``waiting`` until ``retry_at``, or ``failed`` when None (given up)."""
    values: dict[str, Any] = {"claimed_until": None, "last_error": error[:500]}
    if retry_at is None:
        values["status"] = FAILED
    else:
        values.update(status=WAITING, next_attempt_at=retry_at)
    return bool(connection.execute(update(_T).where(_ours(message)).values(**values)).rowcount)


def release_claims(connection: Connection, messages: list[Outgoing]) -> None:
    """Claimed messages not sent after all (the sender is stopping): due again at once, the
    claim's attempt not counted."""
    for message in messages:
        connection.execute(
            update(_T)
            .where(_ours(message))
            .values(status=WAITING, claimed_until=None, attempts=_T.c.attempts - 1)
        )


def list_messages(connection: Connection, statuses: list[str] | None,
                  limit: int) -> list[dict[str, Any]]:  # fmt: skip
    """Messages oldest first (the newest ``limit`` of them), as the manager sees them."""
    query = select(_T)
    if statuses:
        query = query.where(_T.c.status.in_(statuses))
    rows = connection.execute(query.order_by(_T.c.id.desc()).limit(limit)).mappings().all()
    return [{k: v.isoformat() if isinstance(v, datetime) else v for k, v in row.items()}
            for row in reversed(rows)]  # fmt: skip


def retry(connection: Connection, now: datetime, message_id: int | None) -> int:
    """Failed messages (one, or all when None) back to ``waiting``, due now, attempts from 0;
    how many."""
    query = update(_T).where(_T.c.status == FAILED)
    if message_id is not None:
        query = query.where(_T.c.id == message_id)
    return int(
        connection.execute(
            query.values(status=WAITING, next_attempt_at=now, attempts=0, claimed_until=None)
        ).rowcount
    )


def take_lease(connection: Connection, name: str, holder: str, now: datetime,
               lasting: timedelta) -> bool:  # fmt: skip
    """Take or renew the lease ``name`` for ``holder`` until ``now + lasting``; False while
    another holder's lease runs. One transaction (the caller's) makes it atomic: the row is
    updated only where free or already ours, and a missing row is inserted once."""
    until = now + lasting
    taken = connection.execute(
        update(_LEASES)
        .where(_LEASES.c.name == name, or_(_LEASES.c.holder == holder, _LEASES.c.until <= now))
        .values(holder=holder, until=until)
        .returning(_LEASES.c.name)
    ).first()
    if taken is not None:
        return True
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    inserted = connection.execute(
        dialect.insert(_LEASES)
        .values(name=name, holder=holder, until=until)
        .on_conflict_do_nothing(index_elements=["name"])
        .returning(_LEASES.c.name)
    ).first()
    return inserted is not None


def release_lease(connection: Connection, name: str, holder: str) -> None:
    """Give the lease up (a clean stop), so another process need not wait for it to run out."""
    connection.execute(delete(_LEASES).where(_LEASES.c.name == name, _LEASES.c.holder == holder))
