"""The guest card as its operations read and write it: the guest's fields, contacts, group
and own loyalty percentages (``guest_loyalty``), the stamps of edited fields and the guest's
audit (tables of ``pos_server/db/models_guest_card.py``, migration 0021).

Card edits are rare next to sales, so this works through the ORM session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select

from pos_app.domain.guest_card import (
    ContactLabel,
    ContactType,
    GuestContact,
    primary_phone,
)
from pos_app.domain.phones import is_mobile
from pos_server.db.models import Guest
from pos_server.db.models_guest_card import GuestAuditRow, GuestContactRow, GuestFieldStampRow
from pos_server.db.models_ledger import GuestLoyaltyRow
from pos_server.ledger.rules import loyalty_row
from pos_server.repositories.terminals import BACK_OFFICE_ID
from pos_server.uow import Repository

# fields of ``guests`` and of ``guest_loyalty`` an operation may set
GUEST_COLUMNS = frozenset({"name", "birthday", "sex", "note", "cabinet_login_allowed",
                           "ordering_allowed", "registration_skipped"})  # fmt: skip
LOYALTY_COLUMNS = frozenset({"group_id", "group_by_hand", "accrual_bp", "max_redemption_bp"})


@dataclass(frozen=True, slots=True)
class GuestCard:
    """Everything a till shows on the card's Main and Contacts tabs."""

    guest_id: str
    name: str
    phone: str | None
    contacts: tuple[GuestContact, ...]
    birthday: date | None
    sex: str | None
    note: str
    cabinet_login_allowed: bool
    ordering_allowed: bool
    registration_skipped: bool
    group_id: str | None
    group_by_hand: bool
    lifetime_spend: int
    accrual_bp: int | None
    max_redemption_bp: int | None

    def value(self, field: str) -> Any:
        """A field as operations carry it (a birthday as ``YYYY-MM-DD``, contacts as lists)."""
        if field == "contacts":
            return [contact_json(c) for c in self.contacts]
        value = getattr(self, field)
        return value.isoformat() if isinstance(value, date) else value

    def feed_data(self) -> dict[str, Any]:
        """The whole ``guest`` change the tills apply (``services/feed.py``)."""
        phones = [c.value for c in self.contacts if c.type is ContactType.PHONE]
        emails = [c.value for c in self.contacts if c.type is ContactType.EMAIL]
        return {
            "guest_id": self.guest_id, "name": self.name, "phone": self.phone,
            "phones": phones, "emails": emails, "contacts": self.value("contacts"),
            "birthday": self.value("birthday"), "sex": self.sex, "note": self.note,
            "cabinet_login_allowed": self.cabinet_login_allowed,
            "ordering_allowed": self.ordering_allowed,
            "registration_skipped": self.registration_skipped,
            "group_id": self.group_id, "group_by_hand": self.group_by_hand,
            "lifetime_spend": self.lifetime_spend, "accrual_bp": self.accrual_bp,
            "max_redemption_bp": self.max_redemption_bp,
        }  # fmt: skip


def contact_json(contact: GuestContact) -> dict[str, str]:
    return {"type": contact.type.value, "label": contact.label.value, "value": contact.value}


class GuestCards(Repository):
    """``uow.guest_cards``."""

    __slots__ = ()

    def load(self, guest_id: str) -> GuestCard | None:
        """The card, its loyalty row locked (created on first use); None: unknown guest."""
        session = self._session
        guest = session.get(Guest, guest_id, with_for_update=True)
        if guest is None:
            return None
        loyalty = loyalty_row(session, guest_id, self._uow.now)
        rows = session.scalars(select(GuestContactRow).where(GuestContactRow.guest_id == guest_id)
                               .order_by(GuestContactRow.position))  # fmt: skip
        contacts = tuple(GuestContact(ContactType(r.type), ContactLabel(r.label), r.value)
                         for r in rows)  # fmt: skip
        if not contacts and guest.phone:  # a guest made with a phone, never edited since
            label = ContactLabel.MOBILE if is_mobile(guest.phone) else ContactLabel.OTHER
            contacts = (GuestContact(ContactType.PHONE, label, guest.phone),)
        return GuestCard(
            guest.id, guest.name, guest.phone, contacts, guest.birthday, guest.sex, guest.note,
            guest.cabinet_login_allowed, guest.ordering_allowed, guest.registration_skipped,
            loyalty.group_id, loyalty.group_by_hand, loyalty.lifetime_spend,
            loyalty.accrual_bp, loyalty.max_redemption_bp,
        )  # fmt: skip

    def stamps(self, guest_id: str) -> dict[str, datetime]:
        """When each edited field of the guest was last written (the rule's stamps)."""
        rows = self._session.scalars(select(GuestFieldStampRow).where(
            GuestFieldStampRow.guest_id == guest_id))  # fmt: skip
        return {row.field: row.changed_at for row in rows}

    def write(self, guest_id: str, values: dict[str, Any], changed_at: datetime) -> None:
        """Set fields (``guests`` and ``guest_loyalty`` columns; ``contacts``) and stamp
        them with ``changed_at``, the unit of work's terminal and operation."""
        session, uow = self._session, self._uow
        guest = session.get_one(Guest, guest_id)
        loyalty = session.get_one(GuestLoyaltyRow, guest_id)
        for field, value in values.items():
            if field in GUEST_COLUMNS:
                setattr(guest, field, value)
            elif field in LOYALTY_COLUMNS:
                setattr(loyalty, field, value)
                loyalty.updated_at = uow.now
            elif field == "contacts":
                self._set_contacts(guest, value)
            else:
                raise ValueError(f"not a field of the guest card: {field!r}")
            if field != "group_by_hand":
                session.merge(GuestFieldStampRow(guest_id=guest_id, field=field,
                                                 changed_at=changed_at,
                                                 terminal_id=_terminal(uow.terminal_id),
                                                 op_id=uow.op_id or None))  # fmt: skip
        session.flush()

    def _set_contacts(self, guest: Guest, contacts: tuple[GuestContact, ...]) -> None:
        session = self._session
        session.execute(delete(GuestContactRow).where(GuestContactRow.guest_id == guest.id))
        session.add_all(GuestContactRow(guest_id=guest.id, position=i, type=c.type.value,
                                        label=c.label.value, value=c.value)
                        for i, c in enumerate(contacts))  # fmt: skip
        guest.phone = primary_phone(contacts)

    def contact_owners(self, guest_id: str, values: list[str]) -> dict[str, str]:
        """Which of ``values`` (normalised phones or e-mails) another guest has as a contact
        (or, for a guest never edited, as their phone): value -> that guest."""
        if not values:
            return {}
        session = self._session
        owners = dict(session.execute(
            select(GuestContactRow.value, GuestContactRow.guest_id).where(
                GuestContactRow.value.in_(values), GuestContactRow.guest_id != guest_id)
        ).tuples().all())  # fmt: skip
        owners.update((phone, other) for phone, other in session.execute(
            select(Guest.phone, Guest.id).where(Guest.phone.in_(values), Guest.id != guest_id)
        ).tuples() if phone is not None)  # fmt: skip
        return owners

    def audit(
        self, guest_id: str, action: str, *, field: str | None = None, before: Any = None,
        after: Any = None, outcome: str = "applied", staff_id: str | None = None,
        changed_at: datetime | None = None, reason: str = "",
    ) -> None:  # fmt: skip
        """One row of the guest's audit, by the unit of work's terminal and operation, now."""
        uow = self._uow
        self._session.add(GuestAuditRow(
            guest_id=guest_id, at=uow.now, changed_at=changed_at, action=action, field=field,
            before=before, after=after, outcome=outcome, staff_id=staff_id,
            terminal_id=_terminal(uow.terminal_id), op_id=uow.op_id or None, reason=reason[:200],
        ))  # fmt: skip

    def audit_rows(self, guest_id: str) -> list[GuestAuditRow]:
        """The guest's audit, oldest first."""
        return list(self._session.scalars(select(GuestAuditRow).where(
            GuestAuditRow.guest_id == guest_id).order_by(GuestAuditRow.id)))  # fmt: skip


def _terminal(actor: str) -> str | None:
    """The terminal column of an edit's rows: a back-office member's unit of work acts as
    ``web:<staff id>`` (longer than the column), which names the back office's row
    (``terminals.BACK_OFFICE_ID``; the member is the audit's ``staff_id``)."""
    if actor.startswith("web:"):
        return BACK_OFFICE_ID
    return actor or None
