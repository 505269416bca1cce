"""The guest card's operations (issue 17): ``guest.updated``, ``guest.contacts_set``,
``guest.loyalty_set`` (edits by the offline rule, ``pos_server/guests/card_edits.py``),
``identifier.blocked`` / ``identifier.replaced`` and ``account.adjusted`` (a manager's
credit or debit). Each names its staff member, who must be active and may do it
(``pos_app.domain.guest_card.may``: by role, or by a permission granted to them - the right
to change a guest's bonus settings only so); each is written to the guest's audit."""

from __future__ import annotations

from typing import Any

from pos_app.domain.balance import BalanceAccount
from pos_app.domain.bonus import BonusAccount
from pos_app.domain.errors import DomainError
from pos_app.domain.groups import group_after_spend
from pos_app.domain.guest_card import (
    GUEST_FIELDS,
    ContactType,
    GuestContact,
    Permission,
    field_problem,
    may,
    normal_contacts,
    parse_birthday,
)
from pos_app.domain.identifiers import IdentifierTaken, InputMethod, normalise_identifier
from pos_app.domain.operations import (
    ACCOUNT_ADJUSTED,
    GUEST_CONTACTS_SET,
    GUEST_LOYALTY_SET,
    GUEST_UPDATED,
    IDENTIFIER_BLOCKED,
    IDENTIFIER_REPLACED,
    AccountAdjusted,
    GuestContactsSet,
    GuestLoyaltySet,
    GuestUpdated,
    IdentifierBlocked,
    IdentifierReplaced,
)
from pos_server.guests.card_edits import apply_edit
from pos_server.ops.kinds import Handler, broken_rule, unknown_guest
from pos_server.ops.verdicts import APPLIED, Verdict, conflict, rejected
from pos_server.repositories.guest_cards import GuestCard
from pos_server.repositories.identifiers import IdentifierRecord
from pos_server.uow import UnitOfWork

IDENTIFIER_ENTITY = "identifier"


def staff_problem(uow: UnitOfWork, staff_id: str, *needed: Permission) -> Verdict | None:
    """Why ``staff_id`` may not do this (None: they may)."""
    member = uow.staff.member(staff_id)
    if member is None or not member.active:
        return rejected("staff_unknown", f"Staff member {staff_id} is not an active member of "
                                         "staff.")  # fmt: skip
    for permission in needed:
        if not may(member.role.value, member.permissions, permission):
            return rejected("permission_denied", f"{member.name} ({member.role.value}) may not "
                                                 f"do this: {permission.value}.")  # fmt: skip
    return None


def invalid(message: str) -> Verdict:
    return rejected("invalid_guest_card", message)


def refused(card: GuestCard, verdict: Verdict) -> Verdict:
    """An edit of a known guest refused: a conflict carrying the card as the server has it,
    which the till takes (``services/sync_queue.py``), so its copy does not keep the refused
    edit; nothing else is written (the operation's savepoint is undone)."""
    return conflict(verdict.reason or "refused", verdict.message or "", card.feed_data())


def guest_updated(op: GuestUpdated, uow: UnitOfWork) -> Verdict:
    card = uow.guest_cards.load(op.guest_id)
    if card is None:
        return unknown_guest(op.guest_id)
    verdict = _update(op, uow, card)
    return verdict if verdict.applied else refused(card, verdict)


def _update(op: GuestUpdated, uow: UnitOfWork, card: GuestCard) -> Verdict:
    needed = [Permission.EDIT_GUEST] + ([Permission.GUEST_GROUP] if "group_id" in op.fields else [])
    problem = staff_problem(uow, op.staff_id, *needed)
    if problem is not None:
        return problem
    stray = [f for f in GUEST_FIELDS if f not in op.fields and getattr(op, f) is not None]
    if stray:
        return invalid(f"Fields not listed as changed carry values: {', '.join(stray)}.")
    values: dict[str, Any] = {}
    extra: dict[str, dict[str, Any]] = {}
    for field in dict.fromkeys(op.fields):
        value = getattr(op, field)
        message = field_problem(field, value)
        if message is not None:
            return invalid(message)
        if field == "birthday" and value is not None:
            try:
                value = parse_birthday(value, uow.now.date())
            except DomainError as error:
                return broken_rule(error)
        elif field == "name":
            value = " ".join(value.split())
        elif field == "sex" and value is not None:
            value = value.value
        elif field == "group_id":
            group = _group_problem_or_result(uow, value, card.guest_id, card.lifetime_spend)
            if isinstance(group, Verdict):
                return group
            value = group
            extra["group_id"] = {"group_by_hand": value is not None}
        values[field] = value
    apply_edit(uow, card, op.KIND, values, staff_id=op.staff_id, changed_at=op.changed_at,
               extra=extra)  # fmt: skip
    return APPLIED


def _group_problem_or_result(uow: UnitOfWork, group_id: str | None, guest_id: str,
                             spend: int) -> Verdict | str | None:  # fmt: skip
    """The group a guest put by hand into ``group_id`` ends in (the group rules applied at
    once, as ``pos-server groups assign`` does), or why they cannot be put there."""
    if group_id is None:
        return None
    by_id, active = uow.groups.current()
    requested = by_id.get(group_id)
    if requested is None or all(g.id != group_id for g in active):
        return rejected("unknown_group", f"There is no active guest group {group_id}.")
    counted = uow.loyalty.spend(guest_id, spend, [requested, *active])
    return (group_after_spend(requested, counted, active) or requested).id


def guest_contacts_set(op: GuestContactsSet, uow: UnitOfWork) -> Verdict:
    card = uow.guest_cards.load(op.guest_id)
    if card is None:
        return unknown_guest(op.guest_id)
    verdict = _contacts(op, uow, card)
    return verdict if verdict.applied else refused(card, verdict)


def _contacts(op: GuestContactsSet, uow: UnitOfWork, card: GuestCard) -> Verdict:
    problem = staff_problem(uow, op.staff_id, Permission.EDIT_GUEST)
    if problem is not None:
        return problem
    try:
        contacts = normal_contacts(GuestContact.read(c.type, c.label, c.value)
                                   for c in op.contacts)  # fmt: skip
    except DomainError as error:
        return broken_rule(error)
    phones = [c.value for c in contacts if c.type is ContactType.PHONE]
    if uow.guest_cards.contact_owners(op.guest_id, phones):
        return rejected("phone_taken", "This phone number belongs to another guest.")
    apply_edit(uow, card, op.KIND, {"contacts": contacts}, staff_id=op.staff_id,
               changed_at=op.changed_at)  # fmt: skip
    return APPLIED


def guest_loyalty_set(op: GuestLoyaltySet, uow: UnitOfWork) -> Verdict:
    card = uow.guest_cards.load(op.guest_id)
    if card is None:
        return unknown_guest(op.guest_id)
    problem = staff_problem(uow, op.staff_id, Permission.BONUS_SETTINGS)
    if problem is not None:
        return refused(card, problem)
    apply_edit(uow, card, op.KIND, {"accrual_bp": op.accrual_bp,
                                    "max_redemption_bp": op.max_redemption_bp},
               staff_id=op.staff_id, changed_at=op.changed_at)  # fmt: skip
    return APPLIED


def _guests_identifier(uow: UnitOfWork, guest_id: str, raw: str
                       ) -> IdentifierRecord | Verdict:  # fmt: skip
    """The guest's identifier ``raw`` names (a stored value, typed form), or why not."""
    try:
        value = normalise_identifier(InputMethod.MANUAL, raw)
    except DomainError as error:
        return broken_rule(error)
    record = uow.identifiers.get(value)
    if record is None or record.guest_id != guest_id:
        return rejected("unknown_identifier", "The guest has no such card or code.")
    return record


def _block(uow: UnitOfWork, record: IdentifierRecord, reason: str) -> None:
    if record.blocked_at is not None:
        return
    uow.identifiers.block(record.value, reason)
    blocked = uow.identifiers.get(record.value)
    assert blocked is not None
    uow.feed.record(IDENTIFIER_ENTITY, blocked.value, blocked.feed_data())


def identifier_blocked(op: IdentifierBlocked, uow: UnitOfWork) -> Verdict:
    problem = staff_problem(uow, op.staff_id, Permission.IDENTIFIERS)
    if problem is not None:
        return problem
    record = _guests_identifier(uow, op.guest_id, op.value)
    if isinstance(record, Verdict):
        return record
    if record.blocked_at is None:
        _block(uow, record, op.reason)
        uow.guest_cards.audit(op.guest_id, op.KIND, field="identifier", before=record.value,
                              staff_id=op.staff_id, reason=op.reason)  # fmt: skip
    return APPLIED


def identifier_replaced(op: IdentifierReplaced, uow: UnitOfWork) -> Verdict:
    problem = staff_problem(uow, op.staff_id, Permission.IDENTIFIERS)
    if problem is not None:
        return problem
    old = _guests_identifier(uow, op.guest_id, op.old_value)
    if isinstance(old, Verdict):
        return old
    try:
        value = normalise_identifier(op.method, op.value)
    except DomainError as error:
        return broken_rule(error)
    if value == old.value:
        return rejected("same_identifier", "The new card is the one being replaced.")
    new = uow.identifiers.get(value)
    if new is not None and new.guest_id != op.guest_id:
        return broken_rule(IdentifierTaken("This card or code already belongs to another guest."))
    _block(uow, old, op.reason)
    if new is None:
        uow.identifiers.bind(op.guest_id, op.medium, op.method, value)
        bound = uow.identifiers.get(value)
        assert bound is not None
        uow.feed.record(IDENTIFIER_ENTITY, value, bound.feed_data())
    uow.guest_cards.audit(op.guest_id, op.KIND, field="identifier", before=old.value,
                          after=value, staff_id=op.staff_id, reason=op.reason)  # fmt: skip
    return APPLIED


def account_adjusted(op: AccountAdjusted, uow: UnitOfWork) -> Verdict:
    problem = staff_problem(uow, op.staff_id, Permission.ADJUST_ACCOUNTS)
    if problem is not None:
        return problem
    if not uow.guests.exists(op.guest_id):
        return unknown_guest(op.guest_id)
    actor, reason, ref = f"staff:{op.staff_id}", op.reason, op.adjustment_id
    account: BonusAccount | BalanceAccount
    account = (uow.accounts.load("points", op.guest_id) if op.account == "points"
               else uow.accounts.load("money", op.guest_id))  # fmt: skip
    before = account.total
    try:
        if op.direction == "credit":
            account.credit(op.amount, now=uow.now, actor=actor, terminal_id=uow.terminal_id,
                           reason=reason, ref=ref)  # fmt: skip
        elif isinstance(account, BonusAccount):
            account.debit(op.amount, now=uow.now, actor=actor, terminal_id=uow.terminal_id,
                          reason=reason, ref=ref)  # fmt: skip
        else:
            account.pay(op.amount, now=uow.now, actor=actor, terminal_id=uow.terminal_id,
                        reason=reason, ref=ref)  # fmt: skip
    except DomainError as error:
        return broken_rule(error)
    uow.accounts.save(account)
    uow.guest_cards.audit(op.guest_id, op.KIND, field=op.account, before=before,
                          after=account.total, staff_id=op.staff_id, reason=op.reason)  # fmt: skip
    return APPLIED


GUEST_CARD_HANDLERS: dict[str, Handler] = {
    GUEST_UPDATED: guest_updated,
    GUEST_CONTACTS_SET: guest_contacts_set,
    GUEST_LOYALTY_SET: guest_loyalty_set,
    IDENTIFIER_BLOCKED: identifier_blocked,
    IDENTIFIER_REPLACED: identifier_replaced,
    ACCOUNT_ADJUSTED: account_adjusted,
}
