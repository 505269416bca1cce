"""Staff, catalogue and guest-group tables (migration 0006), on the same Base as ``models``.

Prices and amounts are int kopecks, percentages int basis points (1 % = 100 bp). A PIN is
never stored: only its slow hash, the salt and the hash parameters (what a till needs to check
a PIN offline).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from pos_server.db.models import Base, GuestOrderRow


class StaffRow(Base):
    """A cashier, manager, operator or admin; ``pin_hash``/``salt`` are hex text (sent to the
    tills). ``password_hash`` (argon2id) and ``key_hash`` (SHA-256 of a staff key) are the
    server-only credentials of the admin routes (migration 0013, ``pos_server.staff.passwords``);
    never in the change feed."""

    __tablename__ = "staff"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    pin_hash: Mapped[str] = mapped_column(String(128))
    salt: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict[str, Any]]
    active: Mapped[bool]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    password_hash: Mapped[str | None] = mapped_column(String(255))
    key_hash: Mapped[str | None] = mapped_column(String(64), index=True, unique=True)


class ProductGroupRow(Base):
    __tablename__ = "product_groups"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool]
    colour: Mapped[str | None] = mapped_column(String(7))  # the tiles' "#rrggbb"
    image: Mapped[bytes | None] = mapped_column(LargeBinary)  # PNG/JPEG/WebP, <= 64 KB
    updated_at: Mapped[datetime]


class ProductRow(Base):
    """A catalogue product; ``tags`` is a JSON list of strings."""

    __tablename__ = "products"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    price: Mapped[int] = mapped_column(BigInteger)
    barcode: Mapped[str | None] = mapped_column(String(64), index=True)
    group_id: Mapped[str | None] = mapped_column(ForeignKey("product_groups.id"), index=True)
    tags: Mapped[list[str]] = mapped_column(JSON)
    allow_points: Mapped[bool]
    guest_orderable: Mapped[bool]
    active: Mapped[bool]
    colour: Mapped[str | None] = mapped_column(String(7))  # its tile's "#rrggbb"
    image: Mapped[bytes | None] = mapped_column(LargeBinary)  # PNG/JPEG/WebP, <= 64 KB
    updated_at: Mapped[datetime]
    # migration 0029: a bundle's parts, JSON [{"product_id", "quantity"}] (empty: not a
    # bundle), and a time package's minutes (None: not one)
    components: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    minutes: Mapped[int | None] = mapped_column(Integer)
    # migration 0029: more barcodes the product answers to besides ``barcode`` (JSON list)
    extra_barcodes: Mapped[list[str]] = mapped_column(JSON, default=list)


class GuestGroupRow(Base):
    """A guest tier (``pos_app.domain.groups.GuestGroup``); ``scope`` is JSON
    ``{"product_group_ids": [...], "product_ids": [...], "tags": [...]}`` (empty: whole order)."""

    __tablename__ = "guest_groups"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    discount_bp: Mapped[int] = mapped_column(Integer)
    spend_threshold: Mapped[int] = mapped_column(BigInteger)
    scope: Mapped[dict[str, Any]]
    auto_move: Mapped[bool]
    no_demotion: Mapped[bool]
    demote_to: Mapped[str | None] = mapped_column(String(64))
    daily_identification_limit: Mapped[int | None] = mapped_column(Integer)
    daily_points_spend_limit: Mapped[int | None] = mapped_column(BigInteger)
    accrual_bp: Mapped[int | None] = mapped_column(Integer)
    max_redemption_bp: Mapped[int | None] = mapped_column(Integer)
    offline_allowance: Mapped[int] = mapped_column(BigInteger)
    active: Mapped[bool]
    updated_at: Mapped[datetime]
    demotion_days: Mapped[int | None] = mapped_column(Integer)  # migration 0027


# Order listing for consoles pages newest first by (placed_at, id): keyset paging needs this.
Index("ix_guest_orders_placed_at_id", GuestOrderRow.placed_at, GuestOrderRow.id)


class PinFailureRow(Base):
    """Wrong PINs in a row for one staff id at one terminal and the lock they earned
    (migration 0008; ``pos_server.staff.auth``): in the database, so every server process
    counts the same guesses. No foreign keys: unknown staff ids are counted too."""

    __tablename__ = "pin_failures"

    terminal_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    staff_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    locked_until: Mapped[datetime | None]
