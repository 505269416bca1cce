"""The guest cabinet's rows (``pos_server/db/models_cabinet.py``): accounts, registrations
waiting for their SMS code, and the few reads of a guest the cabinet needs (found by phone or
e-mail; a balance at a moment). Every read of a guest's data takes the guest id the session
names: nothing here lists another guest's rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, text

from pos_server.db.models import Guest, PostingRow
from pos_server.db.models_cabinet import CabinetAccountRow, CabinetSignupRow
from pos_server.db.models_guest_card import GuestContactRow
from pos_server.uow import Repository


@dataclass(frozen=True, slots=True)
class GuestFlags:
    guest_id: str
    name: str
    phone: str | None
    cabinet_login_allowed: bool
    registration_skipped: bool


class Cabinet(Repository):
    """``uow.cabinet``."""

    __slots__ = ()

    def account(self, guest_id: str) -> CabinetAccountRow | None:
        return self._session.get(CabinetAccountRow, guest_id)

    def account_by_login(self, login: str) -> CabinetAccountRow | None:
        return self._session.scalars(
            select(CabinetAccountRow).where(CabinetAccountRow.login == login)
        ).first()

    def accounts_by_email(self, email: str) -> list[CabinetAccountRow]:
        """The accounts of the guests having ``email`` (normalised) as a contact."""
        owners = select(GuestContactRow.guest_id).where(
            GuestContactRow.type == "email", GuestContactRow.value == email)  # fmt: skip
        return list(self._session.scalars(
            select(CabinetAccountRow).where(CabinetAccountRow.guest_id.in_(owners))
            .order_by(CabinetAccountRow.guest_id)))  # fmt: skip

    def add_account(self, row: CabinetAccountRow) -> None:
        self._session.add(row)
        self._session.flush()

    def guest(self, guest_id: str) -> GuestFlags | None:
        row = self._session.get(Guest, guest_id)
        if row is None:
            return None
        return GuestFlags(row.id, row.name, row.phone, row.cabinet_login_allowed,
                          row.registration_skipped)  # fmt: skip

    def guests_by_phone(self, phone: str) -> list[str]:
        """Guests having ``phone`` (E.164) as their primary phone or as a contact."""
        by_contact = select(GuestContactRow.guest_id).where(
            GuestContactRow.type == "phone", GuestContactRow.value == phone)  # fmt: skip
        found = self._session.scalars(
            select(Guest.id).where((Guest.phone == phone) | Guest.id.in_(by_contact))
            .order_by(Guest.id))  # fmt: skip
        return list(found)

    def lock_phone(self, phone: str) -> None:
        """Held until the transaction ends: two registrations of one phone confirmed at once
        (PostgreSQL; SQLite's writers are serialised at BEGIN) make one guest, not two."""
        if self._dialect == "postgresql":
            self._session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:p, 19))"),
                                  {"p": f"cabinet-phone:{phone}"})  # fmt: skip

    def add_signup(self, row: CabinetSignupRow) -> None:
        self._session.execute(delete(CabinetSignupRow).where(
            CabinetSignupRow.expires_at <= self._uow.now))  # fmt: skip
        self._session.add(row)
        self._session.flush()

    def signup(self, token_hash: str) -> CabinetSignupRow | None:
        return self._session.get(CabinetSignupRow, token_hash, with_for_update=True)

    def remove_signup(self, token_hash: str) -> None:
        self._session.execute(delete(CabinetSignupRow).where(
            CabinetSignupRow.token_hash == token_hash))  # fmt: skip

    def balance_before(self, guest_id: str, account_kind: str, moment: datetime) -> int:
        """The account's posted total just before ``moment`` (0: no posting yet)."""
        found = self._connection.execute(
            select(PostingRow.total_after).where(
                PostingRow.account_id == guest_id, PostingRow.account_kind == account_kind,
                PostingRow.at < moment).order_by(PostingRow.id.desc()).limit(1)
        ).scalar()  # fmt: skip
        return int(found or 0)
