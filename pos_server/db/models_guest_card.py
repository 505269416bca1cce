"""The guest card's tables (migration 0021): contacts with their kind, the stamp of each
edited field (the rule two offline tills are reconciled by, ``pos_app.domain.guest_card``)
and the guest's audit (every change: who, which terminal, when, why, before and after - the
version that lost a field as well as the one that won it)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from pos_server.db.models import Base, BigId, Guest, GuestIdentifier


class GuestContactRow(Base):
    """One phone or e-mail of a guest, normalised, in the card's order (``position``)."""

    __tablename__ = "guest_contacts"
    __table_args__ = (UniqueConstraint("guest_id", "type", "value"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    guest_id: Mapped[str] = mapped_column(ForeignKey("guests.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(8))  # phone | email
    label: Mapped[str] = mapped_column(String(8))  # mobile | home | work | other
    value: Mapped[str] = mapped_column(String(254), index=True)


class GuestFieldStampRow(Base):
    """When the value a field of the card holds was edited (the till's time, cut back to the
    server's), by which terminal and operation."""

    __tablename__ = "guest_field_stamps"

    guest_id: Mapped[str] = mapped_column(ForeignKey("guests.id"), primary_key=True)
    field: Mapped[str] = mapped_column(String(32), primary_key=True)
    changed_at: Mapped[datetime]
    terminal_id: Mapped[str | None] = mapped_column(String(36))
    op_id: Mapped[str | None] = mapped_column(String(36))


class GuestAuditRow(Base):
    """One change to a guest card, applied or not (``outcome``: ``applied`` | ``superseded``,
    an offline edit a later one had already beaten)."""

    __tablename__ = "guest_audit"
    __table_args__ = (Index("ix_guest_audit_guest", "guest_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    guest_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]  # the server's time
    changed_at: Mapped[datetime | None]  # the till's time of the edit
    action: Mapped[str] = mapped_column(String(32))  # the operation's kind
    field: Mapped[str | None] = mapped_column(String(32))
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)
    outcome: Mapped[str] = mapped_column(String(16))
    staff_id: Mapped[str | None] = mapped_column(String(36))
    terminal_id: Mapped[str | None] = mapped_column(String(36))
    op_id: Mapped[str | None] = mapped_column(String(36))
    reason: Mapped[str] = mapped_column(String(200), server_default="")


# The back office's guest search (migration 0027, ``repositories/guest_search.py``): the list
# by name, and prefix matches (PostgreSQL: ``varchar_pattern_ops``, so ``LIKE 'abc%'`` uses the
# index whatever the database's collation).
_PATTERN = "varchar_pattern_ops"
Index("ix_guests_name_lower", func.lower(Guest.name))
Index("ix_guests_name_pattern", func.lower(Guest.name).label("name_lower"),
      postgresql_ops={"name_lower": _PATTERN})  # fmt: skip
Index("ix_guest_contacts_value_lower", func.lower(GuestContactRow.value).label("value_lower"),
      postgresql_ops={"value_lower": _PATTERN})  # fmt: skip
Index("ix_guest_identifiers_value_pattern", GuestIdentifier.value,
      postgresql_ops={"value": _PATTERN})  # fmt: skip
# a till-made guest's phone lives in ``guests.phone`` only (migration 0028)
Index("ix_guests_phone_pattern", Guest.phone, postgresql_ops={"phone": _PATTERN})
