"""Console tables (migration 0005): the cached guest orders, the guests and points balances the
feed showed with them. The server owns all of it; this is a cache the console can show offline
and that survives a restart. On the same declarative ``Base`` as ``models.py``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.db.models import Base, UTCDateTime


class ConsoleOrderRow(Base):
    __tablename__ = "console_orders"
    order_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    change_id: Mapped[int]  # the feed change that last wrote it (0: never from the server)
    state: Mapped[str] = mapped_column(String(16))
    guest_id: Mapped[str] = mapped_column(String(64), index=True)
    total: Mapped[int]
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    pending_ops: Mapped[int] = mapped_column(default=0)
    data: Mapped[str] = mapped_column(Text)  # the order as the server sends it (JSON)
    __table_args__ = (
        Index("ix_console_orders_state_placed", "state", "placed_at"),
        Index("ix_console_orders_placed_at", "placed_at"),
    )


class ConsoleGuestRow(Base):
    __tablename__ = "console_guests"
    guest_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))
    search_key: Mapped[str] = mapped_column(String(300))  # casefolded name, phone and id


class ConsoleBalanceRow(Base):
    """The guest's money balance as the feed last showed it (``balance_account``)."""

    __tablename__ = "console_balances"
    guest_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    total: Mapped[int]
    change_id: Mapped[int] = mapped_column(server_default="0")  # the feed change that wrote it


class ConsolePointsRow(Base):
    __tablename__ = "console_points"
    guest_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    total: Mapped[int]
    held: Mapped[int]
    change_id: Mapped[int] = mapped_column(server_default="0")  # the feed change that wrote it
