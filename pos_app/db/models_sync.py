"""The sync engine's tables (migration 0003): the till's points holds and reconciliation items.

On the same declarative ``Base`` as ``models.py`` so one metadata describes the whole store.
Small state (server URL, terminal id, last acknowledged seq, the token store the operator
chose) lives in ``settings``; the outbox itself is ``models.OutboxRow``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.db.models import Base, UTCDateTime


class SyncHoldRow(Base):
    """A points hold made by this till (its id is a UUID made here)."""

    __tablename__ = "sync_holds"
    hold_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    guest_id: Mapped[str] = mapped_column(String(64))
    amount: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sale_id: Mapped[str | None] = mapped_column(String(64))
    offline: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default="open")
    committed_amount: Mapped[int | None]
    reflected: Mapped[bool] = mapped_column(default=False)
    __table_args__ = (
        CheckConstraint(
            "status IN ('open', 'committed', 'released', 'refused')", name="status"
        ),
        Index("ix_sync_holds_guest_reflected", "guest_id", "reflected"),
        Index("ix_sync_holds_sale", "sale_id"),
        Index("ix_sync_holds_status", "status"),
    )


class SyncItemRow(Base):
    """An operation the server rejected or answered with a conflict: a manager looks at it."""

    __tablename__ = "sync_items"
    op_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int]
    kind: Mapped[str] = mapped_column(String(64))
    verdict: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    payload: Mapped[str] = mapped_column(Text)  # JSON
    resolved: Mapped[bool] = mapped_column(default=False)
    __table_args__ = (
        CheckConstraint("verdict IN ('rejected', 'conflict')", name="verdict"),
        Index("ix_sync_items_resolved_seq", "resolved", "seq"),
    )
