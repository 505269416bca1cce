"""Ledger-rules tables (migration 0005), on the same Base as ``models``.

A guest's group and lifetime spend; the loyalty facts of each sale (the guest's group at that
moment, accrual); rule breaches the server recorded instead of refusing (offline operations);
the audit of admin actions. The money accounts, first made here, share ``accounts`` /
``postings`` / ``overdrafts`` with the points since migration 0016. Amounts are int kopecks,
times UTC.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column

from pos_server.db.models import Base, BigId


class GuestLoyaltyRow(Base):
    """A guest's group (no FK: guest_groups comes in a later migration) and lifetime spend."""

    __tablename__ = "guest_loyalty"

    guest_id: Mapped[str] = mapped_column(ForeignKey("guests.id"), primary_key=True)
    group_id: Mapped[str | None] = mapped_column(String(64), index=True)  # 0018: members tab
    lifetime_spend: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime]
    # migration 0021: the group was put by hand; the guest's own percentages (null: group's)
    group_by_hand: Mapped[bool] = mapped_column(server_default=false())
    accrual_bp: Mapped[int | None]
    max_redemption_bp: Mapped[int | None]


class GuestSpendRow(Base):
    """A spend that grew the guest's lifetime spend, and when (migration 0027): the rolling
    periods of demotion by period are summed from these rows."""

    __tablename__ = "guest_spend"
    __table_args__ = (Index("ix_guest_spend_guest_at", "guest_id", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    guest_id: Mapped[str] = mapped_column(ForeignKey("guests.id"))
    at: Mapped[datetime]
    amount: Mapped[int] = mapped_column(BigInteger)


class SaleLoyaltyRow(Base):
    """What a sale meant for its guest: the group at that moment, money and points paid,
    the accrual credited, and whether the till closed it offline."""

    __tablename__ = "sale_loyalty"

    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), primary_key=True)
    guest_id: Mapped[str] = mapped_column(ForeignKey("guests.id"), index=True)
    group_id: Mapped[str | None] = mapped_column(String(64))
    closed_at: Mapped[datetime] = mapped_column(index=True)
    money_paid: Mapped[int] = mapped_column(BigInteger)
    points_paid: Mapped[int] = mapped_column(BigInteger)
    accrual: Mapped[int] = mapped_column(BigInteger)
    offline: Mapped[bool]


class CancelledGuestSaleRow(Base):
    """A cancelled sale the guest had been identified on (migration 0010): it still counts
    against the daily identification limit (docs/domain.md), on the day it was cancelled."""

    __tablename__ = "cancelled_guest_sales"
    __table_args__ = (Index("ix_cancelled_guest_sales_guest_at", "guest_id", "cancelled_at"),)

    sale_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    guest_id: Mapped[str] = mapped_column(ForeignKey("guests.id"))
    terminal_id: Mapped[str] = mapped_column(String(36))
    cancelled_at: Mapped[datetime]


class RuleBreachRow(Base):
    """For managers: a rule the server did not enforce because the till had already acted
    offline (daily limit, max redemption, an overdraft beyond the group's offline allowance),
    or a points payment it refused for want of a hold backing it (``guest_id`` None: a sale
    without a guest claimed points)."""

    __tablename__ = "rule_breaches"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    guest_id: Mapped[str | None] = mapped_column(ForeignKey("guests.id"), index=True)
    rule: Mapped[str] = mapped_column(String(32))
    amount: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime]
    terminal_id: Mapped[str | None] = mapped_column(String(36))
    ref: Mapped[str | None] = mapped_column(String(64), index=True)
    message: Mapped[str] = mapped_column(String(500))


class StaffTopUpRow(Base):
    """What one staff member topped up on one business day of the shop (migration 0019): the
    daily top-up limit of their role is checked against it (``balance_kinds``)."""

    __tablename__ = "staff_top_ups"

    staff_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    total: Mapped[int] = mapped_column(BigInteger)


class AdminAuditRow(Base):
    """One row per admin action (reset holds...): who, from which terminal, why, what."""

    __tablename__ = "admin_audit"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    action: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(64))
    terminal_id: Mapped[str | None] = mapped_column(String(36))
    target: Mapped[str] = mapped_column(String(128))
    reason: Mapped[str] = mapped_column(String(500))
    details: Mapped[dict[str, Any]]


class ReconciliationItemRow(Base):
    """A difference between a closed sale as the till priced it and the server's recomputation
    of it (``pos_server.ops.sale_review``): never a refusal - the till already took the money -
    but an item for a manager (``pos-server reconciliation list``), resolved by hand."""

    __tablename__ = "reconciliation_items"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(32))
    sale_id: Mapped[str] = mapped_column(String(64), index=True)
    terminal_id: Mapped[str] = mapped_column(String(36))
    op_id: Mapped[str] = mapped_column(String(36))
    amount: Mapped[int] = mapped_column(BigInteger)  # the till's total minus the server's
    message: Mapped[str] = mapped_column(String(500))
    details: Mapped[dict[str, Any]]
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(64))
