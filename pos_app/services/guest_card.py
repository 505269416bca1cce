"""The guest card at the till (issue 17): read it, and every change a cashier or manager makes
to it, each in one durable unit of work that changes the local store and queues the operation
the server judges (``pos_app.domain.operations.guest_card``) - so each works offline.

API (``by``: the signed-in ``StaffSession``, an ``Actor``; ``DomainError`` on refusal)::

    cards = GuestCardService(uow_factory, clock, ids)
    cards.card(guest_id)                                  # -> GuestCardView
    cards.update(by, guest_id, name=..., birthday=date|None, sex="female"|"male"|None, note=...,
                 group_id=..., cabinet_login_allowed=..., ordering_allowed=...,
                 registration_skipped=...)                # only the fields given
    cards.set_contacts(by, guest_id, [ContactInput("phone", "mobile", "8 912 ...")])
    cards.set_loyalty(by, guest_id, accrual_bp=1000, max_redemption_bp=None)
    cards.add_identifier(by, guest_id, Medium.CARD, InputMethod.MSR, raw)
    cards.block_identifier(by, guest_id, value, reason)
    cards.replace_identifier(by, guest_id, old_value=..., medium=Medium.CARD,
                             method=InputMethod.BARCODE, raw=..., reason=...)
                                                          # the lost card blocked, the new bound
    cards.adjust(by, guest_id, account="points"|"money", direction="credit"|"debit",
                 amount=..., reason=...)
    cards.adjust_with_slip(by, guest_id, ...)            # -> (view, the slip's lines)

Permissions are ``pos_app.domain.guest_card.may`` (the server checks the same): cashiers edit
the card and identifiers; managers also move groups and adjust accounts; the guest's bonus
settings need the ``bonus_settings`` permission granted to the person (``StaffSession.granted``).
A manager's credit or debit leaves the cached account snapshot alone (the till never writes
one): the balance on the card changes when the server's snapshot arrives through the feed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Protocol

from pos_app.domain.balance import InsufficientBalance
from pos_app.domain.bonus import InsufficientPoints
from pos_app.domain.groups import group_after_spend
from pos_app.domain.guest_card import (
    GUEST_FIELDS,
    InvalidGuestCard,
    Permission,
    PhoneTaken,
    Sex,
    UnknownIdentifier,
    contact_fields,
    contacts_of,
    field_problem,
    identifier_method,
    may,
    normal_contacts,
    parse_birthday,
    require_reason,
    sms_phone,
)
from pos_app.domain.guest_card import GuestContact as Contact
from pos_app.domain.guests import Guest
from pos_app.domain.identifiers import Identifier, InputMethod, Medium, normalise_identifier
from pos_app.domain.loyalty import PermissionDenied
from pos_app.domain.money import format_money
from pos_app.domain.operations import (
    AccountAdjusted,
    ContactEntry,
    GuestContactsSet,
    GuestLoyaltySet,
    GuestUpdated,
    IdentifierBlocked,
    IdentifierBound,
    IdentifierReplaced,
)
from pos_app.services.deposit_balance import deposit_available
from pos_app.services.ports import Clock, IdGenerator, UnitOfWork, UnitOfWorkFactory
from pos_app.services.sale_errors import GuestNotFound
from pos_app.services.shifts import terminal_name
from pos_app.services.slips import SlipHeader, adjustment_slip
from pos_app.services.venue_time import venue_zone_name

_ACCOUNT_KINDS = {"points": "bonus", "money": "balance"}  # operation -> snapshot kind
_PERMISSION_TEXT = {
    Permission.EDIT_GUEST: "edit a guest card",
    Permission.GUEST_GROUP: "put a guest into a group by hand",
    Permission.IDENTIFIERS: "change a guest's cards",
    Permission.ADJUST_ACCOUNTS: "credit or debit a guest's account",
    Permission.BONUS_SETTINGS: "change a guest's bonus settings",
}


@dataclass(frozen=True, slots=True)
class ContactInput:
    type: str  # "phone" | "email"
    label: str  # "mobile" | "home" | "work" | "other"
    value: str  # as typed


@dataclass(frozen=True, slots=True)
class ContactView:
    type: str
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class IdentifierView:
    medium: str
    method: str
    value: str
    blocked: bool


@dataclass(frozen=True, slots=True)
class GuestCardView:
    """The card as the till knows it (kopecks; accounts are the server's last snapshots)."""

    guest_id: str
    name: str
    birthday: date | None
    sex: str | None
    note: str
    group_id: str | None
    group_name: str | None
    group_by_hand: bool
    cabinet_login_allowed: bool
    ordering_allowed: bool
    registration_skipped: bool
    contacts: tuple[ContactView, ...]
    sms_phone: str | None
    identifiers: tuple[IdentifierView, ...]
    points_total: int
    points_held: int
    money_total: int
    accrual_bp: int | None
    max_redemption_bp: int | None
    lifetime_spend: int

    @property
    def points_available(self) -> int:
        return self.points_total - self.points_held


class Actor(Protocol):
    """Who makes a change: ``services.staff.StaffSession`` (the signed-in person)."""

    @property
    def staff_id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def granted(self) -> frozenset[str]: ...


def require(by: Actor, permission: Permission) -> None:
    if not may(by.role, by.granted, permission):
        raise PermissionDenied(
            f"{by.name} ({by.role}) may not {_PERMISSION_TEXT[permission]}.",
            permission=permission.value, role=by.role,
        )  # fmt: skip


class GuestCardService:
    """One unit of work per call; every change queues its operation in the same one."""

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock, ids: IdGenerator) -> None:
        self._uow, self._clock, self._ids = uow_factory, clock, ids

    def card(self, guest_id: str) -> GuestCardView:
        with self._uow(durable=False) as uow:
            return _view(uow, _guest(uow, guest_id))

    def groups(self) -> list[tuple[str, str]]:
        """The guest groups a guest may be put into by hand: (id, name), by name."""
        with self._uow(durable=False) as uow:
            return sorted(((g.id, g.name) for g in uow.groups.all()), key=lambda g: g[1])

    def update(self, by: Actor, guest_id: str, **changes: Any) -> GuestCardView:
        """Set the fields given (``GUEST_FIELDS``); a group is put by hand and the group rules
        apply at once, as the server applies them."""
        unknown = set(changes) - set(GUEST_FIELDS)
        if unknown:
            raise TypeError(f"not fields of the guest card: {sorted(unknown)}")
        if not changes:
            return self.card(guest_id)
        require(by, Permission.EDIT_GUEST)
        if "group_id" in changes:
            require(by, Permission.GUEST_GROUP)
        now = self._clock.now()
        with self._uow() as uow:
            guest = _guest(uow, guest_id)
            local, sent = _changes(uow, guest, changes, now.date())
            uow.guests.add(replace(guest, **local))
            uow.outbox.append(
                GuestUpdated(
                    guest_id=guest_id,
                    staff_id=by.staff_id,
                    changed_at=now,
                    fields=tuple(changes),
                    **sent,
                )
            )
            uow.commit()
            return _view(uow, _guest(uow, guest_id))

    def set_contacts(self, by: Actor, guest_id: str, contacts: Sequence[ContactInput]
                     ) -> GuestCardView:  # fmt: skip
        """The guest's whole list of phones and e-mails; a phone of another guest is refused."""
        require(by, Permission.EDIT_GUEST)
        listed = normal_contacts(Contact.read(c.type, c.label, c.value) for c in contacts)
        now = self._clock.now()
        with self._uow() as uow:
            guest = _guest(uow, guest_id)
            for contact in listed:
                if contact.type.value == "phone" and any(
                    g.id != guest_id for g in uow.guests.by_phone(contact.value)
                ):
                    raise PhoneTaken("This phone number belongs to another guest.",
                                     phone=contact.value)  # fmt: skip
            uow.guests.add(replace(guest, **contact_fields(listed)))  # type: ignore[arg-type]
            entries = tuple(ContactEntry(type=c.type, label=c.label, value=c.value)
                            for c in listed)  # fmt: skip
            uow.outbox.append(
                GuestContactsSet(
                    guest_id=guest_id, staff_id=by.staff_id, changed_at=now, contacts=entries
                )
            )
            uow.commit()
            return _view(uow, _guest(uow, guest_id))

    def set_loyalty(self, by: Actor, guest_id: str, *, accrual_bp: int | None,
                    max_redemption_bp: int | None) -> GuestCardView:  # fmt: skip
        """The guest's own accrual and max redemption (None: the group's or the program's);
        the till's pricing uses them at once, the server once the operation arrives."""
        require(by, Permission.BONUS_SETTINGS)
        for bp in (accrual_bp, max_redemption_bp):
            if bp is not None and not 0 <= bp <= 10_000:
                raise InvalidGuestCard("A percentage is between 0 and 100.")
        now = self._clock.now()
        with self._uow() as uow:
            guest = _guest(uow, guest_id)
            uow.guests.add(replace(guest, accrual_bp=accrual_bp,
                                   max_redemption_bp=max_redemption_bp))  # fmt: skip
            uow.outbox.append(
                GuestLoyaltySet(
                    guest_id=guest_id,
                    staff_id=by.staff_id,
                    changed_at=now,
                    accrual_bp=accrual_bp,
                    max_redemption_bp=max_redemption_bp,
                )
            )
            uow.commit()
            return _view(uow, _guest(uow, guest_id))

    def add_identifier(self, by: Actor, guest_id: str, medium: Medium,
                       method: InputMethod, raw: str) -> GuestCardView:  # fmt: skip
        """Bind a card or app code read by swipe, scan or typing (``IdentifierTaken``)."""
        require(by, Permission.IDENTIFIERS)
        medium = Medium(medium)
        method = identifier_method(medium, InputMethod(method))
        identifier = Identifier.read(medium, method, raw)
        with self._uow() as uow:
            _guest(uow, guest_id)
            uow.guests.add_identifier(identifier, guest_id)
            uow.outbox.append(
                IdentifierBound(
                    guest_id=guest_id,
                    medium=medium,
                    method=method,
                    value=identifier.value,
                    staff_id=by.staff_id,
                )
            )
            uow.commit()
            return _view(uow, _guest(uow, guest_id))

    def block_identifier(self, by: Actor, guest_id: str, value: str, reason: str
                         ) -> GuestCardView:  # fmt: skip
        require(by, Permission.IDENTIFIERS)
        reason = require_reason(reason)
        with self._uow() as uow:
            _guest(uow, guest_id)
            value = _block(uow, guest_id, value)
            uow.outbox.append(
                IdentifierBlocked(
                    guest_id=guest_id, value=value, staff_id=by.staff_id, reason=reason
                )
            )
            uow.commit()
            return _view(uow, _guest(uow, guest_id))

    def replace_identifier(
        self, by: Actor, guest_id: str, *, old_value: str, medium: Medium,
        method: InputMethod, raw: str, reason: str,
    ) -> GuestCardView:  # fmt: skip
        """A lost card: the old one blocked and the new one bound at once; the guest keeps
        points, money and history."""
        require(by, Permission.IDENTIFIERS)
        reason = require_reason(reason)
        medium = Medium(medium)
        method = identifier_method(medium, InputMethod(method))
        new = Identifier.read(medium, method, raw)
        with self._uow() as uow:
            _guest(uow, guest_id)
            old = _block(uow, guest_id, old_value)
            if new.value == old:
                raise InvalidGuestCard("The new card is the one being replaced.")
            uow.guests.add_identifier(new, guest_id)
            uow.outbox.append(IdentifierReplaced(
                guest_id=guest_id, old_value=old, medium=medium, method=method,
                value=new.value, staff_id=by.staff_id, reason=reason))  # fmt: skip
            uow.commit()
            return _view(uow, _guest(uow, guest_id))

    def adjust(self, by: Actor, guest_id: str, *, account: str, direction: str,
               amount: int, reason: str) -> GuestCardView:  # fmt: skip
        """A manager's credit or debit of ``account`` (seed 002 «Зачислить / Списать»); a
        debit may not exceed what the till knows is available (for money: with the top-ups and
        debits not delivered yet)."""
        return self.adjust_with_slip(by, guest_id, account=account, direction=direction,
                                     amount=amount, reason=reason)[0]  # fmt: skip

    def adjust_with_slip(
        self, by: Actor, guest_id: str, *, account: str, direction: str, amount: int,
        reason: str,
    ) -> tuple[GuestCardView, tuple[str, ...]]:  # fmt: skip
        """``adjust``, and the slip to print (``slips.adjustment_slip``: reason, staff, guest,
        the balance after as the till expects it)."""
        require(by, Permission.ADJUST_ACCOUNTS)
        if account not in _ACCOUNT_KINDS or direction not in ("credit", "debit"):
            raise ValueError(f"unknown account or direction: {account!r} {direction!r}")
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise InvalidGuestCard("The amount must be more than zero.")
        reason = require_reason(reason)
        now = self._clock.now()
        with self._uow() as uow:
            view = _view(uow, _guest(uow, guest_id))
            before = (view.points_available if account == "points"
                      else deposit_available(uow, guest_id))  # fmt: skip
            if direction == "debit":
                _check_debit(account, amount, before)
            uow.outbox.append(
                AccountAdjusted(
                    adjustment_id=self._ids.new_id(),
                    guest_id=guest_id,
                    account=account,
                    direction=direction,
                    amount=amount,
                    staff_id=by.staff_id,
                    reason=reason,
                )
            )
            header = SlipHeader(terminal_name(uow), venue_zone_name(uow), now, by.name,
                                view.name)  # fmt: skip
            uow.commit()  # fmt: skip
        after = before + (amount if direction == "credit" else -amount)
        slip = adjustment_slip(header, account=account, direction=direction, amount=amount,
                               reason=reason, balance_after=after)  # fmt: skip
        return view, tuple(slip)


def _guest(uow: UnitOfWork, guest_id: str) -> Guest:
    guest = uow.guests.get(guest_id)
    if guest is None:
        raise GuestNotFound("There is no such guest on this till.", guest_id=guest_id)
    return guest


def _changes(uow: UnitOfWork, guest: Guest, changes: dict[str, Any], today: date
             ) -> tuple[dict[str, Any], dict[str, Any]]:  # fmt: skip
    """(the local guest's new fields, the operation's) for the fields changed."""
    local: dict[str, Any] = {}
    sent: dict[str, Any] = {}
    for field, given in changes.items():
        value = " ".join(given.split()) if field == "name" and isinstance(given, str) else given
        problem = field_problem(field, value)
        if problem is not None:
            raise InvalidGuestCard(problem, field=field)
        if field == "birthday":
            day = (
                None
                if value is None
                else parse_birthday(
                    value.isoformat() if isinstance(value, date) else str(value), today
                )
            )
            local["birthday"], sent["birthday"] = day, None if day is None else day.isoformat()
        elif field == "sex":
            sex = None if value is None else Sex(value)
            local["sex"], sent["sex"] = None if sex is None else sex.value, sex
        elif field == "group_id":
            local["group_id"], local["group_by_hand"] = _group(uow, guest, value), value is not None
            sent["group_id"] = value
        else:
            local[_LOCAL.get(field, field)] = sent[field] = value
    return local, sent


_LOCAL = {"ordering_allowed": "can_order_from_cabinet", "registration_skipped":
          "skip_registration"}  # fmt: skip


def _group(uow: UnitOfWork, guest: Guest, group_id: str | None) -> str | None:
    """Where a guest put by hand into ``group_id`` ends by the group rules."""
    if group_id is None:
        return None
    requested = uow.groups.get(group_id)
    if requested is None:
        raise InvalidGuestCard("There is no such guest group on this till.", group_id=group_id)
    result = group_after_spend(requested, guest.lifetime_spend, uow.groups.all())
    return (result or requested).id


def _block(uow: UnitOfWork, guest_id: str, raw: str) -> str:
    value = normalise_identifier(InputMethod.MANUAL, raw)
    if not uow.guests.block_identifier(value, guest_id):
        raise UnknownIdentifier("The guest has no such card or code.", value=value)
    return value


def _check_debit(account: str, amount: int, available: int) -> None:
    """``available``: the points the till last heard of, or the deposit as the till knows it
    (``deposit_balance``: with the top-ups and debits it has not delivered yet)."""
    if account == "points" and amount > available:
        raise InsufficientPoints(
            f"Only {format_money(max(available, 0))} points are available.",
            available=available, requested=amount)  # fmt: skip
    if account == "money" and amount > available:
        raise InsufficientBalance(
            f"The balance has only {format_money(max(available, 0))}.",
            available=available, requested=amount)  # fmt: skip


def _view(uow: UnitOfWork, guest: Guest) -> GuestCardView:
    group = uow.groups.get(guest.group_id) if guest.group_id else None
    blocked = uow.guests.blocked_identifiers(guest.id)
    accounts = {a.kind: a for a in uow.accounts.for_guest(guest.id)}
    points, money = accounts.get("bonus"), accounts.get("balance")
    contacts = contacts_of(guest)
    return GuestCardView(
        guest.id, guest.name, guest.birthday, guest.sex, guest.note, guest.group_id,
        None if group is None else group.name, guest.group_by_hand,
        guest.cabinet_login_allowed, guest.can_order_from_cabinet, guest.skip_registration,
        tuple(ContactView(c.type.value, c.label.value, c.value) for c in contacts),
        sms_phone(contacts),
        tuple(IdentifierView(i.medium.value, i.method.value, i.value, i.value in blocked)
              for i in uow.guests.identifiers_of(guest.id)),
        0 if points is None else points.total, 0 if points is None else points.held,
        0 if money is None else money.total, guest.accrual_bp, guest.max_redemption_bp,
        guest.lifetime_spend,
    )  # fmt: skip
