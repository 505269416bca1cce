"""Till tables on the server (migration 0007): cash shifts, promo codes, referral redemptions,
refunds.

On the same Base as ``models``. Amounts are int kopecks; a shift's closing report is kept as
the JSON the till sent (totals by method, refunds, points), for the back office.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pos_server.db.models import Base


class ShiftRow(Base):
    __tablename__ = "shifts"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    terminal_id: Mapped[str] = mapped_column(ForeignKey("terminals.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    opened_at: Mapped[datetime]
    opened_by: Mapped[str] = mapped_column(String(64))
    opening_cash: Mapped[int] = mapped_column(BigInteger)
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[str | None] = mapped_column(String(64))
    counted_cash: Mapped[int | None] = mapped_column(BigInteger)
    expected_cash: Mapped[int | None] = mapped_column(BigInteger)
    report: Mapped[dict[str, Any] | None]
    __table_args__ = (UniqueConstraint("terminal_id", "number", name="uq_shifts_terminal_number"),)


class SaleRefundRow(Base):
    """One refund of a closed sale, in full or by line (migration 0017: several per sale);
    ``by_method``: what it gave back by each way the sale was paid (NULL: a full refund
    recorded before refunds by line)."""

    __tablename__ = "sale_refunds"

    refund_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), index=True)
    terminal_id: Mapped[str] = mapped_column(String(64))
    refunded_at: Mapped[datetime]
    approved_by: Mapped[str] = mapped_column(String(64))
    total: Mapped[int] = mapped_column(BigInteger)
    accrual_taken_back: Mapped[int] = mapped_column(BigInteger)
    cashback_taken_back: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime]
    by_method: Mapped[dict[str, Any] | None]


class PromoCodeRow(Base):
    """A guest's personal promo code (seed 003); one phone has at most one code."""

    __tablename__ = "promo_codes"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    guest_id: Mapped[str] = mapped_column(ForeignKey("guests.id"), index=True)
    phone: Mapped[str | None] = mapped_column(String(32), unique=True)
    issued_at: Mapped[datetime]
    issued_by: Mapped[str] = mapped_column(String(64))


class PromoRedemptionRow(Base):
    """One sale paid with another guest's code: the owner's cashback, posted once."""

    __tablename__ = "promo_redemptions"

    sale_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    code: Mapped[str] = mapped_column(ForeignKey("promo_codes.code"), index=True)
    owner_guest_id: Mapped[str] = mapped_column(String(64))
    buyer_guest_id: Mapped[str | None] = mapped_column(String(64))
    paid_in_money: Mapped[int] = mapped_column(BigInteger)
    cashback: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime]
    terminal_id: Mapped[str] = mapped_column(String(64))
