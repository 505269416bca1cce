"""sale.refunded: a closed sale given back, in full or by line, and what that undoes for the guest.

A refund gives back, by method (cash, card, balance, points), what the server recorded for the
sale: a refund without lines (tills before refunds by line) all of it at once; refunds by line
in parts whose sums, method by method, never exceed what was recorded (``domain/refunds.py``
makes the parts on the till). Then: the balance part is credited back to the guest's balance
account, the points part to their bonus account, and the share of the accrual the sale earned
and of any referral cashback its promo code paid is taken back (a debit; if already spent, an
overdraft is recorded for managers - never hidden): pro rata to the money refunded, the part
that completes the sale taking the rest. A sale refunded in full is refunded no more.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from pos_app.domain.bonus import BonusAccount
from pos_app.domain.operations import SALE_REFUNDED, SaleRefunded
from pos_app.domain.refunds import accrual_left
from pos_server.db.models import Sale, SalePayment
from pos_server.db.models_ledger import SaleLoyaltyRow
from pos_server.db.models_till import PromoRedemptionRow, SaleRefundRow
from pos_server.ledger import load_account, save_account
from pos_server.ledger_balance import load_balance, save_balance
from pos_server.ops.kinds import Handler, OpContext
from pos_server.ops.verdicts import APPLIED, Verdict, conflict, rejected


def sale_refunded(ctx: OpContext, refund: SaleRefunded) -> Verdict:
    sale = ctx.session.get(Sale, refund.sale_id)
    if sale is None:
        return rejected("sale_not_recorded", f"Sale {refund.sale_id} is not on the server.")
    recorded: dict[str, int] = defaultdict(int)
    for method, amount in ctx.session.execute(
        select(SalePayment.method, SalePayment.amount).where(SalePayment.sale_id == sale.id)
    ):
        recorded[method] += amount
    recorded = {m: a for m, a in recorded.items() if a}
    earlier = list(ctx.session.scalars(
        select(SaleRefundRow).where(SaleRefundRow.sale_id == sale.id)))  # fmt: skip
    before: dict[str, int] = defaultdict(int)
    for row in earlier:
        for method, amount in (row.by_method if row.by_method is not None else recorded).items():
            before[method] += amount
    if earlier and (not refund.lines or dict(before) == recorded):
        last = earlier[-1]
        return conflict("already_refunded", f"Sale {refund.sale_id} was already refunded.",
                        {"sale_id": last.sale_id, "refund_id": last.refund_id,
                         "refunded_at": last.refunded_at.isoformat()})  # fmt: skip
    given: dict[str, int] = defaultdict(int)
    for payment in refund.payments:
        given[payment.method] += payment.amount
    if not refund.lines and dict(given) != recorded:
        return rejected("totals_mismatch",
                        "A refund gives back the whole sale, as it was paid.")  # fmt: skip
    if refund.lines:
        over = sorted(m for m, a in given.items() if before[m] + a > recorded.get(m, 0))
        if over or sum(x.amount for x in refund.lines) != sum(given.values()):
            return rejected("refund_too_large",
                            "The refunds would give back more than the sale recorded"
                            + (f" ({', '.join(over)})." if over else "."))  # fmt: skip
    total, so_far = sum(given.values()), sum(before.values())
    accrual = _undo_for_guest(ctx, sale, given, so_far, total)
    cashback = _take_back_cashback(ctx, sale, so_far, total)
    ctx.session.add(SaleRefundRow(
        sale_id=sale.id, refund_id=refund.refund_id, terminal_id=ctx.terminal_id,
        refunded_at=refund.refunded_at, approved_by=refund.approved_by,
        total=total, accrual_taken_back=accrual, cashback_taken_back=cashback,
        at=ctx.now, by_method=dict(given),
    ))  # fmt: skip
    return APPLIED


def _debit_back(account: BonusAccount, amount: int, ctx: OpContext, reason: str, ref: str) -> None:
    account.debit(amount, now=ctx.now, actor=f"terminal:{ctx.terminal_id}",
                  terminal_id=ctx.terminal_id, reason=reason, ref=ref,
                  allow_overdraft=True)  # fmt: skip


def _undo_for_guest(
    ctx: OpContext, sale: Sale, given: dict[str, int], so_far: int, total: int
) -> int:
    """Balance and points back to the guest, the accrual's share taken back; returns it."""
    guest_id, sale_id = sale.guest_id, sale.id
    if guest_id is None:
        return 0
    actor, reason = f"terminal:{ctx.terminal_id}", f"refund of sale {sale_id}"
    if given.get("balance"):
        balance = load_balance(ctx.session, guest_id)
        balance.credit(given["balance"], now=ctx.now, actor=actor, terminal_id=ctx.terminal_id,
                       reason=reason, ref=sale_id)  # fmt: skip
        save_balance(ctx.session, balance, ctx.now)
    loyalty = ctx.session.get(SaleLoyaltyRow, sale_id)
    accrual = accrual_left(loyalty.accrual if loyalty is not None else 0, sale.total, so_far,
                           total)  # fmt: skip
    if given.get("points") or accrual:
        points = load_account(ctx.session, guest_id)
        if given.get("points"):
            points.credit(given["points"], now=ctx.now, actor=actor,
                          terminal_id=ctx.terminal_id, reason=reason, ref=sale_id)  # fmt: skip
        if accrual:
            _debit_back(points, accrual, ctx, f"accrual taken back: {reason}", sale_id)
        save_account(ctx.session, points, ctx.now)
    return accrual


def _take_back_cashback(ctx: OpContext, sale: Sale, so_far: int, total: int) -> int:
    redemption = ctx.session.get(PromoRedemptionRow, sale.id)
    if redemption is None or not redemption.cashback:
        return 0
    cashback = accrual_left(redemption.cashback, sale.total, so_far, total)
    if not cashback:
        return 0
    owner = load_account(ctx.session, redemption.owner_guest_id)
    _debit_back(owner, cashback, ctx,
                f"referral cashback taken back: refund of sale {sale.id}", sale.id)
    save_account(ctx.session, owner, ctx.now)
    return cashback


REFUND_HANDLERS: dict[str, Handler] = {SALE_REFUNDED: sale_refunded}
