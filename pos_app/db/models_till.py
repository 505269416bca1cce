"""Till tables: staff, shifts with cash movements, card slips, promo codes (migration 0004).

On the same declarative ``Base`` as ``models.py`` so one metadata describes the whole store.
Money is int kopecks, times ISO UTC text (``UTCDateTime``), params JSON text.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.db.models import Base, UTCDateTime


class StaffRow(Base):
    __tablename__ = "staff"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    pin_hash: Mapped[str] = mapped_column(String(256))  # hex
    salt: Mapped[str] = mapped_column(String(128))  # hex
    params: Mapped[str] = mapped_column(Text, default="{}")  # JSON: algorithm and cost
    active: Mapped[bool] = mapped_column(default=True)
    # granted beyond the role (migration 0008): JSON list, e.g. ["bonus_settings"]
    permissions: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    __table_args__ = (
        CheckConstraint("role IN ('cashier', 'manager', 'operator', 'admin')", name="role"),
    )


class ShiftRow(Base):
    __tablename__ = "shifts"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    terminal_id: Mapped[str] = mapped_column(String(64))
    number: Mapped[int] = mapped_column(Integer)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    opened_by: Mapped[str] = mapped_column(String(64))
    opening_cash: Mapped[int]
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(64))
    counted_cash: Mapped[int | None]
    expected_cash: Mapped[int | None]
    __table_args__ = (
        Index("ix_shifts_terminal_number", "terminal_id", "number", unique=True),
        CheckConstraint("opening_cash >= 0", name="opening_cash"),
    )


class CashMovementRow(Base):
    __tablename__ = "cash_movements"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shift_id: Mapped[str] = mapped_column(ForeignKey("shifts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    amount: Mapped[int]
    reason: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    staff_id: Mapped[str] = mapped_column(String(64))
    __table_args__ = (
        CheckConstraint("kind IN ('in', 'out')", name="kind"),
        CheckConstraint("amount > 0", name="amount"),
    )


class CardSlipRow(Base):
    __tablename__ = "card_slips"
    ref: Mapped[str] = mapped_column(String(64), primary_key=True)
    sale_id: Mapped[str] = mapped_column(String(64), index=True)
    amount: Mapped[int]
    auth_code: Mapped[str] = mapped_column(String(32))
    rrn: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    reversed: Mapped[bool] = mapped_column(default=False)


class DepositTopUpRow(Base):
    """Money put on a guest's deposit at this till (migration 0011): the shift reports list it
    apart from revenue; a manager's refund fills ``refunded_*``."""

    __tablename__ = "deposit_top_ups"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    guest_id: Mapped[str] = mapped_column(String(64), index=True)
    method: Mapped[str] = mapped_column(String(8))
    amount: Mapped[int]
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    staff_id: Mapped[str] = mapped_column(String(64))
    card_ref: Mapped[str | None] = mapped_column(String(64), nullable=True)
    refunded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    refunded_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    __table_args__ = (
        CheckConstraint("method IN ('cash', 'card')", name="method"),
        CheckConstraint("amount > 0", name="amount"),
    )


class RefundRow(Base):
    """A closed sale given back, in full or by line (``refunds.py``); the parts by how they
    were paid, and the lines as JSON (``[[line_no, quantity, amount], ...]``; migration 0007)."""

    __tablename__ = "refunds"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    sale_id: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    staff_id: Mapped[str] = mapped_column(String(64))
    approved_by: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(200), default="")
    cash: Mapped[int] = mapped_column(default=0)
    card: Mapped[int] = mapped_column(default=0)
    balance: Mapped[int] = mapped_column(default=0)
    points: Mapped[int] = mapped_column(default=0)
    lines: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")


class PromoCodeRow(Base):
    __tablename__ = "promo_codes"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    guest_id: Mapped[str] = mapped_column(String(64), index=True)
    phone: Mapped[str | None] = mapped_column(String(20), index=True)


class SalePromoRow(Base):
    __tablename__ = "sale_promos"
    sale_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    code: Mapped[str] = mapped_column(String(64))
    owner_guest_id: Mapped[str] = mapped_column(String(64))
    discount_bp: Mapped[int]
    cashback_bp: Mapped[int]
