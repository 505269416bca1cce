"""Server tables (SQLAlchemy 2 declarative). Amounts are int kopecks; times are UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    TypeDecorator,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# SQLite only autoincrements a column declared exactly INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UtcDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (which keeps no zone) too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UtcDateTime(), dict[str, Any]: JSON}


class Terminal(Base):
    """A till or console. Secrets are stored only as sha256 hex digests."""

    __tablename__ = "terminals"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    enrol_code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    enrol_code_expires_at: Mapped[datetime | None]  # the code is refused from then on
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    enrolled_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)


class AppliedOperation(Base):
    """One row per operation the server has judged; its verdict is replayed on every retry."""

    __tablename__ = "applied_operations"
    __table_args__ = (UniqueConstraint("terminal_id", "seq", name="uq_applied_operations_seq"),)

    op_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    terminal_id: Mapped[str] = mapped_column(ForeignKey("terminals.id"), index=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    received_at: Mapped[datetime]
    payload: Mapped[dict[str, Any]]
    payload_hash: Mapped[str] = mapped_column(String(64))
    verdict: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(64))
    message: Mapped[str | None] = mapped_column(String(500))
    current: Mapped[dict[str, Any] | None]


class Guest(Base):
    __tablename__ = "guests"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))  # the primary one (guest_contacts)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(ForeignKey("terminals.id"))
    # the guest's Telegram chat with the venue's bot (seed 003), NULL: not subscribed
    telegram_chat_id: Mapped[str | None] = mapped_column(String(32))
    telegram_bound_at: Mapped[datetime | None]
    # the guest card (migration 0021)
    birthday: Mapped[date | None]
    sex: Mapped[str | None] = mapped_column(String(8))
    note: Mapped[str] = mapped_column(String(1000), server_default="")
    cabinet_login_allowed: Mapped[bool] = mapped_column(server_default=true())
    ordering_allowed: Mapped[bool] = mapped_column(server_default=true())
    registration_skipped: Mapped[bool] = mapped_column(server_default=false())


class GuestIdentifier(Base):
    """A card number or app code; a value belongs to at most one guest."""

    __tablename__ = "guest_identifiers"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    guest_id: Mapped[str] = mapped_column(ForeignKey("guests.id"), index=True)
    medium: Mapped[str] = mapped_column(String(32))
    method: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(128), unique=True)
    bound_at: Mapped[datetime]
    blocked_at: Mapped[datetime | None]  # blocked: identifies nobody, stays the guest's
    block_reason: Mapped[str | None] = mapped_column(String(200))


class Sale(Base):
    __tablename__ = "sales"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    terminal_id: Mapped[str] = mapped_column(ForeignKey("terminals.id"), index=True)
    op_id: Mapped[str] = mapped_column(String(36))
    receipt_no: Mapped[str | None] = mapped_column(String(32))
    guest_id: Mapped[str | None] = mapped_column(ForeignKey("guests.id"), index=True)
    opened_at: Mapped[datetime]
    closed_at: Mapped[datetime]
    total: Mapped[int] = mapped_column(BigInteger)


class SaleLine(Base):
    __tablename__ = "sale_lines"

    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), primary_key=True)
    line_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(BigInteger)
    discount: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[int] = mapped_column(BigInteger)


class SalePayment(Base):
    __tablename__ = "sale_payments"

    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    method: Mapped[str] = mapped_column(String(16))
    amount: Mapped[int] = mapped_column(BigInteger)
    # the points hold this payment spent: a hold backs one sale (migration 0015)
    hold_id: Mapped[str | None] = mapped_column(String(64), index=True)


class FeedCounter(Base):
    """Single row handing out change ids. Its row lock, held until commit, makes ids commit in
    order, so a reader's cursor never skips a change committed late (a plain sequence would)."""

    __tablename__ = "feed_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_id: Mapped[int] = mapped_column(BigInteger)


class ShopSettingsRow(Base):
    """The shop-wide settings last published to the tills as a ``shop_settings`` change
    (``pos_server/feed/shop_settings.py``); no row: nothing published, the tills use the domain's
    defaults (migration 0010)."""

    __tablename__ = "shop_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    timezone: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime]


class ProgrammeSettingRow(Base):
    """One programme setting set in the back office or by ``pos-server settings set``
    (``pos_server/programme``): a dotted key (``venue.name``, ``loyalty.accrual_bp``) and its
    JSON value. A key with no row takes its default (``POS_SERVER_*`` or the built-in one)."""

    __tablename__ = "programme_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict[str, Any]]  # {"v": value}: JSON of any type under one key
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(64))


class Change(Base):
    """The change feed: what terminals pull, in id order."""

    __tablename__ = "changes"
    # a record's history before a point (pos_server.ops.sale_review: a price, a group as they were)
    __table_args__ = (Index("ix_changes_entity_record", "entity", "entity_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(128))
    data: Mapped[dict[str, Any]]
    at: Mapped[datetime]


POINTS, MONEY = "points", "money"  # the kinds of account (``accounts.kind``)
_ACCOUNT_KEY = ("accounts.kind", "accounts.id")


class AccountRow(Base):
    """A guest's account of one kind (migration 0016): ``points`` (bonus points, with holds)
    or ``money`` (the balance). The id is the guest's id in both, so the key is (kind, id).
    ``total`` and ``held`` (0 for money) mirror the postings: a cache, locked with SELECT ...
    FOR UPDATE while an operation changes the account."""

    __tablename__ = "accounts"

    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    total: Mapped[int] = mapped_column(BigInteger)
    held: Mapped[int] = mapped_column(BigInteger)


class BonusHoldRow(Base):
    """Points held for a payment; always of a ``points`` account (``account_kind``)."""

    __tablename__ = "bonus_holds"
    __table_args__ = (
        ForeignKeyConstraint(["account_kind", "account_id"], _ACCOUNT_KEY),
        # an account's open holds without walking its history (migration 0009)
        Index("ix_bonus_holds_account_status", "account_id", "status"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_kind: Mapped[str] = mapped_column(String(8), server_default=POINTS)
    account_id: Mapped[str] = mapped_column(String(64), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
    terminal_id: Mapped[str | None] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(16))
    committed_amount: Mapped[int] = mapped_column(BigInteger)


class PostingRow(Base):
    """Append-only, both kinds of account: who, which terminal, when, why, and the balances
    after (``held_after`` 0 for money); ``hold_id`` on every posting a hold made."""

    __tablename__ = "postings"
    __table_args__ = (
        ForeignKeyConstraint(["account_kind", "account_id"], _ACCOUNT_KEY),
        Index("ix_postings_account", "account_id", "account_kind"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    account_kind: Mapped[str] = mapped_column(String(8))
    account_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[int] = mapped_column(BigInteger)
    total_after: Mapped[int] = mapped_column(BigInteger)
    held_after: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(64))
    terminal_id: Mapped[str | None] = mapped_column(String(36))
    reason: Mapped[str] = mapped_column(String(200))
    ref: Mapped[str | None] = mapped_column(String(64))
    hold_id: Mapped[str | None] = mapped_column(String(64), index=True)


class OverdraftRow(Base):
    """Where an account went below zero (points: an offline hold replayed, a late commit;
    money: an offline balance payment replayed): for managers."""

    __tablename__ = "overdrafts"
    __table_args__ = (
        ForeignKeyConstraint(["account_kind", "account_id"], _ACCOUNT_KEY),
        Index("ix_overdrafts_account", "account_id", "account_kind"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    account_kind: Mapped[str] = mapped_column(String(8))
    account_id: Mapped[str] = mapped_column(String(64))
    amount: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(200))
    ref: Mapped[str | None] = mapped_column(String(64))
    hold_id: Mapped[str | None] = mapped_column(String(64), index=True)


class GuestOrderRow(Base):
    """A guest order (seed 001); ``state`` and the money fields follow ``pos_app.domain.orders``.

    ``invoice_status``: none / open / paid / annulled. ``debt`` is what a completed unpaid order
    left on the guest; ``reversed_amount`` a money payment given back by a void (points
    come back as a bonus posting).
    """

    __tablename__ = "guest_orders"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    guest_id: Mapped[str] = mapped_column(ForeignKey("guests.id"), index=True)
    state: Mapped[str] = mapped_column(String(16), index=True)
    method: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(500))
    ready_by: Mapped[datetime | None]
    points_hold_id: Mapped[str | None] = mapped_column(String(64))
    points_hold_amount: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[int] = mapped_column(BigInteger)
    invoice_status: Mapped[str] = mapped_column(String(16))
    paid_money: Mapped[int] = mapped_column(BigInteger)
    paid_points: Mapped[int] = mapped_column(BigInteger)
    reversed_amount: Mapped[int] = mapped_column(BigInteger)
    debt: Mapped[int] = mapped_column(BigInteger)
    placed_at: Mapped[datetime]
    placed_by: Mapped[str] = mapped_column(ForeignKey("terminals.id"))
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(36))
    version: Mapped[int] = mapped_column(Integer)
    number: Mapped[str | None] = mapped_column(String(16))  # "A-017", per venue day (0018)
    accrual: Mapped[int] = mapped_column(BigInteger, server_default="0")  # points it earned
    paid_by_sale: Mapped[str | None] = mapped_column(String(64))  # the till sale that paid it


class GuestOrderNumberRow(Base):
    """How many orders the venue's day (``YYYY-MM-DD`` on the shop's clock) has numbered."""

    __tablename__ = "guest_order_numbers"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class GuestOrderLineRow(Base):
    __tablename__ = "guest_order_lines"

    order_id: Mapped[str] = mapped_column(ForeignKey("guest_orders.id"), primary_key=True)
    line_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(BigInteger)
    in_points: Mapped[bool]
    delivered: Mapped[bool]
    discount: Mapped[int] = mapped_column(BigInteger, server_default="0")  # the group's (0018)


# Tables of other modules on the same Base, imported so every user of Base.metadata (alembic,
# the schema comparison test, test fixtures) sees them.
from pos_server.db import models_cabinet as _models_cabinet  # noqa: E402, F401
from pos_server.db import models_guest_card as _models_guest_card  # noqa: E402, F401
from pos_server.db import models_ledger as _models_ledger  # noqa: E402, F401
from pos_server.db import models_notify as _models_notify  # noqa: E402, F401
from pos_server.db import models_payments as _models_payments  # noqa: E402, F401
from pos_server.db import models_staff as _models_staff  # noqa: E402, F401
from pos_server.db import models_till as _models_till  # noqa: E402, F401
from pos_server.db import models_web as _models_web  # noqa: E402, F401
