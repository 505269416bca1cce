"""Card top-ups from the guest cabinet (migration 0029, issue 19 point 5).

``card_top_ups``: one row per attempt, our id (a UUID, also the payment's ``Idempotence-Key``
and ``metadata.top_up_id`` at YooKassa), the guest, the amount in kopecks and its state:
``new`` (recorded, the payment not made yet), ``pending`` (the payment exists, waiting for the
bank), ``credited`` (the provider said succeeded, the balance got the money: once),
``failed`` (cancelled, expired, refused: nothing credited) or ``mismatch`` (the provider's
payment does not match the row: nothing credited, staff must look). The provider's payment id
is unique, so one payment can never belong to two top-ups.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from pos_server.db.models import Base


class CardTopUpRow(Base):
    __tablename__ = "card_top_ups"
    __table_args__ = (
        Index("ix_card_top_ups_guest", "guest_id", "created_at"),
        Index("ix_card_top_ups_status", "status", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    guest_id: Mapped[str] = mapped_column(ForeignKey("guests.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    provider: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    payment_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    confirmation_url: Mapped[str | None] = mapped_column(String(2000))
    failure: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    credited_at: Mapped[datetime | None]
