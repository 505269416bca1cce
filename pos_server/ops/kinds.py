"""Handlers, one per operation kind. Each checks every rule before writing anything, so a
rejected or conflicting operation leaves no trace but its applied_operations row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import bindparam, insert, select

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
from pos_server.db.fastexec import Fast
from pos_server.db.models import Guest, GuestIdentifier, Sale, SaleLine, SalePayment
from pos_server.feed import record_change
from pos_server.groups import current_groups
from pos_server.ledger_rules import lock_loyalty
from pos_server.ops.verdicts import APPLIED, Verdict, conflict, rejected
from pos_server.sale_review import record_findings, review_sale
from pos_server.uow import UnitOfWork


def guest_state(guest: Guest) -> dict[str, Any]:
    return {"guest_id": guest.id, "name": guest.name, "phone": guest.phone}


def sale_state(sale: Sale) -> dict[str, Any]:
    return {
        "sale_id": sale.id,
        "terminal_id": sale.terminal_id,
        "receipt_no": sale.receipt_no,
        "total": sale.total,
        "closed_at": sale.closed_at.isoformat(),
    }


def unknown_guest(guest_id: str) -> Verdict:
    return rejected("unknown_guest", f"Guest {guest_id} is not known to the server.")


# A closed sale is the one operation every till sends all day: its rows are written with Core
# statements compiled once (pos_server/db/fastexec.py), not as ORM objects.
_SALE_KNOWN = Fast(select(Sale.id).where(Sale.id == bindparam("sale_id")))
_INSERT_SALE = Fast(insert(Sale), column_keys=(
    "id", "terminal_id", "op_id", "receipt_no", "guest_id", "opened_at", "closed_at", "total"))
_INSERT_LINES = Fast(insert(SaleLine), column_keys=(
    "sale_id", "line_no", "product_id", "name", "quantity", "unit_price", "discount", "total"))
_INSERT_PAYMENTS = Fast(insert(SalePayment), column_keys=(
    "sale_id", "position", "method", "amount", "hold_id"))  # fmt: skip


def sale_closed(sale: SaleClosed, uow: UnitOfWork) -> Verdict:
    """Record a closed sale with its lines and payments, then its guest's ledger effects
    (``sale_effects``); a rejection there is undone by the caller's savepoint."""
    connection = uow.connection
    if _SALE_KNOWN.first(connection, {"sale_id": sale.sale_id}) is not None:
        existing = uow.session.get_one(Sale, sale.sale_id)
        return conflict(
            "sale_exists", f"Sale {sale.sale_id} was already recorded.", sale_state(existing)
        )
    problem = _sale_record_problem(sale)
    if problem:
        return rejected("totals_mismatch", problem)
    loyalty = None
    if sale.guest_id is not None:  # the guest, their loyalty row locked (sale_effects)
        loyalty = lock_loyalty(lambda: uow.session, connection, sale.guest_id, uow.now)
        if loyalty is None:
            return unknown_guest(sale.guest_id)
    _INSERT_SALE.run(connection, {
        "id": sale.sale_id, "terminal_id": uow.terminal_id, "op_id": uow.op_id,
        "receipt_no": sale.receipt_no, "guest_id": sale.guest_id, "opened_at": sale.opened_at,
        "closed_at": sale.closed_at, "total": sale.total,
    })  # fmt: skip
    _INSERT_LINES.run_many(connection, [
        {"sale_id": sale.sale_id, "line_no": line.line_no, "product_id": line.product_id,
         "name": line.name, "quantity": line.quantity, "unit_price": line.unit_price,
         "discount": line.discount, "total": line.total}
        for line in sale.lines
    ])  # fmt: skip
    _INSERT_PAYMENTS.run_many(connection, [
        {"sale_id": sale.sale_id, "position": position, "method": payment.method,
         "amount": payment.amount, "hold_id": payment.hold_id}
        for position, payment in enumerate(sale.payments, start=1)
    ])  # fmt: skip
    # a guest's sale reads the groups once, for its review and its effects (the promotion)
    groups = current_groups(connection) if sale.guest_id is not None else None
    findings = review_sale(connection, sale, groups={} if groups is None else groups[0],
                           current_group=None if loyalty is None else loyalty.group_id)
    record_findings(connection, sale, findings, terminal_id=uow.terminal_id, op_id=uow.op_id,
                    now=uow.now)  # fmt: skip
    from pos_server.ops.sale_effects import apply_sale_effects  # it builds on this module

    return apply_sale_effects(uow, sale, loyalty, groups) or APPLIED


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
    existing = uow.session.get(Guest, new.guest_id)
    if existing is not None:
        return conflict(
            "guest_exists", f"Guest {new.guest_id} already exists.", guest_state(existing)
        )
    guest = Guest(
        id=new.guest_id, name=new.name, phone=phone, created_at=uow.now,
        created_by=uow.terminal_id,
    )
    uow.session.add(guest)
    uow.session.flush()
    record_change(uow.session, "guest", guest.id, guest_state(guest), uow.now)
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
    if uow.session.get(Guest, bound.guest_id) is None:
        return unknown_guest(bound.guest_id)
    owner = uow.session.scalars(
        select(GuestIdentifier).where(GuestIdentifier.value == value)
    ).one_or_none()
    if owner is not None and owner.guest_id != bound.guest_id:
        return broken_rule(IdentifierTaken("This card or code already belongs to another guest."))
    if owner is not None:
        return APPLIED  # already bound to this guest: nothing changes
    uow.session.add(
        GuestIdentifier(
            guest_id=bound.guest_id, medium=bound.medium, method=bound.method,
            value=value, bound_at=uow.now,
        )
    )
    uow.session.flush()
    data = {"guest_id": bound.guest_id, "medium": bound.medium.value,
            "method": bound.method.value, "value": value}
    record_change(uow.session, "identifier", value, data, uow.now)
    return APPLIED


Handler = Callable[[Any, UnitOfWork], Verdict]

HANDLERS: dict[str, Handler] = {
    SALE_CLOSED: sale_closed,
    GUEST_CREATED: guest_created,
    IDENTIFIER_BOUND: identifier_bound,
}

