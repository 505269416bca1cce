"""Points holds inside a unit of work: place one, end a sale's holds, the offline room.

The contract with the server (docs/api.md, agreed): a sale paid partly with points queues
``hold.placed`` when the points are taken, ``hold.committed`` with the amount actually spent when
the sale closes - in the SAME unit of work as the close and before ``sale.closed`` - and
``sale.closed`` whose points payment names the hold (``{"method": "points", "amount": N,
"hold_id": ...}``); the debit is the commit, ``sale.closed`` does not debit points again.
Cancelling the sale queues ``hold.released``. Hold ids are UUIDs made here, so a commit or
release can follow a hold the server has not seen yet: they are just later operations.

``end_holds`` does this for every sale, whatever payment closes it (a cash payment after the
points, a card, the points payment itself): it is a step of ``sale_closing.close_sale`` and of
``sale_closing.cancel_sale``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from pos_app.domain.operations import HoldCommitted, HoldPlaced, HoldReleased
from pos_app.domain.sale import PaymentMethod, Sale, SaleStatus
from pos_app.services.ports import OutboxEntry, UnitOfWork
from pos_app.services.ports_sync import (
    HOLD_COMMITTED,
    HOLD_OPEN,
    HOLD_RELEASED,
    HoldRecord,
)

DEFAULT_ALLOWANCE_KEY = "points.offline_allowance"  # no group; kopecks; from the server's feed

def place_hold(uow: UnitOfWork, hold: HoldRecord) -> OutboxEntry:
    """Record the hold and queue ``hold.placed`` in the caller's (durable) transaction."""
    uow.sync.add_hold(hold)
    return uow.outbox.append(HoldPlaced(
        hold_id=hold.hold_id, guest_id=hold.guest_id, amount=hold.amount,
        offline=hold.offline, ref=hold.sale_id,
    ))  # fmt: skip


def release_hold(uow: UnitOfWork, hold: HoldRecord) -> OutboxEntry:
    uow.sync.save_hold(replace(hold, status=HOLD_RELEASED))
    return uow.outbox.append(HoldReleased(hold_id=hold.hold_id))


def end_holds(uow: UnitOfWork, sale: Sale) -> None:
    """A sale ended: commit what its points payments spent, release everything else.

    A points payment is recorded in the unit of work that stamps its hold's
    ``committed_amount``; a hold without one was never paid with (a crash between the hold and
    the payment, a verdict that came too late) and is released. The payments of a sale read
    back from the store may have lost ``hold_id``: the paid holds, in the order they were
    placed, are the points payments in order, so it is put back before ``sale.closed``.
    """
    holds = [h for h in uow.sync.holds_for_sale(sale.id) if h.status == HOLD_OPEN]
    if not holds:
        return
    if sale.status is not SaleStatus.CLOSED:
        for hold in holds:
            release_hold(uow, hold)
        return
    paid = iter([h for h in holds if h.committed_amount])
    for index, payment in enumerate(sale.payments):
        if payment.method is PaymentMethod.POINTS and not payment.hold_id:
            paid_hold = next(paid, None)
            if paid_hold is not None:
                sale.payments[index] = replace(payment, hold_id=paid_hold.hold_id)
    for hold in holds:
        if not hold.committed_amount:
            release_hold(uow, hold)
            continue
        amount = min(hold.committed_amount, hold.amount)
        uow.sync.save_hold(replace(hold, status=HOLD_COMMITTED, committed_amount=amount))
        uow.outbox.append(HoldCommitted(hold_id=hold.hold_id, amount=amount))


def cached_points(uow: UnitOfWork, guest_id: str) -> int:
    """The guest's available points in the cached snapshots (0 without a bonus account)."""
    return sum(a.available for a in uow.accounts.for_guest(guest_id) if a.kind == "bonus")


def offline_allowance(uow: UnitOfWork, guest_id: str) -> int:
    """The guest group's offline allowance; for a guest without one, the programme's
    (``loyalty.offline_allowance``, kept by ``programme_settings.py``)."""
    guest = uow.guests.get(guest_id)
    group = uow.groups.get(guest.group_id) if guest and guest.group_id else None
    if group is not None:
        return group.offline_allowance
    return int(uow.settings.get(DEFAULT_ALLOWANCE_KEY, 0) or 0)


def offline_room(uow: UnitOfWork, guest_id: str) -> int:
    """Points the till may take offline now: the cached available balance minus this till's
    holds the snapshot does not contain yet, and within the group's allowance minus the
    offline holds already taken against it."""
    unreflected = uow.sync.unreflected_holds(guest_id)
    by_balance = cached_points(uow, guest_id) - sum(h.spends for h in unreflected)
    by_allowance = offline_allowance(uow, guest_id) - sum(
        h.spends for h in unreflected if h.offline
    )
    return max(min(by_balance, by_allowance), 0)


def new_hold(
    hold_id: str, guest_id: str, amount: int, sale_id: str, now: datetime, *, offline: bool
) -> HoldRecord:
    return HoldRecord(hold_id, guest_id, amount, now, sale_id=sale_id, offline=offline)
