"""Paying a sale: cash, bank card, balance account, and any mix until nothing is due.

API (plain frozen results; ``DomainError`` subclasses with cashier-readable messages)::

    pay = PaymentService(uow_factory, clock, ids, sale_service, acquirer=TcpAcquirer(...),
                         promo_digits=random_digits)  # the default; makes buyers' promo codes
    pay.pay_cash(sale_id, tendered)        # -> PaymentResult (change to hand back)
    pay.pay_card(sale_id, amount=None)     # -> PaymentResult; None = all that is due
    pay.pay_balance(sale_id, amount=None)  # -> PaymentResult; from the guest's balance
    pay.balance_available(sale_id)         # -> int kopecks the guest may pay from balance
    pay.available_for_points(sale_id)      # -> PointsAllowance (max redemption %, shown)
    pay.accrual_estimate(sale_id)          # -> int points (kopecks) the server will credit
    pay.void_sale(sale_id, session, approval=None)   # -> VoidResult; with payments taken
                                           # needs the void permission or a manager's
                                           # StaffService.authorize_manager(pin, Action.VOID);
                                           # card payments are reversed at the terminal

Points are paid through ``pos_app.services.points`` (holds; the sync work stream), which
ends each points payment with ``record`` here.

The payment that settles the sale closes it **in the same durable unit of work** through
``sale_closing.close_sale`` (receipt number, holds, offline mark, loyalty override,
``sale.closed``, the promo code's ``promo.redeemed``, the accrual estimate): every payment
method ends in ``record``, so a mix (cash + card + balance + points) ends as one closed sale
with the same operations whatever paid last. ``PaymentResult.closed`` says whether it did.

Card: the terminal is asked to charge under a reference made here; the answer is recorded with
the payment (``uow.shifts.add_card_slip``). A terminal that does not answer in time gets a
reversal of that reference, so no card is charged without the sale knowing: the cashier reads
"nothing was charged" or, if even the reversal got no answer, "check the terminal's slip".

Balance account: the cached balance (``uow.accounts``, kind ``balance``) minus what this till
has already taken from it and not yet delivered (pending ``sale.closed`` operations) and minus
this sale's earlier balance payments. There is no offline overdraft of a balance: beyond the
cached balance is refused. The server debits it when ``sale.closed`` arrives.

Loyalty settings (the points cap, the accrual estimate): ``loyalty_settings.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pos_app.domain.errors import DomainError
from pos_app.domain.loyalty import PermissionDenied, max_redeemable
from pos_app.domain.money import format_money
from pos_app.domain.operations import SALE_CLOSED
from pos_app.domain.sale import PaymentMethod, Sale
from pos_app.services.acquiring import (
    NO_ACQUIRER,
    Acquirer,
    CardApproval,
    CardPaymentUncertain,
    CardTerminalUnavailable,
)
from pos_app.services.dto import SaleView
from pos_app.services.guests import today_limits
from pos_app.services.loyalty_settings import loyalty_for, sale_accrual
from pos_app.services.order_checkout import order_hold_points
from pos_app.services.ports import Clock, IdGenerator, UnitOfWork, UnitOfWorkFactory
from pos_app.services.ports_till import CardSlip
from pos_app.services.promo import Digits, random_digits
from pos_app.services.sale_closing import close_sale
from pos_app.services.sales import SaleNotFound, SaleService
from pos_app.services.staff import Action, Authorization, StaffSession


class NoGuest(DomainError):
    code = "no_guest"


class InsufficientBalance(DomainError):
    code = "insufficient_balance"


@dataclass(frozen=True, slots=True)
class PaymentResult:
    sale: SaleView
    method: str
    amount: int
    change: int
    closed: bool
    accrual_estimate: int  # points (kopecks) the guest should get once the server posts them
    card: CardApproval | None = None


@dataclass(frozen=True, slots=True)
class VoidResult:
    sale: SaleView
    cash_to_return: int  # hand this back from the drawer
    card_reversed: int  # returned to the card by the terminal
    approved_by: str | None


@dataclass(frozen=True, slots=True)
class PointsAllowance:
    """What the points field shows: the cap and why (kopecks; 1 point = 100)."""

    order_total: int
    max_redemption_bp: int
    cap_by_percent: int  # max redemption % of the order (of the lines payable by points)
    available: int  # the guest's cached available points
    daily_remaining: int | None
    already_paid: int  # points already on this sale
    max_points: int  # what may still be paid in points now


class PaymentService:
    def __init__(
        self, uow_factory: UnitOfWorkFactory, clock: Clock, ids: IdGenerator,
        sales: SaleService, *, acquirer: Acquirer = NO_ACQUIRER,
        promo_digits: Digits = random_digits,
    ) -> None:  # fmt: skip
        self._uow = uow_factory
        self._clock = clock
        self._ids = ids
        self._sales = sales
        self._acquirer = acquirer
        self._digits = promo_digits

    def pay_cash(self, sale_id: str, tendered: int) -> PaymentResult:
        """Take ``tendered`` kopecks in cash; the result says how much change to hand back."""
        with self._uow() as uow:
            sale = _load(uow, sale_id)
            payment = sale.pay_cash(tendered, self._clock.now())
            return self.record(uow, sale, "cash", payment.amount, payment.change)

    def pay_balance(self, sale_id: str, amount: int | None = None) -> PaymentResult:
        with self._uow() as uow:
            sale = _load(uow, sale_id)
            amount = sale.due if amount is None else amount
            available = _balance_available(uow, sale)
            if amount > available:
                raise InsufficientBalance(
                    f"The guest has only {format_money(available)} on their balance; "
                    f"{format_money(amount)} cannot be paid from it.",
                    available=available, amount=amount,
                )  # fmt: skip
            sale.pay(PaymentMethod.BALANCE, amount, self._clock.now())
            return self.record(uow, sale, "balance", amount, 0)

    def balance_available(self, sale_id: str) -> int:
        with self._uow(durable=False) as uow:
            return _balance_available(uow, _load(uow, sale_id))

    def pay_card(self, sale_id: str, amount: int | None = None) -> PaymentResult:
        """Charge a bank card through the terminal, then record the payment (a till without
        one refuses with ``NoCardTerminal`` when asked to charge)."""
        with self._uow(durable=False) as uow:
            sale = _load(uow, sale_id)
            amount = sale.due if amount is None else amount
            sale.copy().pay(PaymentMethod.CARD, amount, self._clock.now())  # checks only
        ref = self._ids.new_id()
        approval = self._charge(ref, amount)
        try:
            with self._uow() as uow:
                sale = _load(uow, sale_id)
                sale.pay(PaymentMethod.CARD, amount, self._clock.now())
                uow.shifts.add_card_slip(CardSlip(ref, sale_id, amount, approval.auth_code,
                                                  approval.rrn, self._clock.now()))
                result = self.record(uow, sale, "card", amount, 0)
        except Exception as failed:  # the card must not stay charged for nothing
            try:
                self._acquirer.reverse(ref)
            except CardTerminalUnavailable as lost:
                raise CardPaymentUncertain(
                    "The card was charged but the sale could not record it, and the terminal "
                    "did not confirm giving it back. Check the terminal's last slip.",
                    ref=ref, amount=amount,
                ) from lost
            raise failed
        return PaymentResult(result.sale, "card", amount, 0, result.closed,
                             result.accrual_estimate, approval)  # fmt: skip

    def _charge(self, ref: str, amount: int) -> CardApproval:
        try:
            return self._acquirer.charge(ref, amount)
        except CardTerminalUnavailable as lost:
            if not lost.details.get("sent", True):
                raise  # the request never left the till: nothing can have been charged
            try:
                self._acquirer.reverse(ref)
            except CardTerminalUnavailable as again:
                raise CardPaymentUncertain(
                    "The card terminal stopped answering, so it is not known whether the card "
                    "was charged. Check the terminal's last slip before charging again.",
                    ref=ref, amount=amount,
                ) from again
            raise CardTerminalUnavailable(
                f"{lost.message} The payment was cancelled: nothing was charged.",
                ref=ref, amount=amount,
            ) from lost

    def void_sale(
        self, sale_id: str, session: StaffSession, approval: Authorization | None = None
    ) -> VoidResult:
        """Cancel an open sale; once money was taken it is a void that needs the ``void``
        permission or a manager's ``approval``, and every card payment is reversed first."""
        with self._uow(durable=False) as uow:
            sale = _load(uow, sale_id)
            slips = [s for s in uow.shifts.card_slips(sale.opened_at)
                     if s.sale_id == sale_id and not s.reversed]  # fmt: skip
        approved = approval is not None and approval.action == Action.VOID.value
        if sale.payments and not session.can(Action.VOID) and not approved:
            raise PermissionDenied(
                f"{session.name} ({session.role}) may not void a sale that has payments; "
                "a manager's PIN is needed.", permission=Action.VOID.value, role=session.role,
            )  # fmt: skip
        for slip in slips:  # a terminal that does not answer leaves the sale as it was
            self._acquirer.reverse(slip.ref)
        cancelled = self._sales.cancel_sale(sale_id)
        with self._uow() as uow:
            for slip in slips:
                uow.shifts.add_card_slip(replace(slip, reversed=True))
            uow.promo.drop_sale_promo(sale_id)
            uow.commit()
        cash = sum(p.amount for p in sale.payments if p.method is PaymentMethod.CASH)
        return VoidResult(cancelled.sale, cash, sum(s.amount for s in slips),
                          approval.staff_id if approval else None)  # fmt: skip

    def available_for_points(self, sale_id: str) -> PointsAllowance:
        with self._uow(durable=False) as uow:
            sale = _load(uow, sale_id)
            if sale.guest is None:
                raise NoGuest("Identify the guest first to pay with points.")
            guest_id = sale.guest.guest_id
            settings = loyalty_for(uow, guest_id, sale.id)
            payable = sum(line.total for line in sale.lines if line.product.payable_with_points)
            cap = settings.max_redemption.apply(payable)
            accounts = [a for a in uow.accounts.for_guest(guest_id) if a.kind == "bonus"]
            available = sum(a.available for a in accounts)
            guest = uow.guests.get(guest_id)
            group = uow.groups.get(guest.group_id) if guest and guest.group_id else None
            today = today_limits(uow, guest_id, group, self._clock.now(), sale.id)
            paid = sum(p.amount for p in sale.payments if p.method is PaymentMethod.POINTS)
            # a guest order's own hold paid part (order_hold_payment.py): those points are
            # already out of ``available`` (held) and not capped, so they do not count again
            own = paid - order_hold_points(uow, sale.id)
            room = max_redeemable(payable, settings, available, today.points_remaining)
            return PointsAllowance(sale.total, settings.max_redemption.bp, cap, available,
                                   today.points_remaining, paid,
                                   max(min(room - own, sale.due), 0))  # fmt: skip

    def accrual_estimate(self, sale_id: str) -> int:
        with self._uow(durable=False) as uow:
            return sale_accrual(uow, _load(uow, sale_id))

    def record(
        self, uow: UnitOfWork, sale: Sale, method: str, amount: int, change: int
    ) -> PaymentResult:
        """The end of every payment use case (this service's and ``PointsService``'s): the
        payment is on ``sale`` in ``uow``; a sale it settles is closed by
        ``sale_closing.close_sale``; then the one durable commit."""
        closed = sale.due == 0
        if closed:
            accrual = close_sale(uow, sale, self._clock, self._digits)
        else:
            uow.sales.save(sale)
            accrual = sale_accrual(uow, sale)
        uow.commit()
        return PaymentResult(SaleView.of(sale), method, amount, change, closed, accrual)


def _load(uow: UnitOfWork, sale_id: str) -> Sale:
    sale = uow.sales.get(sale_id)
    if sale is None:
        raise SaleNotFound(f"There is no sale {sale_id}.", sale_id=sale_id)
    return sale


def _balance_available(uow: UnitOfWork, sale: Sale) -> int:
    if sale.guest is None:
        raise NoGuest("Identify the guest first to pay from their balance.")
    guest_id = sale.guest.guest_id
    accounts = [a for a in uow.accounts.for_guest(guest_id) if a.kind == "balance"]
    if not accounts:
        raise InsufficientBalance("The guest has no balance account.", available=0)
    cached = sum(a.available for a in accounts)
    undelivered: int = sum(
        int(p["amount"]) for e in uow.outbox.pending(limit=10_000) if e.kind == SALE_CLOSED
        and (e.payload.get("guest") or {}).get("guest_id") == guest_id
        for p in e.payload.get("payments", ()) if p.get("method") == "balance"
    )  # fmt: skip
    this_sale = sum(p.amount for p in sale.payments if p.method is PaymentMethod.BALANCE)
    return max(cached - undelivered - this_sale, 0)

