"""sale.refunded: a closed sale given back in full, and what that undoes for the guest.

The refund must give back exactly what the server recorded for the sale, by method (cash,
card, balance, points). Then: the balance part is credited back to the guest's balance
account, the points part to their bonus account, the accrual the sale earned is taken back
(a debit; if the guest already spent it, an overdraft is recorded for managers - never
hidden), and so is the referral cashback its promo code paid to the code's owner. Once per sale.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from pos_app.domain.bonus import BonusAccount
from pos_app.domain.operations import SALE_REFUNDED, SaleRefunded
from pos_server.db.models import Sale, SalePayment
from pos_server.db.models_ledger import SaleLoyaltyRow
from pos_server.db.models_till import PromoRedemptionRow, SaleRefundRow
from pos_server.ledger import load_account, save_account
from pos_server.ledger_balance import load_balance, save_balance
from pos_server.ops.kinds import Handler, OpContext
from pos_server.ops.verdicts import APPLIED, Verdict, conflict, rejected


def sale_refunded(ctx: OpContext, refund: SaleRefunded) -> Verdict:
    done = ctx.session.get(SaleRefundRow, refund.sale_id)
    if done is not None:
        return conflict("already_refunded", f"Sale {refund.sale_id} was already refunded.",
                        {"sale_id": done.sale_id, "refund_id": done.refund_id,
                         "refunded_at": done.refunded_at.isoformat()})  # fmt: skip
    sale = ctx.session.get(Sale, refund.sale_id)
    if sale is None:
        return rejected("sale_not_recorded", f"Sale {refund.sale_id} is not on the server.")
    recorded: dict[str, int] = defaultdict(int)
    for method, amount in ctx.session.execute(
        select(SalePayment.method, SalePayment.amount).where(SalePayment.sale_id == sale.id)
    ):
        recorded[method] += amount
    given: dict[str, int] = defaultdict(int)
    for payment in refund.payments:
        given[payment.method] += payment.amount
    if dict(given) != {m: a for m, a in recorded.items() if a}:
        return rejected("totals_mismatch",
                        "A refund gives back the whole sale, as it was paid.")  # fmt: skip
    accrual = _undo_for_guest(ctx, sale.guest_id, sale.id, given)
    cashback = _take_back_cashback(ctx, sale.id)
    ctx.session.add(SaleRefundRow(
        sale_id=sale.id, refund_id=refund.refund_id, terminal_id=ctx.terminal_id,
        refunded_at=refund.refunded_at, approved_by=refund.approved_by,
        total=sum(given.values()), accrual_taken_back=accrual, cashback_taken_back=cashback,
        at=ctx.now,
    ))  # fmt: skip
    return APPLIED


def _debit_back(account: BonusAccount, amount: int, ctx: OpContext, reason: str, ref: str) -> None:
    account.debit(amount, now=ctx.now, actor=f"terminal:{ctx.terminal_id}",
                  terminal_id=ctx.terminal_id, reason=reason, ref=ref,
                  allow_overdraft=True)  # fmt: skip


def _undo_for_guest(
    ctx: OpContext, guest_id: str | None, sale_id: str, given: dict[str, int]
) -> int:
    """Balance and points back to the guest, the accrual taken back; returns the accrual."""
    if guest_id is None:
        return 0
    actor, reason = f"terminal:{ctx.terminal_id}", f"refund of sale {sale_id}"
    if given.get("balance"):
        balance = load_balance(ctx.session, guest_id)
        balance.credit(given["balance"], now=ctx.now, actor=actor, terminal_id=ctx.terminal_id,
                       reason=reason, ref=sale_id)  # fmt: skip
        save_balance(ctx.session, balance, ctx.now)
    loyalty = ctx.session.get(SaleLoyaltyRow, sale_id)
    accrual = loyalty.accrual if loyalty is not None else 0
    if given.get("points") or accrual:
        points = load_account(ctx.session, guest_id)
        if given.get("points"):
            points.credit(given["points"], now=ctx.now, actor=actor,
                          terminal_id=ctx.terminal_id, reason=reason, ref=sale_id)  # fmt: skip
        if accrual:
            _debit_back(points, accrual, ctx, f"accrual taken back: {reason}", sale_id)
        save_account(ctx.session, points, ctx.now)
    return accrual


def _take_back_cashback(ctx: OpContext, sale_id: str) -> int:
    redemption = ctx.session.get(PromoRedemptionRow, sale_id)
    if redemption is None or not redemption.cashback:
        return 0
    owner = load_account(ctx.session, redemption.owner_guest_id)
    _debit_back(owner, redemption.cashback, ctx,
                f"referral cashback taken back: refund of sale {sale_id}", sale_id)
    save_account(ctx.session, owner, ctx.now)
    return redemption.cashback


REFUND_HANDLERS: dict[str, Handler] = {SALE_REFUNDED: sale_refunded}
