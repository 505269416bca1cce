"""sale.refunded: a closed sale given back in full, and what that undoes for the guest.

The refund must give back exactly what the server recorded for the sale, by method (cash,
card, balance, points). Then: the balance part is credited back to the guest's balance
account, the points part to their bonus account, the accrual the sale earned is taken back
(a debit; if the guest already spent it, an overdraft is recorded for managers - never
hidden), and so is the referral cashback its promo code paid to the code's owner. Once per sale.
"""

from __future__ import annotations

from collections import defaultdict

from pos_app.domain.bonus import BonusAccount
from pos_app.domain.operations import SALE_REFUNDED, SaleRefunded
from pos_server.ops.kinds import Handler
from pos_server.ops.verdicts import APPLIED, Verdict, conflict, rejected
from pos_server.uow import UnitOfWork


def sale_refunded(refund: SaleRefunded, uow: UnitOfWork) -> Verdict:
    done = uow.refunds.recorded(refund.sale_id)
    if done is not None:
        return conflict("already_refunded", f"Sale {refund.sale_id} was already refunded.",
                        {"sale_id": done.sale_id, "refund_id": done.refund_id,
                         "refunded_at": done.refunded_at.isoformat()})  # fmt: skip
    sale = uow.sales.paid(refund.sale_id)
    if sale is None:
        return rejected("sale_not_recorded", f"Sale {refund.sale_id} is not on the server.")
    given: dict[str, int] = defaultdict(int)
    for payment in refund.payments:
        given[payment.method] += payment.amount
    if dict(given) != sale.paid:
        return rejected("totals_mismatch",
                        "A refund gives back the whole sale, as it was paid.")  # fmt: skip
    accrual = _undo_for_guest(uow, sale.guest_id, sale.sale_id, given)
    cashback = _take_back_cashback(uow, sale.sale_id)
    uow.refunds.record(
        sale.sale_id, refund_id=refund.refund_id, refunded_at=refund.refunded_at,
        approved_by=refund.approved_by, total=sum(given.values()), accrual_taken_back=accrual,
        cashback_taken_back=cashback,
    )  # fmt: skip
    return APPLIED


def _debit_back(account: BonusAccount, amount: int, uow: UnitOfWork, reason: str, ref: str) -> None:
    account.debit(amount, now=uow.now, actor=f"terminal:{uow.terminal_id}",
                  terminal_id=uow.terminal_id, reason=reason, ref=ref,
                  allow_overdraft=True)  # fmt: skip


def _undo_for_guest(
    uow: UnitOfWork, guest_id: str | None, sale_id: str, given: dict[str, int]
) -> int:
    """Balance and points back to the guest, the accrual taken back; returns the accrual."""
    if guest_id is None:
        return 0
    actor, reason = f"terminal:{uow.terminal_id}", f"refund of sale {sale_id}"
    if given.get("balance"):
        balance = uow.accounts.load("money", guest_id)
        balance.credit(given["balance"], now=uow.now, actor=actor, terminal_id=uow.terminal_id,
                       reason=reason, ref=sale_id)  # fmt: skip
        uow.accounts.save(balance)
    accrual = uow.loyalty.accrual_of_sale(sale_id)
    if given.get("points") or accrual:
        points = uow.accounts.load("points", guest_id)
        if given.get("points"):
            points.credit(given["points"], now=uow.now, actor=actor,
                          terminal_id=uow.terminal_id, reason=reason, ref=sale_id)  # fmt: skip
        if accrual:
            _debit_back(points, accrual, uow, f"accrual taken back: {reason}", sale_id)
        uow.accounts.save(points)
    return accrual


def _take_back_cashback(uow: UnitOfWork, sale_id: str) -> int:
    cashback = uow.refunds.cashback(sale_id)
    if cashback is None:
        return 0
    owner = uow.accounts.load("points", cashback.owner_guest_id)
    _debit_back(owner, cashback.amount, uow,
                f"referral cashback taken back: refund of sale {sale_id}", sale_id)
    uow.accounts.save(owner)
    return cashback.amount


REFUND_HANDLERS: dict[str, Handler] = {SALE_REFUNDED: sale_refunded}
