"""Handlers, one per operation kind. Each checks every rule before writing anything, so a
rejected or conflicting operation leaves no trace but its applied_operations row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pos_app.domain.errors import DomainError
from pos_app.domain.identifiers import IdentifierTaken, normalise_identifier
from pos_app.domain.operations import (
    GUEST_CREATED,
    IDENTIFIER_BOUND,
    SALE_CLOSED,
    GuestCreated,
    IdentifierBound,
    SaleClosed,
)
from pos_app.domain.phones import normalise_phone
from pos_server.ops.sale_review import review_sale
from pos_server.ops.verdicts import APPLIED, Verdict, conflict, rejected
from pos_server.repositories.guests import GUEST_ENTITY, GuestRecord
from pos_server.repositories.sales import RecordedSale
from pos_server.uow import UnitOfWork


def sale_state(sale: RecordedSale) -> dict[str, Any]:
    return {
        "sale_id": sale.sale_id,
        "terminal_id": sale.terminal_id,
        "receipt_no": sale.receipt_no,
        "total": sale.total,
        "closed_at": sale.closed_at.isoformat(),
    }


def unknown_guest(guest_id: str) -> Verdict:
    return rejected("unknown_guest", f"Guest {guest_id} is not known to the server.")


def sale_closed(sale: SaleClosed, uow: UnitOfWork) -> Verdict:
    """Record a closed sale with its lines and payments, the server's review of its pricing
    (``sale_review``: differences become reconciliation items, never a refusal), then its
    guest's ledger effects (``sale_effects``); a rejection there is undone by the caller's
    savepoint."""
    existing = uow.sales.recorded(sale.sale_id)
    if existing is not None:
        return conflict(
            "sale_exists", f"Sale {sale.sale_id} was already recorded.", sale_state(existing)
        )
    problem = _sale_record_problem(sale)
    if problem:
        return rejected("totals_mismatch", problem)
    loyalty = None
    if sale.guest_id is not None:  # the guest, their loyalty row locked (sale_effects)
        loyalty = uow.loyalty.lock(sale.guest_id)
        if loyalty is None:
            return unknown_guest(sale.guest_id)
    uow.sales.insert(sale)
    # a guest's sale reads the groups once, for its review and its effects (the promotion)
    groups = uow.groups.current() if sale.guest_id is not None else None
    findings = review_sale(uow, sale, groups={} if groups is None else groups[0],
                           current_group=None if loyalty is None else loyalty.group_id)
    uow.reconciliation.add(sale.sale_id, findings)
    from pos_server.ops.sale_effects import apply_sale_effects  # it builds on this module

    verdict = apply_sale_effects(uow, sale, loyalty, groups)
    if sale.order_id is not None and (verdict is None or verdict.status == "applied"):
        from pos_server.ops.order_sale import pay_order_by_sale  # it builds on the orders

        uow.reconciliation.add(sale.sale_id, pay_order_by_sale(uow, sale))
    return verdict or APPLIED


def _sale_record_problem(sale: SaleClosed) -> str | None:
    """What makes the record contradict itself (a pricing difference does not: that is a
    reconciliation item, ``sale_review``): two lines with one number, payments that are not the
    sale's own total."""
    line_numbers = [line.line_no for line in sale.lines]
    if len(set(line_numbers)) != len(line_numbers):
        return "Two lines share one line number."
    if sum(payment.amount for payment in sale.payments) != sale.total:
        return "The payments do not add up to the sale total."
    return None


def broken_rule(error: DomainError) -> Verdict:
    return rejected(error.code, error.message)


def guest_created(new: GuestCreated, uow: UnitOfWork) -> Verdict:
    """Create a guest; the phone is stored in the one E.164 form of ``pos_app.domain.phones``."""
    try:
        phone = normalise_phone(new.phone) if new.phone else None
    except DomainError as error:
        return broken_rule(error)
    existing = uow.guests.get(new.guest_id)
    if existing is not None:
        return conflict(
            "guest_exists", f"Guest {new.guest_id} already exists.", existing.feed_data()
        )
    guest = GuestRecord(new.guest_id, new.name, phone)
    uow.guests.add(guest)
    uow.feed.record(GUEST_ENTITY, guest.guest_id, guest.feed_data())
    return APPLIED


def identifier_bound(bound: IdentifierBound, uow: UnitOfWork) -> Verdict:
    """Bind a card or app code to a guest; a value belongs to at most one guest.

    The value is normalised by ``pos_app.domain.identifiers`` (the till's own rule), so a card
    swiped on one till and typed on another is one identifier.
    """
    try:
        value = normalise_identifier(bound.method, bound.value)
    except DomainError as error:
        return broken_rule(error)
    if not uow.guests.exists(bound.guest_id):
        return unknown_guest(bound.guest_id)
    owner = uow.identifiers.owner(value)
    if owner is not None and owner != bound.guest_id:
        return broken_rule(IdentifierTaken("This card or code already belongs to another guest."))
    if owner is not None:
        return APPLIED  # already bound to this guest: nothing changes
    uow.identifiers.bind(bound.guest_id, bound.medium, bound.method, value)
    data = {"guest_id": bound.guest_id, "medium": bound.medium.value,
            "method": bound.method.value, "value": value, "blocked": False,
            "block_reason": None}
    uow.feed.record("identifier", value, data)
    return APPLIED


Handler = Callable[[Any, UnitOfWork], Verdict]

HANDLERS: dict[str, Handler] = {
    SALE_CLOSED: sale_closed,
    GUEST_CREATED: guest_created,
    IDENTIFIER_BOUND: identifier_bound,
}

