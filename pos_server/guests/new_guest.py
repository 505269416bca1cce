"""A new guest made in the back office (issue 18 point 2): the very operations a till sends
for a new guest (``guest.created``, then ``guest.contacts_set`` for an e-mail,
``guest.updated`` for a birthday or a group, ``identifier.bound`` for a card), judged by the
tills' handlers as the signed-in member in one unit of work: all of it or nothing (the guest's
``created_by`` is the back office's terminal row, ``BACK_OFFICE_ID``). So the
guest is checked, audited and fed to every till exactly as one made at a till; and, as the
till's new-guest dialog does, a phone another guest has is refused naming that guest.

A guest registering in the cabinet (issue 19 point 1, ``create_guest_by_guest``) is made by
the same ``guest.created``, with the cabinet's row (``CABINET_ID``) as ``created_by`` and no
staff member: audited "by the guest", fed to every till."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from pos_app.domain.errors import DomainError
from pos_app.domain.identifiers import InputMethod, Medium
from pos_app.domain.operations import (
    GUEST_CONTACTS_SET,
    GUEST_CREATED,
    GUEST_UPDATED,
    IDENTIFIER_BOUND,
)
from pos_app.domain.phones import normalise_phone
from pos_server.guests.backoffice import EditRefused
from pos_server.guests.backoffice import judge as _judge
from pos_server.ops.guest_card_kinds import staff_problem
from pos_server.ops.verdicts import Verdict
from pos_server.repositories.terminals import CABINET_ID, CABINET_NAME
from pos_server.uow import UnitOfWork

CREATED = "guest.created"  # the action in the guest's audit


@dataclass(frozen=True, slots=True)
class NewGuest:
    """The form's fields; empty text: not given."""

    name: str
    phone: str = ""
    email: str = ""
    birthday: str = ""  # YYYY-MM-DD
    group_id: str = ""
    card: str = ""


class PhoneTaken(EditRefused):
    """Another guest has the phone: the page names them and links their card."""

    def __init__(self, phone: str, guest_id: str, name: str) -> None:
        super().__init__(Verdict("rejected", "phone_taken", f"{name} already has the phone "
                                 f"number {phone}."))  # fmt: skip
        self.phone, self.guest_id, self.name = phone, guest_id, name


def create_guest(uow: UnitOfWork, staff_id: str, new: NewGuest) -> str:
    """Make the guest (``EditRefused`` or ``PhoneTaken`` when any step is refused: the caller's
    unit of work then rolls all of it back); the new guest's id."""
    problem = staff_problem(uow, staff_id)
    if problem is not None:
        raise EditRefused(problem)
    return _made_by(uow, uow.terminals.back_office(), staff_id, new)


def create_guest_by_guest(uow: UnitOfWork, name: str, phone: str) -> str:
    """The guest registering in the cabinet once an SMS code proved ``phone`` is theirs (the
    caller checked no guest has it, under ``uow.cabinet.lock_phone``): name and phone only,
    the rest the guest adds in the profile. The flags are a till's new guest's (the columns'
    defaults: cabinet and ordering allowed); no group, as at a till."""
    uow.cabinet_shop.ensure_terminal(CABINET_ID, CABINET_NAME)
    return _made_by(uow, CABINET_ID, None, NewGuest(name, phone=phone))


def _made_by(uow: UnitOfWork, terminal_id: str, staff_id: str | None, new: NewGuest) -> str:
    phone = None
    if new.phone.strip():
        try:
            phone = normalise_phone(new.phone)
        except DomainError as error:
            raise EditRefused(Verdict("rejected", error.code, error.message)) from None
        owner = uow.guest_cards.contact_owners("", [phone]).get(phone)
        if owner is not None:
            other = uow.guests.get(owner)
            raise PhoneTaken(phone, owner, other.name if other is not None else owner)
    guest_id = str(uuid.uuid4())
    # where a terminal is recorded (guests.created_by, the guest's audit) the back office's
    # (or the cabinet's) row stands; the member, if any, is the audit's staff_id
    acting, uow.terminal_id = uow.terminal_id, terminal_id
    try:
        _create(uow, staff_id, guest_id, phone, new)
    finally:
        uow.terminal_id = acting
    return guest_id


def _create(uow: UnitOfWork, staff_id: str | None, guest_id: str, phone: str | None,
            new: NewGuest) -> None:  # fmt: skip
    name = " ".join(new.name.split())  # as guest.updated stores a name
    _judge(uow, GUEST_CREATED, {"guest_id": guest_id, "name": name, "phone": phone})
    if staff_id is None:  # the guest in the cabinet: the card's edits need a member
        assert not (new.email or new.birthday or new.group_id or new.card)
        uow.guest_cards.audit(guest_id, CREATED, after={"name": name, "phone": phone},
                              reason="by the guest")  # fmt: skip
        return
    edit = {"guest_id": guest_id, "staff_id": staff_id, "changed_at": uow.now.isoformat()}
    if new.email.strip():
        contacts = [{"type": "phone", "label": "mobile", "value": phone}] if phone else []
        contacts.append({"type": "email", "label": "other", "value": new.email.strip()})
        _judge(uow, GUEST_CONTACTS_SET, {**edit, "contacts": contacts})
    fields = {"birthday": new.birthday.strip() or None, "group_id": new.group_id or None}
    given = {field: value for field, value in fields.items() if value is not None}
    if given:
        _judge(uow, GUEST_UPDATED, {**edit, "fields": list(given), **given})
    if new.card.strip():
        _judge(uow, IDENTIFIER_BOUND, {
            "guest_id": guest_id, "medium": Medium.CARD.value, "value": new.card.strip(),
            "method": InputMethod.MANUAL.value, "staff_id": staff_id})  # fmt: skip
    created = uow.guest_cards.load(guest_id)
    assert created is not None
    uow.guest_cards.audit(guest_id, CREATED, staff_id=staff_id, after={
        "name": created.name, "phone": phone, "email": new.email.strip() or None,
        **given, "card": new.card.strip() or None})  # fmt: skip
