"""sale.refunded: a closed sale given back, in full or by line, and what that undoes for the guest.

A refund gives back, by method (cash, card, balance, points), what the server recorded for the
sale: a refund without lines (tills before refunds by line) all of it at once; refunds by line
in parts whose sums, method by method, never exceed what was recorded (``domain/refunds.py``
makes the parts on the till). Then: the balance part is credited back to the guest's balance
account, the points part to their bonus account, and the share of the accrual the sale earned
and of any referral cashback its promo code paid is taken back (a debit; if already spent, an
overdraft is recorded for managers - never hidden): pro rata to the money refunded, the part
that completes the sale taking the rest. A sale refunded in full is refunded no more. A refund
whose approver the server's staff table does not confirm stands, and is listed for managers.
"""

from __future__ import annotations

from collections import defaultdict

from pos_app.domain.bonus import BonusAccount
from pos_app.domain.operations import SALE_REFUNDED, SaleRefunded
from pos_app.domain.refunds import accrual_left
from pos_app.domain.staff_pins import Role
from pos_server.ops.kinds import Handler
from pos_server.ops.verdicts import APPLIED, Breach, Verdict, conflict, rejected
from pos_server.uow import UnitOfWork

# The roles with the till's refund permission (pos_app.services.staff.ROLE_PERMISSIONS; the
# server may not import the till's services, tests/server/test_promo_refunds.py keeps them equal)
REFUND_ROLES = frozenset({Role.MANAGER, Role.ADMIN})
APPROVER_UNCONFIRMED = "refund_approver_unconfirmed"


def sale_refunded(refund: SaleRefunded, uow: UnitOfWork) -> Verdict:
    sale = uow.sales.paid(refund.sale_id)
    if sale is None:
        return rejected("sale_not_recorded", f"Sale {refund.sale_id} is not on the server.")
    recorded = sale.paid
    earlier = uow.refunds.of_sale(sale.sale_id)
    before: dict[str, int] = defaultdict(int)
    for done in earlier:
        for method, amount in (done.by_method if done.by_method is not None
                               else recorded).items():  # fmt: skip
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
    sale_total = sum(recorded.values())  # a recorded sale's payments add up to its total
    accrual = _undo_for_guest(uow, sale.guest_id, sale.sale_id, given,
                              accrual_part=(sale_total, so_far, total))  # fmt: skip
    cashback = _take_back_cashback(uow, sale.sale_id, (sale_total, so_far, total))
    uow.refunds.record(
        sale.sale_id, refund_id=refund.refund_id, refunded_at=refund.refunded_at,
        approved_by=refund.approved_by, total=total, accrual_taken_back=accrual,
        cashback_taken_back=cashback, by_method=dict(given),
    )  # fmt: skip
    return _approver_noted(uow, refund, sale.guest_id, total)


def _approver_noted(uow: UnitOfWork, refund: SaleRefunded, guest_id: str | None, total: int
                    ) -> Verdict:  # fmt: skip
    """The refund stands (the till already gave the money back), but one whose approver the
    server's staff table does not confirm - unknown, withdrawn, or of a role without the refund
    permission - is listed for managers (``rule_breaches``, rule ``refund_approver``) and named
    in the applied verdict: a terminal token alone could otherwise give a sale's balance and
    points back unseen (issue 16 point 4)."""
    member = uow.staff.member(refund.approved_by)
    if member is not None and member.active and member.role in REFUND_ROLES:
        return APPLIED
    if member is None or not member.active:
        who = "is not known to the server" if member is None else f"({member.name}) is withdrawn"
    else:
        who = f"({member.name}) is a {member.role.value}, without the refund permission"
    message = (f"Refund {refund.refund_id} of sale {refund.sale_id} was applied, but its "
               f"approver {refund.approved_by} {who}.")  # fmt: skip
    uow.loyalty.record_breach(Breach(guest_id, "refund_approver", total, refund.refund_id,
                                     message))  # fmt: skip
    return Verdict("applied", APPROVER_UNCONFIRMED, message)


def _debit_back(account: BonusAccount, amount: int, uow: UnitOfWork, reason: str, ref: str) -> None:
    account.debit(amount, now=uow.now, actor=f"terminal:{uow.terminal_id}",
                  terminal_id=uow.terminal_id, reason=reason, ref=ref,
                  allow_overdraft=True)  # fmt: skip


def _undo_for_guest(
    uow: UnitOfWork, guest_id: str | None, sale_id: str, given: dict[str, int], *,
    accrual_part: tuple[int, int, int],
) -> int:
    """Balance and points back to the guest, the accrual's share taken back; returns it."""
    if guest_id is None:
        return 0
    actor, reason = f"terminal:{uow.terminal_id}", f"refund of sale {sale_id}"
    if given.get("balance"):
        balance = uow.accounts.load("money", guest_id)
        balance.credit(given["balance"], now=uow.now, actor=actor, terminal_id=uow.terminal_id,
                       reason=reason, ref=sale_id)  # fmt: skip
        uow.accounts.save(balance)
    accrual = accrual_left(uow.loyalty.accrual_of_sale(sale_id), *accrual_part)
    if given.get("points") or accrual:
        points = uow.accounts.load("points", guest_id)
        if given.get("points"):
            points.credit(given["points"], now=uow.now, actor=actor,
                          terminal_id=uow.terminal_id, reason=reason, ref=sale_id)  # fmt: skip
        if accrual:
            _debit_back(points, accrual, uow, f"accrual taken back: {reason}", sale_id)
        uow.accounts.save(points)
    return accrual


def _take_back_cashback(uow: UnitOfWork, sale_id: str, part: tuple[int, int, int]) -> int:
    """The refunded share of the referral cashback the sale's promo code paid its owner."""
    paid = uow.refunds.cashback(sale_id)
    if paid is None:
        return 0
    cashback = accrual_left(paid.amount, *part)
    if not cashback:
        return 0
    owner = uow.accounts.load("points", paid.owner_guest_id)
    _debit_back(owner, cashback, uow,
                f"referral cashback taken back: refund of sale {sale_id}", sale_id)
    uow.accounts.save(owner)
    return cashback


REFUND_HANDLERS: dict[str, Handler] = {SALE_REFUNDED: sale_refunded}
