"""The guest cabinet's tables (migration 0024, issue 19).

- ``cabinet_accounts``: a guest's cabinet login (normalised: ``pos_app.domain.guests.
  normalise_login``) and argon2id password hash; a pending recovery password (sent by SMS,
  valid beside the old one until used or expired, so a stranger asking for a recovery locks
  nobody out); when the phone was confirmed (registration done).
- ``cabinet_signups``: a registration waiting for its SMS code (or a first sign-in waiting for
  the phone's confirmation). The browser holds a random token; the row keeps its SHA-256,
  the code's SHA-256 and how many wrong codes were tried.
- ``cabinet_basket_lines`` (migration 0029, the shop): the order a guest is building, one row
  per product and way of paying (money or points), kept on the server so the shop works
  without script and across the guest's devices; emptied when the order is placed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from pos_server.db.models import Base


class CabinetAccountRow(Base):
    __tablename__ = "cabinet_accounts"

    guest_id: Mapped[str] = mapped_column(ForeignKey("guests.id"), primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    recovery_hash: Mapped[str | None] = mapped_column(String(200))
    recovery_expires_at: Mapped[datetime | None]
    recovery_sent_at: Mapped[datetime | None]
    phone_confirmed_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    password_changed_at: Mapped[datetime]


class CabinetSignupRow(Base):
    __tablename__ = "cabinet_signups"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    phone: Mapped[str] = mapped_column(String(32))
    login: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    guest_id: Mapped[str | None] = mapped_column(String(64))  # set: a first sign-in's check
    name: Mapped[str | None] = mapped_column(String(200))  # a new guest's, if no one has the phone
    code_hash: Mapped[str] = mapped_column(String(64))
    wrong_codes: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)


class CabinetBasketLineRow(Base):
    __tablename__ = "cabinet_basket_lines"

    guest_id: Mapped[str] = mapped_column(ForeignKey("guests.id"), primary_key=True)
    product_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    in_points: Mapped[bool] = mapped_column(primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime]
