"""The guest's own contacts in the cabinet (seed 000: "contact information, which we can add
to"), written through the guest card's edit service (``pos_server.guests.card_edits``): the
same per-field rule, stamps, change feed to the tills and audit as a staff edit, with the
actions ``cabinet.updated`` / ``cabinet.contacts`` and no staff member (by the guest).

The guest edits their name, birthday, sex and e-mails. Phones are shown, not edited here: a
phone is where the recovery SMS goes, so changing it needs its own confirmation by code (not
built yet; docs/cabinet.md).
"""

from __future__ import annotations

from typing import Any

from pos_app.domain.errors import DomainError
from pos_app.domain.guest_card import (
    ContactLabel,
    ContactType,
    GuestContact,
    Sex,
    field_problem,
    normal_contacts,
    parse_birthday,
)
from pos_app.domain.guests import normalise_email
from pos_server.cabinet_web.accounts import CabinetRefused
from pos_server.guests.card_edits import apply_edit
from pos_server.repositories.guest_cards import GuestCard
from pos_server.uow import UnitOfWork

MAX_EMAILS = 3
UPDATED, CONTACTS = "cabinet.updated", "cabinet.contacts"


def card(uow: UnitOfWork, guest_id: str) -> GuestCard:
    found = uow.guest_cards.load(guest_id)
    if found is None:
        raise CabinetRefused("There is no such guest.", 404)
    return found


def save(uow: UnitOfWork, guest_id: str, *, name: str, birthday: str, sex: str,
         emails: list[str]) -> list[str]:  # fmt: skip
    """The guest's edit of their own card; the fields that changed."""
    current = card(uow, guest_id)
    values: dict[str, Any] = {}
    name = " ".join(name.split())
    if (problem := field_problem("name", name)) is not None:
        raise CabinetRefused(problem)
    if len(name) > 200:
        raise CabinetRefused("A name has at most 200 characters.")
    if name != current.name:
        values["name"] = name
    try:
        day = parse_birthday(birthday.strip(), uow.now.date()) if birthday.strip() else None
    except DomainError as error:
        raise CabinetRefused(error.message) from None
    if day != current.birthday:
        values["birthday"] = day
    chosen = Sex(sex).value if sex in {s.value for s in Sex} else None
    if chosen != current.sex:
        values["sex"] = chosen
    changed = []
    if values:
        changed += apply_edit(uow, current, UPDATED, values, staff_id=None,
                              changed_at=uow.now)  # fmt: skip
    contacts = _contacts(current, emails)
    if contacts != current.contacts:
        current = card(uow, guest_id)
        changed += apply_edit(uow, current, CONTACTS, {"contacts": contacts}, staff_id=None,
                              changed_at=uow.now)  # fmt: skip
    return changed


def _contacts(current: GuestCard, emails: list[str]) -> tuple[GuestContact, ...]:
    """The card's phones as they are, then the e-mails as the guest typed them."""
    typed = [e for e in (e.strip() for e in emails) if e]
    if len(typed) > MAX_EMAILS:
        raise CabinetRefused("At most {count} e-mail addresses.", count=MAX_EMAILS)
    try:
        normal = [normalise_email(e) for e in typed]
    except DomainError:
        raise CabinetRefused("This is not an e-mail address.") from None
    labels = {c.value: c.label for c in current.contacts if c.type is ContactType.EMAIL}
    phones = [c for c in current.contacts if c.type is ContactType.PHONE]
    mails = [GuestContact(ContactType.EMAIL, labels.get(e, ContactLabel.OTHER), e)
             for e in normal]  # fmt: skip
    return normal_contacts([*phones, *mails])
