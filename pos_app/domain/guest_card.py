"""The guest card's rules (issue 17, seed 002): its editable fields, contacts with their kind,
who may change what, and which of two offline edits of one field wins.

**Two tills edit one guest while offline** (docs/domain.md "Guest card edits"): every
editable field (``GUEST_FIELDS``, ``contacts`` as one field, the two loyalty percentages)
carries a stamp - the till's time of the edit (``changed_at``, never later than the server's
clock when it arrives: a till whose clock runs ahead cannot win for ever) and the server's
order of arrival. An edit wins a field when its time is not earlier than the stamp the field
has: per field, the last writer by the till's time, ties to the one the server judged later.
A field the edit lost keeps its value; both versions stay in the server's guest audit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from pos_app.domain.errors import DomainError
from pos_app.domain.guests import Guest, normalise_email
from pos_app.domain.identifiers import InputMethod, Medium
from pos_app.domain.loyalty import LoyaltyOverride
from pos_app.domain.money import Percent
from pos_app.domain.phones import is_mobile, normalise_phone
from pos_app.domain.staff_permissions import StaffPermission
from pos_app.domain.staff_pins import Role

# The fields of the card's main tab, as operations name them.
GUEST_FIELDS = ("name", "birthday", "sex", "note", "group_id", "cabinet_login_allowed",
                "ordering_allowed", "registration_skipped")  # fmt: skip
NOT_NULL_FIELDS = frozenset({"name", "note", "cabinet_login_allowed", "ordering_allowed",
                             "registration_skipped"})  # fmt: skip
CONTACTS_FIELD = "contacts"
LOYALTY_FIELDS = ("accrual_bp", "max_redemption_bp")
MAX_CONTACTS = 20
MAX_NOTE = 1000
OLDEST_BIRTHDAY = date(1900, 1, 1)


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"


class ContactType(StrEnum):
    PHONE = "phone"
    EMAIL = "email"


class ContactLabel(StrEnum):
    """The kind of a contact as the seed's "Способ связи" column says it."""

    MOBILE = "mobile"
    HOME = "home"
    WORK = "work"
    OTHER = "other"


class InvalidGuestCard(DomainError):
    code = "invalid_guest_card"


class PhoneTaken(DomainError):
    code = "phone_taken"


class UnknownIdentifier(DomainError):
    code = "unknown_identifier"


def require_reason(text: str) -> str:
    """Blocking a card, replacing it, crediting or debiting an account says why."""
    reason = " ".join(text.split())
    if not 1 <= len(reason) <= 200:
        raise InvalidGuestCard("Say why (1 to 200 characters).")
    return reason


def identifier_method(medium: Medium, chosen: InputMethod) -> InputMethod:
    """How an identifier of ``medium`` is read: an app's code is always scanned (seed 002: for
    the apps the method is filled in by itself); a card by the method chosen."""
    return chosen if medium is Medium.CARD else InputMethod.BARCODE


class Permission(StrEnum):
    """What a staff member may do with a guest card. ``BONUS_SETTINGS`` is the one checkbox
    on the staff member (seed 004), the back office's permission of that very name
    (``pos_app.domain.staff_permissions``): no role but admin gives it."""

    EDIT_GUEST = "edit_guest"
    GUEST_GROUP = "guest_group"
    IDENTIFIERS = "identifiers"
    ADJUST_ACCOUNTS = "adjust_accounts"
    BONUS_SETTINGS = StaffPermission.BONUS_SETTINGS.value


_BY_ROLE: dict[Role, frozenset[Permission]] = {
    Role.CASHIER: frozenset({Permission.EDIT_GUEST, Permission.IDENTIFIERS}),
    Role.OPERATOR: frozenset({Permission.EDIT_GUEST, Permission.IDENTIFIERS}),
    Role.MANAGER: frozenset(set(Permission) - {Permission.BONUS_SETTINGS}),
    Role.ADMIN: frozenset(Permission),  # an admin holds every staff permission by role
}
# What a staff permission held (``staff_permissions.held``, fed to the tills) adds to the
# role's: the bonus settings checkbox covers a guest's own percentages, credits and debits.
_BY_GRANT: dict[str, frozenset[Permission]] = {
    StaffPermission.BONUS_SETTINGS.value: frozenset({Permission.BONUS_SETTINGS,
                                                     Permission.ADJUST_ACCOUNTS}),
}  # fmt: skip


def may(role: str, granted: Iterable[str], permission: Permission) -> bool:
    """Whether a staff member of ``role`` holding the staff permissions ``granted`` may."""
    if any(permission in _BY_GRANT.get(name, ()) for name in granted):
        return True
    try:
        return permission in _BY_ROLE[Role(role)]
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class GuestContact:
    """One contact of a guest, normalised (phones E.164, e-mails lower-cased)."""

    type: ContactType
    label: ContactLabel
    value: str

    @classmethod
    def read(cls, type_: str, label: str, value: str) -> GuestContact:
        kind = ContactType(type_)
        text = normalise_phone(value) if kind is ContactType.PHONE else normalise_email(value)
        return cls(kind, ContactLabel(label), text)


def normal_contacts(contacts: Iterable[GuestContact]) -> tuple[GuestContact, ...]:
    """Contacts in their given order, a value listed once (its first kind kept)."""
    seen: set[tuple[ContactType, str]] = set()
    out: list[GuestContact] = []
    for contact in contacts:
        if (contact.type, contact.value) not in seen:
            seen.add((contact.type, contact.value))
            out.append(contact)
    if len(out) > MAX_CONTACTS:
        raise InvalidGuestCard(f"A guest may have at most {MAX_CONTACTS} contacts.")
    return tuple(out)


def sms_phone(contacts: Iterable[GuestContact]) -> str | None:
    """The number SMS go to: the first phone marked mobile, else the first mobile number."""
    phones = [c for c in contacts if c.type is ContactType.PHONE]
    marked = next((c.value for c in phones if c.label is ContactLabel.MOBILE), None)
    return marked or next((c.value for c in phones if is_mobile(c.value)), None)


def primary_phone(contacts: Iterable[GuestContact]) -> str | None:
    """The phone kept as the guest's one ``phone`` (search, promo codes): the SMS number, else
    the first phone."""
    listed = tuple(contacts)
    return sms_phone(listed) or next((c.value for c in listed if c.type is ContactType.PHONE), None)


def parse_birthday(text: str, today: date) -> date:
    """``YYYY-MM-DD``, a real day between 1900 and ``today``."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidGuestCard("A birthday is a date such as 1990-05-17.") from None
    if not OLDEST_BIRTHDAY <= day <= today:
        raise InvalidGuestCard("A birthday cannot be in the future or before 1900.")
    return day


def field_problem(field: str, value: object) -> str | None:
    """Why ``value`` cannot be the field's (None: it can); birthdays are checked by
    ``parse_birthday``."""
    if field in NOT_NULL_FIELDS and value is None:
        return f"The field {field!r} cannot be emptied."
    if field == "name" and not str(value).strip():
        return "A guest needs a name."
    if field == "note" and isinstance(value, str) and len(value) > MAX_NOTE:
        return f"A note has at most {MAX_NOTE} characters."
    return None


def effective_time(changed_at: datetime, server_now: datetime) -> datetime:
    """The edit's time as the rule counts it: a till's clock ahead of the server's is cut back
    to the server's."""
    return min(changed_at, server_now)


def edit_wins(current: datetime | None, changed_at: datetime) -> bool:
    """Whether an edit made at ``changed_at`` (``effective_time``) takes a field last written
    by an edit made at ``current`` (None: never edited). The edit arrives after every one the
    server has judged, so a tie goes to it: the server's order breaks ties."""
    return current is None or changed_at >= current


def contacts_of(guest: Guest) -> tuple[GuestContact, ...]:
    """The guest's phones then e-mails with their kinds (``other`` where none is known)."""
    labels = dict(guest.contact_labels)

    def label(value: str) -> ContactLabel:
        return ContactLabel(labels.get(value, ContactLabel.OTHER.value))

    return tuple(GuestContact(ContactType.PHONE, label(p), p) for p in guest.phones) + tuple(
        GuestContact(ContactType.EMAIL, label(e), e) for e in guest.emails
    )


def contact_fields(contacts: Iterable[GuestContact]) -> dict[str, object]:
    """``contacts`` as the guest record keeps them: phones (the SMS number first, where the
    till's search and promo codes look), e-mails and the kinds."""
    listed = normal_contacts(contacts)
    phones = [c.value for c in listed if c.type is ContactType.PHONE]
    first = primary_phone(listed)
    if first is not None:
        phones.remove(first)
        phones.insert(0, first)
    return {"phones": tuple(phones),
            "emails": tuple(c.value for c in listed if c.type is ContactType.EMAIL),
            "contact_labels": tuple((c.value, c.label.value) for c in listed)}  # fmt: skip


def own_loyalty(guest: Guest) -> LoyaltyOverride:
    """The guest's own percentages as a level of ``loyalty.resolve_settings``."""

    def pct(bp: int | None) -> Percent | None:
        return None if bp is None else Percent(bp)

    return LoyaltyOverride(pct(guest.accrual_bp), pct(guest.max_redemption_bp))
