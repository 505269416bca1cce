"""Deposit top-ups at the till (issue 17, point 2): a guest pays money onto their balance
account by cash (with change) or by card (through the acquirer port), and a manager can give
a top-up back by the same method.

API (``by``: the signed-in ``StaffSession``; ``DomainError`` on refusal)::

    deposits = DepositService(uow_factory, clock, ids, acquirer=TcpAcquirer(...))
    deposits.top_up_cash(by, guest_id, amount, tendered)   # -> TopUpResult (change, slip)
    deposits.top_up_card(by, guest_id, amount)              # -> TopUpResult
    deposits.refund(by, top_up_id, reason)                  # -> TopUpResult (a manager's)
    deposits.of_guest(guest_id)                              # -> [TopUpRecord], newest first
    deposits.available(guest_id)                             # -> kopecks the till may give back

A top-up is one durable unit of work: the local record (the shift reports list it as a
deposit, never revenue; cash counts in the drawer) and ``balance.topped_up`` (``ref``: the
top-up's id) - so it works offline and reaches the server once through the outbox. It needs an
open shift (the money goes into this shift's drawer) and stays within the role's limits
(``domain.balance.top_up_problem`` with the server's programme settings, ``top_up_limits``;
the server checks the same).

A refund is a manager's debit of the deposit through ``account.adjusted`` (audited on the
server; its ``adjustment_id`` is derived from the top-up's id, so one top-up is given back at
most once), refused here unless the deposit as the till knows it (the cached balance, plus the
top-ups and less the debits it has not delivered yet) still covers it; the server refuses it
too when its balance does not. A card top-up goes back by reversing its charge at the terminal
first: a terminal that does not answer leaves nothing recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

from pos_app.domain.balance import InsufficientBalance, top_up_problem
from pos_app.domain.errors import DomainError
from pos_app.domain.guest_card import Permission, require_reason
from pos_app.domain.money import format_money, require_amount
from pos_app.domain.operations import AccountAdjusted, BalanceToppedUp
from pos_app.services.acquiring import (
    NO_ACQUIRER,
    Acquirer,
    CardPaymentUncertain,
    CardTerminalUnavailable,
)
from pos_app.services.deposit_balance import deposit_available
from pos_app.services.guest_card import Actor, require
from pos_app.services.ports import Clock, IdGenerator, UnitOfWork, UnitOfWorkFactory
from pos_app.services.ports_till import TopUpRecord
from pos_app.services.programme_settings import top_up_limits
from pos_app.services.sale_errors import GuestNotFound
from pos_app.services.shifts import NoOpenShift, terminal_name
from pos_app.services.slips import SlipHeader, top_up_slip
from pos_app.services.venue_time import venue_zone_name


class TopUpRefused(DomainError):
    code = "top_up_refused"


class NotEnoughTendered(DomainError):
    code = "not_enough_tendered"


class TopUpNotFound(DomainError):
    code = "top_up_not_found"


class TopUpAlreadyRefunded(DomainError):
    code = "top_up_already_refunded"


@dataclass(frozen=True, slots=True)
class TopUpResult:
    """What the cashier hands over (``change``, or the refund's cash) and the slip to print."""

    top_up: TopUpRecord
    change: int
    balance_after: int  # as the till expects it
    slip: tuple[str, ...]


def refund_adjustment_id(top_up_id: str) -> str:
    """The refund's ``account.adjusted`` id: one per top-up, whoever asks twice."""
    return f"top-up-refund:{top_up_id}"[:64]


class DepositService:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock, ids: IdGenerator, *,
                 acquirer: Acquirer = NO_ACQUIRER) -> None:  # fmt: skip
        self._uow, self._clock, self._ids, self._acquirer = uow_factory, clock, ids, acquirer

    def of_guest(self, guest_id: str) -> list[TopUpRecord]:
        with self._uow(durable=False) as uow:
            return list(uow.shifts.guest_top_ups(guest_id))

    def available(self, guest_id: str) -> int:
        with self._uow(durable=False) as uow:
            return deposit_available(uow, guest_id)

    def top_up_cash(self, by: Actor, guest_id: str, amount: int, tendered: int) -> TopUpResult:
        """Cash into the drawer: ``tendered`` is what the guest handed over (at least
        ``amount``); the change is the rest."""
        require_amount(amount, "top-up amount", allow_zero=False)
        if tendered < amount:
            raise NotEnoughTendered(
                f"{format_money(tendered)} handed over is less than the top-up of "
                f"{format_money(amount)}.", tendered=tendered, amount=amount)  # fmt: skip
        self._check(by, guest_id, amount)
        return self._record(by, guest_id, "cash", amount, tendered=tendered, card_ref=None)

    def top_up_card(self, by: Actor, guest_id: str, amount: int) -> TopUpResult:
        """Charge a bank card at the terminal, then record; a charge the till could not
        record is reversed (as a sale's card payment)."""
        require_amount(amount, "top-up amount", allow_zero=False)
        self._check(by, guest_id, amount)
        ref = self._ids.new_id()
        _charge(self._acquirer, ref, amount)
        try:
            return self._record(by, guest_id, "card", amount, tendered=0, card_ref=ref)
        except Exception:
            self._acquirer.reverse(ref)
            raise

    def refund(self, by: Actor, top_up_id: str, reason: str) -> TopUpResult:
        """Give a top-up back by its method (a manager's): cash from the drawer, or the card
        charge reversed; the deposit debited through ``account.adjusted``."""
        require(by, Permission.ADJUST_ACCOUNTS)
        reason = require_reason(reason)
        with self._uow(durable=False) as uow:
            top_up = self._refundable(uow, top_up_id)
            _open_shift(uow)
        if top_up.method == "card":
            assert top_up.card_ref is not None
            if not self._acquirer.reverse(top_up.card_ref):
                raise CardTerminalUnavailable("The terminal did not give the card payment back.")
        now = self._clock.now()
        with self._uow() as uow:
            top_up = self._refundable(uow, top_up_id)
            after = deposit_available(uow, top_up.guest_id) - top_up.amount
            refunded = replace(top_up, refunded_at=now, refunded_by=by.staff_id)
            uow.shifts.save_top_up(refunded)
            uow.outbox.append(AccountAdjusted(
                adjustment_id=refund_adjustment_id(top_up_id), guest_id=top_up.guest_id,
                account="money", direction="debit", amount=top_up.amount,
                staff_id=by.staff_id, reason=f"top-up refund: {reason}"[:200]))  # fmt: skip
            slip = top_up_slip(_header(uow, by, top_up.guest_id, now), method=top_up.method,
                               amount=top_up.amount, tendered=0, change=0,
                               balance_after=after, refund=True, reason=reason)  # fmt: skip
            uow.commit()
        return TopUpResult(refunded, top_up.amount if top_up.method == "cash" else 0, after,
                           tuple(slip))  # fmt: skip

    def _refundable(self, uow: UnitOfWork, top_up_id: str) -> TopUpRecord:
        top_up = uow.shifts.top_up(top_up_id)
        if top_up is None:
            raise TopUpNotFound("There is no such top-up on this till.", top_up_id=top_up_id)
        if top_up.refunded_at is not None:
            raise TopUpAlreadyRefunded("This top-up was given back already.",
                                       top_up_id=top_up_id)  # fmt: skip
        available = deposit_available(uow, top_up.guest_id)
        if available < top_up.amount:
            raise InsufficientBalance(
                f"The deposit has only {format_money(max(available, 0))} left; the top-up of "
                f"{format_money(top_up.amount)} cannot be given back.",
                available=available, requested=top_up.amount)  # fmt: skip
        return top_up

    def _check(self, by: Actor, guest_id: str, amount: int) -> None:
        with self._uow(durable=False) as uow:
            _guest_name(uow, guest_id)
            _open_shift(uow)
            today = self._clock.now().astimezone(UTC).replace(hour=0, minute=0, second=0,
                                                               microsecond=0)  # fmt: skip
            earlier = sum(t.amount for t in uow.shifts.top_ups(today)
                          if t.staff_id == by.staff_id and t.at >= today)  # fmt: skip
            limits = top_up_limits(uow)  # the server's programme settings (top_up)
        problem = top_up_problem(by.role, amount, earlier_today=earlier, limits=limits)
        if problem is not None:
            raise TopUpRefused(problem, amount=amount)

    def _record(self, by: Actor, guest_id: str, method: str, amount: int, *, tendered: int,
                card_ref: str | None) -> TopUpResult:  # fmt: skip
        now = self._clock.now()
        with self._uow() as uow:
            _open_shift(uow)
            after = deposit_available(uow, guest_id) + amount
            top_up = TopUpRecord(self._ids.new_id(), guest_id, method, amount, now,
                                 by.staff_id, card_ref)  # fmt: skip
            uow.shifts.save_top_up(top_up)
            uow.outbox.append(
                BalanceToppedUp(
                    guest_id=guest_id, amount=amount, ref=top_up.top_up_id, staff_id=by.staff_id
                )
            )
            change = tendered - amount if method == "cash" else 0
            slip = top_up_slip(
                _header(uow, by, guest_id, now),
                method=method,
                amount=amount,
                tendered=tendered,
                change=change,
                balance_after=after,
            )
            uow.commit()
        return TopUpResult(top_up, change, after, tuple(slip))


def _charge(acquirer: Acquirer, ref: str, amount: int) -> None:
    """Charge, and on a lost answer reverse the reference (as ``PaymentService`` does): the
    card is never left charged for a top-up the till did not record."""
    try:
        acquirer.charge(ref, amount)
    except CardTerminalUnavailable as lost:
        if not lost.details.get("sent", True):
            raise
        try:
            acquirer.reverse(ref)
        except CardTerminalUnavailable as again:
            raise CardPaymentUncertain(
                "The card terminal stopped answering, so it is not known whether the card "
                "was charged. Check the terminal's last slip before charging again.",
                ref=ref, amount=amount) from again  # fmt: skip
        raise CardTerminalUnavailable(
            f"{lost.message} The top-up was cancelled: nothing was charged.",
            ref=ref, amount=amount) from lost  # fmt: skip


def _open_shift(uow: UnitOfWork) -> None:
    if uow.shifts.current(uow.terminal.info().terminal_id) is None:
        raise NoOpenShift("No shift is open on this till; open one with a cash count first.")


def _guest_name(uow: UnitOfWork, guest_id: str) -> str:
    guest = uow.guests.get(guest_id)
    if guest is None:
        raise GuestNotFound("There is no such guest on this till.", guest_id=guest_id)
    return guest.name


def _header(uow: UnitOfWork, by: Actor, guest_id: str, at: datetime) -> SlipHeader:
    return SlipHeader(
        terminal_name(uow), venue_zone_name(uow), at, by.name, _guest_name(uow, guest_id)
    )
