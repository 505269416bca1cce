"""SQLAlchemy 2 models of the till's local store.

The models define the schema (alembic migrates it); repositories read and write them with Core
statements and hand out domain objects, never rows. Money columns are ``int`` kopecks,
percentages ``int`` basis points, times ISO-8601 UTC text (``UTCDateTime``), lists and scopes
JSON text.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes stored as ISO text that sorts by time; naive values are refused."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store times as aware UTC")
        return value.astimezone(UTC).isoformat(timespec="microseconds")

    def process_result_value(self, value: str | None, dialect: Dialect) -> datetime | None:
        return None if value is None else datetime.fromisoformat(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def table(model: Any) -> Table:
    """The Core table of a model, typed for Core statements."""
    return cast(Table, model.__table__)


class ProductGroup(Base):
    __tablename__ = "product_groups"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    colour: Mapped[str | None] = mapped_column(String(7))  # the tiles' "#rrggbb"
    image: Mapped[bytes | None] = mapped_column(LargeBinary)  # the tiles' picture
    # migration 0013: an inactive group's tile and products are off sale at the till
    active: Mapped[bool] = mapped_column(default=True, server_default=true())


class ProductRow(Base):
    __tablename__ = "products"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    price: Mapped[int]
    group_id: Mapped[str | None] = mapped_column(ForeignKey("product_groups.id"), index=True)
    tags: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    barcode: Mapped[str | None] = mapped_column(String(64), unique=True)
    guest_orderable: Mapped[bool] = mapped_column(default=True)
    payable_with_points: Mapped[bool] = mapped_column(default=True)
    active: Mapped[bool] = mapped_column(default=True)
    colour: Mapped[str | None] = mapped_column(String(7))  # its tile's "#rrggbb"
    image: Mapped[bytes | None] = mapped_column(LargeBinary)  # its tile's picture
    # migration 0012: a bundle's parts, JSON [{"product_id", "name", "quantity"}], and a time
    # package's minutes
    components: Mapped[str] = mapped_column(Text, default="[]")
    minutes: Mapped[int | None]
    extra_barcodes: Mapped[str] = mapped_column(Text, default="[]")  # JSON: besides barcode
    __table_args__ = (CheckConstraint("price >= 0", name="price_not_negative"),)


class GuestGroupRow(Base):
    __tablename__ = "guest_groups"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    discount_bp: Mapped[int] = mapped_column(default=0)
    spend_threshold: Mapped[int] = mapped_column(default=0)
    scope: Mapped[str] = mapped_column(Text, default="{}")  # JSON: product_group_ids, ...
    auto_move: Mapped[bool] = mapped_column(default=False)
    no_demotion: Mapped[bool] = mapped_column(default=False)
    demote_to: Mapped[str | None] = mapped_column(String(64))
    daily_identification_limit: Mapped[int | None]
    daily_points_spend_limit: Mapped[int | None]
    accrual_bp: Mapped[int | None]
    max_redemption_bp: Mapped[int | None]
    offline_allowance: Mapped[int] = mapped_column(default=0)


class GuestRow(Base):
    __tablename__ = "guests"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    group_id: Mapped[str | None] = mapped_column(ForeignKey("guest_groups.id"), index=True)
    search_key: Mapped[str] = mapped_column(String(200), index=True)  # casefolded, ё -> е
    lifetime_spend: Mapped[int] = mapped_column(default=0)
    emails: Mapped[str] = mapped_column(Text, default="[]")  # JSON list, normalised
    login: Mapped[str | None] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str | None] = mapped_column(Text)  # "pbkdf2_sha256$iter$salt$digest"
    skip_registration: Mapped[bool] = mapped_column(default=False)
    can_order_from_cabinet: Mapped[bool] = mapped_column(default=True)
    # the guest card (migration 0008)
    birthday: Mapped[str | None] = mapped_column(String(10))  # YYYY-MM-DD
    sex: Mapped[str | None] = mapped_column(String(8))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    cabinet_login_allowed: Mapped[bool] = mapped_column(default=True, server_default=true())
    group_by_hand: Mapped[bool] = mapped_column(default=False, server_default=false())
    accrual_bp: Mapped[int | None]
    max_redemption_bp: Mapped[int | None]
    contact_labels: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")


class GuestPhone(Base):
    __tablename__ = "guest_phones"
    guest_id: Mapped[str] = mapped_column(
        ForeignKey("guests.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(default=0)
    phone: Mapped[str] = mapped_column(String(20), primary_key=True, index=True)  # E.164


class IdentifierRow(Base):
    __tablename__ = "identifiers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    value: Mapped[str] = mapped_column(String(200), unique=True)  # normalised
    medium: Mapped[str] = mapped_column(String(32))
    method: Mapped[str] = mapped_column(String(32))
    guest_id: Mapped[str] = mapped_column(ForeignKey("guests.id", ondelete="CASCADE"), index=True)
    blocked: Mapped[bool] = mapped_column(default=False, server_default=false())  # 0008


class AccountSnapshot(Base):
    """Last known state of a guest's bonus or balance account (the server is authoritative)."""

    __tablename__ = "account_snapshots"
    account_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    guest_id: Mapped[str] = mapped_column(ForeignKey("guests.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # "bonus" | "balance"
    total: Mapped[int] = mapped_column(default=0)
    held: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    __table_args__ = (CheckConstraint("kind IN ('bonus', 'balance')", name="kind"),)


class SaleRow(Base):
    __tablename__ = "sales"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    terminal_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), index=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    receipt_no: Mapped[str | None] = mapped_column(String(32), unique=True)
    next_line_no: Mapped[int] = mapped_column(default=1)
    version: Mapped[int] = mapped_column(default=1)  # bumped on every save (cache check)
    # the guest and their group as they were at the time of the sale (seed 002)
    guest_id: Mapped[str | None] = mapped_column(String(64), index=True)
    guest_name: Mapped[str | None] = mapped_column(String(200))
    identified_by: Mapped[str | None] = mapped_column(String(32))
    group_id: Mapped[str | None] = mapped_column(String(64))
    group_name: Mapped[str | None] = mapped_column(String(200))
    discount_bp: Mapped[int | None]
    discount_scope: Mapped[str | None] = mapped_column(Text)  # JSON
    # totals as computed by the domain, kept for reports
    subtotal: Mapped[int] = mapped_column(default=0)
    discount: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    paid: Mapped[int] = mapped_column(default=0)
    # a discount on the whole order after the group's (a promo code; migration 0004)
    order_discount_bp: Mapped[int | None]
    order_discount_reason: Mapped[str | None] = mapped_column(String(100))
    __table_args__ = (
        CheckConstraint("status IN ('open', 'closed', 'cancelled')", name="status"),
    )


class SaleLineRow(Base):
    __tablename__ = "sale_lines"
    sale_id: Mapped[str] = mapped_column(
        ForeignKey("sales.id", ondelete="CASCADE"), primary_key=True
    )
    line_no: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[str] = mapped_column(String(64))
    product_name: Mapped[str] = mapped_column(String(200))
    product_group_id: Mapped[str | None] = mapped_column(String(64))
    tags: Mapped[str] = mapped_column(Text, default="[]")
    barcode: Mapped[str | None] = mapped_column(String(64))
    payable_with_points: Mapped[bool] = mapped_column(default=True)
    unit_price: Mapped[int]
    quantity: Mapped[int]
    discount: Mapped[int] = mapped_column(default=0)
    total: Mapped[int]
    components: Mapped[str] = mapped_column(Text, default="[]")  # migration 0012: as products
    minutes: Mapped[int | None]


class PaymentRow(Base):
    __tablename__ = "payments"
    sale_id: Mapped[str] = mapped_column(
        ForeignKey("sales.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(primary_key=True)
    method: Mapped[str] = mapped_column(String(16))
    amount: Mapped[int]
    tendered: Mapped[int]
    change: Mapped[int] = mapped_column(default=0)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class OutboxRow(Base):
    """Operations for the server, written in the transaction of the change they describe."""

    __tablename__ = "outbox"
    op_id: Mapped[str] = mapped_column(String(36), primary_key=True)  # UUID text
    terminal_id: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)  # JSON
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        UniqueConstraint("terminal_id", "seq", name="uq_outbox_terminal_seq"),
        CheckConstraint("status IN ('pending', 'applied', 'rejected')", name="status"),
        Index("ix_outbox_status_seq", "status", "seq"),
    )


class TerminalState(Base):
    """The one row naming this till and holding its counters (outbox seq, receipt number)."""

    __tablename__ = "terminal_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    terminal_id: Mapped[str] = mapped_column(String(64))
    receipt_prefix: Mapped[str] = mapped_column(String(8))
    next_seq: Mapped[int] = mapped_column(default=1)
    next_receipt_no: Mapped[int] = mapped_column(default=1)
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)


class Setting(Base):
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON
