"""A paid guest order earns points and counts towards the guest's group (issue 20 point 2,
seed 004: "points are accrued after the payment of the order"), by the rules a till's sale
follows (``pos_app.domain.loyalty.accrual_for`` with the guest's group settings,
``ledger.rules.settings_for``; the lifetime spend and auto-promotion of
``uow.loyalty.promote_after_sale``).

Accrual is on the money part only (cash, card, balance), never on points spent; it is credited
in the transaction that records the payment, as an ``accrual`` posting with the order's id as
its reference, and kept on the order (``guest_orders.accrual``). Voiding a paid order takes the
accrual back (an overdraft if the guest has spent it already, as a sale's refund does). An
order completed unpaid earns nothing: its total is a debt, not a payment.
"""

from __future__ import annotations

from pos_app.domain.ledger import PostingKind
from pos_app.domain.loyalty import accrual_for
from pos_app.domain.orders import Order, OrderState
from pos_server.ledger.rules import settings_for
from pos_server.repositories.orders import StoredOrder
from pos_server.uow import UnitOfWork


def after_transition(uow: UnitOfWork, stored: StoredOrder, before: Order, after: Order) -> None:
    """Accrue for a payment the transition recorded; take an accrual back on a void."""
    money = after.paid_money - before.paid_money
    points = after.paid_points - before.paid_points
    if money > 0 or points > 0:
        _paid(uow, stored, money, money + points)
    elif after.state is OrderState.VOIDED and stored.row.accrual:
        _take_back(uow, stored)


def _paid(uow: UnitOfWork, stored: StoredOrder, money: int, spend: int) -> None:
    guest_id = stored.row.guest_id
    loyalty = uow.loyalty.lock(guest_id)
    if loyalty is None:  # the guest is gone: nothing to accrue to
        return
    groups = uow.groups.current()
    group = None if loyalty.group_id is None else groups[0].get(loyalty.group_id)
    accrual = accrual_for(money, settings_for(group))
    if accrual:
        account = uow.accounts.load("points", guest_id)
        account.credit(accrual, now=uow.now, actor=f"terminal:{uow.terminal_id}",
                       terminal_id=uow.terminal_id, reason=f"accrual for order {stored.row.id}",
                       ref=stored.row.id, kind=PostingKind.ACCRUAL)  # fmt: skip
        uow.accounts.save(account)
    stored.row.accrual = accrual
    uow.loyalty.promote_after_sale(loyalty, spend, groups)


def _take_back(uow: UnitOfWork, stored: StoredOrder) -> None:
    account = uow.accounts.load("points", stored.row.guest_id)
    account.debit(stored.row.accrual, now=uow.now, actor=f"terminal:{uow.terminal_id}",
                  terminal_id=uow.terminal_id, reason=f"accrual taken back: order "
                  f"{stored.row.id} voided", ref=stored.row.id, allow_overdraft=True)  # fmt: skip
    uow.accounts.save(account)
    stored.row.accrual = 0
