"""What ``sale.closed`` does to its guest's accounts, by the rules of ``pos_app.domain``.

Checked in this order, each a ``rejected`` verdict online (the caller's savepoint then undoes
the whole operation) and, for a sale the till closed ``offline``, a recorded rule breach
instead (the guest already left with the goods):

1. a points payment not backed by its hold -> ``hold_required`` (no hold named),
   ``hold_mismatch`` (unknown or another guest's), ``hold_not_committed``, ``hold_already_used``
   (another sale's), ``points_exceed_hold`` (more than it committed); always rejected, offline
   too: the points were never debited; and listed for managers as a breach of that name all
   the same (``verdicts.Breach``: the pipeline writes it after undoing the sale);
2. points beyond the max redemption % of the total -> ``max_redemption_exceeded`` (the points
   of a guest order's own hold, chosen at placement, not counted: ``order_sale.py``);
3. the guest's daily identification limit used up -> ``daily_limit``;
4. balance payments beyond the balance -> ``insufficient_balance`` (offline: an overdraft).

Then, after payment: accrual on the money part (cash, card, balance) to the bonus account,
the sale's loyalty row (the guest's group at that moment), and group auto-promotion by the
lifetime spend. A manager's override of the percentages on this sale is honoured when the
server's staff table confirms the approver (``order_override.py``). Points are NOT debited
here: the till's ``hold.committed`` before this sale already spent them (docs/api.md,
"Contract with the till") - except the hold of a guest order the sale pays, which the till
does not own: it is committed here, before check 1 (``order_sale.commit_order_hold``).
"""

from __future__ import annotations

from pos_app.domain.balance import InsufficientBalance
from pos_app.domain.bonus import HoldStatus
from pos_app.domain.errors import DomainError
from pos_app.domain.groups import GuestGroup
from pos_app.domain.ledger import PostingKind
from pos_app.domain.limits import check_identification
from pos_app.domain.loyalty import LoyaltySettings, accrual_for
from pos_app.domain.money import format_money
from pos_app.domain.operations import SaleClosed
from pos_server.ledger.rules import GuestLoyalty, limits_of, settings_for
from pos_server.ops.order_override import OrderOverride, order_override
from pos_server.ops.verdicts import Breach, Verdict, rejected
from pos_server.programme.service import current
from pos_server.uow import UnitOfWork

MONEY_METHODS = frozenset({"cash", "card", "balance"})


def _paid(sale: SaleClosed, *methods: str) -> int:
    return sum(p.amount for p in sale.payments if p.method in methods)


def apply_sale_effects(
    uow: UnitOfWork, sale: SaleClosed, loyalty: GuestLoyalty | None,
    groups: tuple[dict[str, GuestGroup], list[GuestGroup]] | None = None,
) -> Verdict | None:  # fmt: skip
    """Check the guest's rules and post the sale's effects; a Verdict is a rejection.
    ``loyalty``: the sale's guest as ``lock_loyalty`` read them (None for a sale without);
    ``groups``: ``uow.groups.current()`` as the caller already read them in this transaction."""
    if sale.guest_id is None:
        if _paid(sale, "balance", "points") or any(p.hold_id for p in sale.payments):
            return _unbacked(sale, "guest_required", _paid(sale, "points"),
                             "A sale paid from a balance account or with held points must "
                             "name its guest.")  # fmt: skip
        return None
    from_order = 0  # points of a guest order's own hold, committed here (order_sale.py)
    if sale.order_id is not None:
        from pos_server.ops.order_sale import commit_order_hold  # it builds on the orders

        from_order = commit_order_hold(uow, sale)
    problem = _hold_mismatch(uow, sale)
    if problem is not None:
        return problem
    assert loyalty is not None  # sale_closed read the guest
    if groups is None:  # read once: the promotion below uses it too
        groups = uow.groups.current()
    group = None if loyalty.group_id is None else groups[0].get(loyalty.group_id)
    order = (order_override(uow, sale) if sale.loyalty_override is not None
             else OrderOverride())  # bonus settings set by hand, if honoured  # fmt: skip
    settings = settings_for(group, order=order.override, may_override_order=order.allowed,
                            guest=loyalty.own_settings,
                            program=current(uow).loyalty.program)  # fmt: skip
    problem = (_check_redemption(uow, sale, settings, from_order)
               or _check_identification(uow, sale, settings, group))  # fmt: skip
    if problem is not None:
        return problem
    problem = _pay_from_balance(uow, sale)
    if problem is not None:
        return problem
    accrual = _accrue(uow, sale, settings)
    uow.loyalty.record_sale(
        sale.sale_id, sale.guest_id, group_id=loyalty.group_id, closed_at=sale.closed_at,
        money_paid=_paid(sale, *MONEY_METHODS), points_paid=_paid(sale, "points"),
        accrual=accrual, offline=sale.offline,
    )  # fmt: skip
    uow.loyalty.promote_after_sale(loyalty, sale.total, groups)
    return order.noted(uow, sale)  # an override not honoured: said in the applied verdict


def _hold_mismatch(uow: UnitOfWork, sale: SaleClosed) -> Verdict | None:
    """Every points payment is backed by a hold of this guest, committed (the commit is the
    debit), used by no other sale, whose committed amount covers what the sale claims; online
    or offline alike (an offline hold was judged by the offline rules when it was placed)."""
    claimed: dict[str, int] = {}
    for payment in sale.payments:
        if payment.method == "points" and payment.hold_id is None:
            return _unbacked(sale, "hold_required", payment.amount,
                             "A points payment must name the hold that spent the points.")
        if payment.hold_id is not None:
            claimed[payment.hold_id] = claimed.get(payment.hold_id, 0) + payment.amount
    for hold_id, amount in claimed.items():
        problem = _hold_problem(uow, sale, hold_id, amount)
        if problem is not None:
            return problem
    return None


def _hold_problem(uow: UnitOfWork, sale: SaleClosed, hold_id: str, amount: int) -> Verdict | None:
    hold = uow.holds.get(hold_id)
    if hold is None or hold.account_id != sale.guest_id:
        whose = "is not known to the server" if hold is None else "belongs to another guest"
        return _unbacked(sale, "hold_mismatch", amount,
                         f"The points payment names hold {hold_id}, which {whose}.")
    if hold.status != HoldStatus.COMMITTED.value:
        return _unbacked(sale, "hold_not_committed", amount,
                         f"Hold {hold_id} is {hold.status}, not committed: no points were "
                         "spent.")  # fmt: skip
    if uow.holds.used_by_another_sale(hold_id, sale.sale_id):
        return _unbacked(sale, "hold_already_used", amount,
                         f"Hold {hold_id} already paid another sale.")
    if amount > hold.committed_amount:
        return _unbacked(sale, "points_exceed_hold", amount - hold.committed_amount,
                         f"The sale claims {format_money(amount, currency='points')} from "
                         f"hold {hold_id}, which committed "
                         f"{format_money(hold.committed_amount, currency='points')}.")  # fmt: skip
    return None


def _unbacked(sale: SaleClosed, reason: str, points: int, message: str) -> Verdict:
    """A points payment no hold backs: refused (online and offline alike: the points were
    never debited) and listed for managers as a breach of ``reason``, ``points`` being what
    the sale claimed beyond what backs it (issue 16 point 1)."""
    return rejected(reason, message, Breach(sale.guest_id, reason, points, sale.sale_id, message))


def _breach_or_reject(
    uow: UnitOfWork, sale: SaleClosed, reason: str, *, rule: str, amount: int, message: str
) -> Verdict | None:
    """Online: refuse. Offline: the till already acted, so record the breach for managers."""
    if not sale.offline:
        return rejected(reason, message)
    assert sale.guest_id is not None
    uow.loyalty.record_breach(Breach(sale.guest_id, rule, amount, sale.sale_id, message))
    return None


def _check_redemption(
    uow: UnitOfWork, sale: SaleClosed, settings: LoyaltySettings, from_order: int
) -> Verdict | None:
    """``from_order``: points a guest order held since placement for lines the guest chose in
    points (seed 001): agreed then, by the product's own "payable with points", so not capped."""
    points = _paid(sale, "points") - from_order
    cap = settings.max_redemption.apply(sale.total)
    if points <= cap:
        return None
    message = (f"At most {settings.max_redemption.bp / 100:g} % of the sale "
               f"({format_money(cap, currency='points')}) may be paid with points; "
               f"{format_money(points, currency='points')} were.")  # fmt: skip
    return _breach_or_reject(uow, sale, "max_redemption_exceeded", rule="max_redemption",
                             amount=points - cap, message=message)  # fmt: skip


def _check_identification(
    uow: UnitOfWork, sale: SaleClosed, _settings: LoyaltySettings, group: GuestGroup | None
) -> Verdict | None:
    assert sale.guest_id is not None
    limits = limits_of(group, current(uow).loyalty.limits)
    if limits.identifications is None:
        return None
    try:
        check_identification(limits, uow.loyalty.identified_on_day(sale.guest_id,
                                                                   sale.closed_at))
    except DomainError as error:
        return _breach_or_reject(uow, sale, "daily_limit", rule=error.code, amount=1,
                                 message=error.message)
    return None


def _pay_from_balance(uow: UnitOfWork, sale: SaleClosed) -> Verdict | None:
    amount = _paid(sale, "balance")
    if amount == 0:
        return None
    assert sale.guest_id is not None
    account = uow.accounts.load("money", sale.guest_id)
    try:
        account.pay(amount, now=uow.now, actor=f"terminal:{uow.terminal_id}",
                    terminal_id=uow.terminal_id, reason=f"sale {sale.sale_id}",
                    ref=sale.sale_id, allow_overdraft=sale.offline)  # fmt: skip
    except InsufficientBalance as error:
        return rejected(error.code, error.message)
    uow.accounts.save(account)
    return None


def _accrue(uow: UnitOfWork, sale: SaleClosed, settings: LoyaltySettings) -> int:
    """Points for the money part, credited after payment; returns the amount."""
    assert sale.guest_id is not None
    accrual = accrual_for(_paid(sale, *MONEY_METHODS), settings)
    if accrual:
        account = uow.accounts.load("points", sale.guest_id)
        account.credit(accrual, now=uow.now, actor=f"terminal:{uow.terminal_id}",
                       terminal_id=uow.terminal_id, reason=f"accrual for sale {sale.sale_id}",
                       ref=sale.sale_id, kind=PostingKind.ACCRUAL)  # fmt: skip
        uow.accounts.save(account)
    return accrual
