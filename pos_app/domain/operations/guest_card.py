"""The guest card's operations (issue 17): the card's fields, contacts, per-guest loyalty
settings, blocking and replacing an identifier, a manager's credit or debit of an account.

Edits of fields carry ``changed_at`` (the till's time of the edit) for the rule two offline
tills are reconciled by (``pos_app.domain.guest_card``); every operation names the staff
member who made it, whom the server checks and records in the guest's audit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from pos_app.domain.guest_card import (
    GUEST_FIELDS,
    MAX_CONTACTS,
    MAX_NOTE,
    ContactLabel,
    ContactType,
    Sex,
)
from pos_app.domain.identifiers import InputMethod, Medium
from pos_app.domain.operations.codec import (
    ENTITY_ID,
    NAME,
    Bool,
    Choice,
    DateTime,
    Int,
    ListOf,
    Nested,
    Operation,
    Optional,
    Record,
    Str,
    spec,
)

GUEST_UPDATED = "guest.updated"
GUEST_CONTACTS_SET = "guest.contacts_set"
GUEST_LOYALTY_SET = "guest.loyalty_set"
IDENTIFIER_BLOCKED = "identifier.blocked"
IDENTIFIER_REPLACED = "identifier.replaced"
ACCOUNT_ADJUSTED = "account.adjusted"

IDENTIFIER_VALUE = Str(1, 128, strip=True)
REASON = Str(1, 200, strip=True)
PERCENT_BP = Optional(Int(0, 10_000))


@dataclass(frozen=True, slots=True, kw_only=True)
class GuestUpdated(Operation):
    """The card's main fields ``fields`` names (the others are not touched and must be null).
    ``group_id`` is a group put by hand (the server applies the group rules at once)."""

    KIND: ClassVar[str] = GUEST_UPDATED
    guest_id: str = spec(ENTITY_ID)
    staff_id: str = spec(ENTITY_ID)
    changed_at: datetime = spec(DateTime())
    fields: tuple[str, ...] = spec(ListOf(Choice(GUEST_FIELDS), 1, len(GUEST_FIELDS)))
    name: str | None = spec(Optional(NAME), None)
    birthday: str | None = spec(Optional(Str(10, 10, pattern=r"^\d{4}-\d{2}-\d{2}$")), None)
    sex: Sex | None = spec(Optional(Choice(Sex)), None)
    note: str | None = spec(Optional(Str(0, MAX_NOTE, strip=True)), None)
    group_id: str | None = spec(Optional(ENTITY_ID), None)
    cabinet_login_allowed: bool | None = spec(Optional(Bool()), None)
    ordering_allowed: bool | None = spec(Optional(Bool()), None)
    registration_skipped: bool | None = spec(Optional(Bool()), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactEntry(Record):
    type: ContactType = spec(Choice(ContactType))
    label: ContactLabel = spec(Choice(ContactLabel), ContactLabel.OTHER)
    value: str = spec(Str(1, 254, strip=True))


@dataclass(frozen=True, slots=True, kw_only=True)
class GuestContactsSet(Operation):
    """The guest's whole list of phones and e-mails, in order (one field for the rule)."""

    KIND: ClassVar[str] = GUEST_CONTACTS_SET
    guest_id: str = spec(ENTITY_ID)
    staff_id: str = spec(ENTITY_ID)
    changed_at: datetime = spec(DateTime())
    contacts: tuple[ContactEntry, ...] = spec(ListOf(Nested(lambda: ContactEntry), 0,
                                                     MAX_CONTACTS))  # fmt: skip


@dataclass(frozen=True, slots=True, kw_only=True)
class GuestLoyaltySet(Operation):
    """The guest's own accrual and max redemption in basis points (null: the group's or the
    program's). Needs the staff member's ``bonus_settings`` permission."""

    KIND: ClassVar[str] = GUEST_LOYALTY_SET
    guest_id: str = spec(ENTITY_ID)
    staff_id: str = spec(ENTITY_ID)
    changed_at: datetime = spec(DateTime())
    accrual_bp: int | None = spec(PERCENT_BP, None)
    max_redemption_bp: int | None = spec(PERCENT_BP, None)


@dataclass(frozen=True, slots=True, kw_only=True)
class IdentifierBlocked(Operation):
    """A card or code of the guest blocked: it identifies nobody, and stays the guest's (it is
    never bound to another guest)."""

    KIND: ClassVar[str] = IDENTIFIER_BLOCKED
    guest_id: str = spec(ENTITY_ID)
    value: str = spec(IDENTIFIER_VALUE)
    staff_id: str = spec(ENTITY_ID)
    reason: str = spec(REASON)


@dataclass(frozen=True, slots=True, kw_only=True)
class IdentifierReplaced(Operation):
    """A lost card replaced: ``old_value`` blocked and the new one bound, at once; points and
    history stay with the guest."""

    KIND: ClassVar[str] = IDENTIFIER_REPLACED
    guest_id: str = spec(ENTITY_ID)
    old_value: str = spec(IDENTIFIER_VALUE)
    medium: Medium = spec(Choice(Medium))
    method: InputMethod = spec(Choice(InputMethod))
    value: str = spec(IDENTIFIER_VALUE)
    staff_id: str = spec(ENTITY_ID)
    reason: str = spec(REASON)


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountAdjusted(Operation):
    """A manager's credit or debit of the guest's points or money (seed 002 «Зачислить /
    Списать») with a reason; ``adjustment_id`` (made by the till) is the postings' ``ref``."""

    KIND: ClassVar[str] = ACCOUNT_ADJUSTED
    adjustment_id: str = spec(Str(1, 64, printable=True))
    guest_id: str = spec(ENTITY_ID)
    account: str = spec(Choice(("points", "money")))
    direction: str = spec(Choice(("credit", "debit")))
    amount: int = spec(Int(1))
    staff_id: str = spec(ENTITY_ID)
    reason: str = spec(REASON)
