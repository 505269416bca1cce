"""Paying a sale by cash, card (a real TCP fake terminal), balance, and a mix of them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pos_app.devices.acquiring import FakeCardTerminal, TcpAcquirer
from pos_app.domain.loyalty import PermissionDenied
from pos_app.domain.money import rub
from pos_app.domain.sale import NotPaidInFull, Overpayment, PaymentMethod
from pos_app.services.acquiring import (
    CardDeclined,
    CardPaymentUncertain,
    CardTerminalUnavailable,
)
from pos_app.services.payments import InsufficientBalance, NoGuest, PaymentService
from pos_app.services.staff import Action, StaffService, StaffSession
from tests.services.conftest import ANNA_CARD, Shop
from tests.services.fakes import FakeClock, FakeIds


@pytest.fixture
def terminal() -> Iterator[FakeCardTerminal]:
    card = FakeCardTerminal()
    card.start()
    yield card
    card.stop()


@pytest.fixture
def pay(shop: Shop, terminal: FakeCardTerminal) -> PaymentService:
    with shop.uow() as uow:
        uow.accounts.set_snapshot("anna-money", "anna", "balance", total=rub(200), held=0,
                                  at=FakeClock().now())
        uow.commit()
    acquirer = TcpAcquirer("127.0.0.1", terminal.port, timeout=0.5)
    return PaymentService(shop.uow, FakeClock(), FakeIds("pay"), shop.service, acquirer=acquirer)


def _anna_sale(shop: Shop) -> str:
    """Latte x2 + cake = 610 ₽, Anna's 10 % -> 549 ₽."""
    sale_id = shop.service.open_sale().sale_id
    shop.service.add_line(sale_id, product_id="latte", quantity=2)
    shop.service.add_line(sale_id, product_id="cake")
    shop.service.identify_guest(sale_id, identifier=ANNA_CARD)
    return sale_id


def test_a_mix_of_balance_card_and_cash_closes_the_sale_once(
    shop: Shop, pay: PaymentService, terminal: FakeCardTerminal
) -> None:
    sale_id = _anna_sale(shop)
    first = pay.pay_balance(sale_id, rub(150))
    assert (first.closed, first.sale.due) == (False, rub(399))
    assert pay.balance_available(sale_id) == rub(50)
    second = pay.pay_card(sale_id, rub(300))
    assert second.card is not None and second.card.card_mask == "****4242"
    assert terminal.approved_total == rub(300) and not second.closed
    last = pay.pay_cash(sale_id, rub(100))
    assert (last.closed, last.change, last.sale.status) == (True, rub(1), "closed")
    assert last.sale.receipt_no == "T1-000001"
    assert last.accrual_estimate == rub(27, 45)  # 5 % of 549 ₽ paid in money
    [closed] = shop.pending()
    assert closed.kind == "sale.closed"
    assert [(p["method"], p["amount"]) for p in closed.payload["payments"]] == [
        ("balance", rub(150)), ("card", rub(300)), ("cash", rub(99))]


def test_a_card_pays_everything_due_by_default(shop: Shop, pay: PaymentService) -> None:
    sale_id = _anna_sale(shop)
    result = pay.pay_card(sale_id)
    assert (result.amount, result.closed) == (rub(549), True)
    with shop.uow() as uow:
        [slip] = uow.shifts.card_slips(result.sale.opened_at)
    assert (slip.sale_id, slip.amount, slip.rrn) == (sale_id, rub(549), "000000000001")


def test_a_declined_card_charges_nothing_and_says_why(
    shop: Shop, pay: PaymentService, terminal: FakeCardTerminal
) -> None:
    sale_id = _anna_sale(shop)
    terminal.script.append("decline:insufficient_funds")
    with pytest.raises(CardDeclined, match="not enough money on the card"):
        pay.pay_card(sale_id)
    assert shop.service.get_sale(sale_id).due == rub(549) and terminal.approved_total == 0


def test_a_lost_answer_is_reversed_so_no_card_stays_charged(
    shop: Shop, pay: PaymentService, terminal: FakeCardTerminal
) -> None:
    sale_id = _anna_sale(shop)
    terminal.script.append("timeout")  # the terminal charges but its answer never arrives
    with pytest.raises(CardTerminalUnavailable, match="nothing was charged"):
        pay.pay_card(sale_id)
    [charge] = terminal.charges.values()
    assert charge.reversed and terminal.approved_total == 0
    assert shop.service.get_sale(sale_id).payments == ()
    assert pay.pay_card(sale_id).closed  # and the next try goes through


def test_a_hung_terminal_is_reported_as_uncertain(
    shop: Shop, pay: PaymentService, terminal: FakeCardTerminal
) -> None:
    sale_id = _anna_sale(shop)
    terminal.silent = True
    with pytest.raises(CardPaymentUncertain, match="Check the terminal's last slip"):
        pay.pay_card(sale_id)


def test_a_terminal_that_is_off_is_a_clear_error(shop: Shop, terminal: FakeCardTerminal) -> None:
    terminal.stop()
    pay = PaymentService(shop.uow, FakeClock(), FakeIds(), shop.service,
                         acquirer=TcpAcquirer("127.0.0.1", terminal.port, timeout=0.5))
    with pytest.raises(CardTerminalUnavailable, match="cannot be reached"):
        pay.pay_card(_anna_sale(shop))


def test_balance_beyond_the_cached_balance_is_refused_also_after_undelivered_sales(
    shop: Shop, pay: PaymentService
) -> None:
    sale_id = _anna_sale(shop)
    with pytest.raises(InsufficientBalance, match="only 200,00 ₽ on their balance"):
        pay.pay_balance(sale_id)
    pay.pay_balance(sale_id, rub(120))
    pay.pay_cash(sale_id, rub(500))
    second = _anna_sale(shop)  # the first sale's 120 ₽ has not reached the server yet
    assert pay.balance_available(second) == rub(80)
    with pytest.raises(InsufficientBalance, match="only 80,00 ₽"):
        pay.pay_balance(second, rub(81))


def test_balance_and_points_need_a_guest_and_overpaying_a_card_is_refused(
    shop: Shop, pay: PaymentService
) -> None:
    sale_id = shop.service.open_sale().sale_id
    shop.service.add_line(sale_id, product_id="latte")
    with pytest.raises(NoGuest, match="Identify the guest first"):
        pay.pay_balance(sale_id)
    with pytest.raises(NoGuest):
        pay.available_for_points(sale_id)
    with pytest.raises(Overpayment):
        pay.pay_card(sale_id, rub(181))
    with pytest.raises(NotPaidInFull):
        shop.service.close_sale(sale_id)


def test_points_allowance_shows_the_max_redemption_cap(shop: Shop, pay: PaymentService) -> None:
    sale_id = _anna_sale(shop)
    allowance = pay.available_for_points(sale_id)
    # 549 ₽, program max redemption 50 % -> 274,50 ₽, but Anna has 250 ₽ available
    assert (allowance.max_redemption_bp, allowance.cap_by_percent) == (5_000, rub(274, 50))
    assert (allowance.available, allowance.max_points) == (rub(250), rub(250))
    with shop.uow() as uow:
        uow.settings.set("loyalty.program", {"accrual_bp": 1_000, "max_redemption_bp": 2_000})
        sale = uow.sales.get(sale_id)
        assert sale is not None
        sale.pay(PaymentMethod.POINTS, rub(50), FakeClock().now())
        uow.sales.save(sale)
        uow.commit()
    allowance = pay.available_for_points(sale_id)
    assert (allowance.cap_by_percent, allowance.already_paid) == (rub(109, 80), rub(50))
    assert allowance.max_points == rub(59, 80)
    assert pay.accrual_estimate(sale_id) == 0  # nothing paid in money yet


def _cashier_and_manager(shop: Shop) -> tuple[StaffService, StaffSession]:
    staff = StaffService(shop.uow, FakeClock())
    staff.add_staff("c1", "Ирина", "cashier", "1111", bytes(16))
    staff.add_staff("m1", "Олег", "manager", "9999", bytes(range(16)))
    return staff, staff.sign_in("1111")


def test_a_void_with_payments_needs_a_manager_and_reverses_the_card(
    shop: Shop, pay: PaymentService, terminal: FakeCardTerminal
) -> None:
    staff, cashier = _cashier_and_manager(shop)
    sale_id = _anna_sale(shop)
    pay.pay_card(sale_id, rub(300))
    pay.pay_cash(sale_id, rub(100))
    with pytest.raises(PermissionDenied, match="may not void a sale that has payments"):
        pay.void_sale(sale_id, cashier)
    assert terminal.approved_total == rub(300)  # nothing happened
    approval = staff.authorize_manager("9999", Action.VOID)
    voided = pay.void_sale(sale_id, cashier, approval)
    assert (voided.sale.status, voided.cash_to_return, voided.card_reversed) == (
        "cancelled", rub(100), rub(300))
    assert voided.approved_by == "m1" and terminal.approved_total == 0
    assert [e.kind for e in shop.pending()] == ["sale.cancelled"]


def test_a_basket_without_payments_is_cancelled_by_the_cashier(
    shop: Shop, pay: PaymentService, terminal: FakeCardTerminal
) -> None:
    _, cashier = _cashier_and_manager(shop)
    sale_id = _anna_sale(shop)
    assert pay.void_sale(sale_id, cashier).sale.status == "cancelled"


def test_a_void_waits_for_the_terminal_to_reverse(
    shop: Shop, pay: PaymentService, terminal: FakeCardTerminal
) -> None:
    staff, _ = _cashier_and_manager(shop)
    manager = staff.sign_in("9999")
    sale_id = _anna_sale(shop)
    pay.pay_card(sale_id, rub(300))
    terminal.silent = True
    with pytest.raises(CardTerminalUnavailable):
        pay.void_sale(sale_id, manager)
    assert shop.service.get_sale(sale_id).status == "open"  # nothing cancelled


class _BrokenShifts:
    """Shift storage whose card-slip write fails (a full disk, say): after the charge."""

    def __init__(self, real: Any) -> None:
        self._real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def add_card_slip(self, slip: object) -> None:
        raise OSError("disk full")


class _BrokenUow:
    def __init__(self, uow: Any) -> None:
        self._uow = uow

    def __enter__(self) -> _BrokenUow:
        self._inner = self._uow.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._uow.__exit__(*exc)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._inner, name)
        return _BrokenShifts(value) if name == "shifts" else value


def test_a_charge_the_till_cannot_record_is_given_back(
    shop: Shop, terminal: FakeCardTerminal
) -> None:
    def broken(*, durable: bool = True) -> Any:
        return _BrokenUow(shop.uow(durable=durable))

    pay = PaymentService(broken, FakeClock(), FakeIds(), shop.service,
                         acquirer=TcpAcquirer("127.0.0.1", terminal.port, timeout=0.5))
    with pytest.raises(OSError, match="disk full"):
        pay.pay_card(_anna_sale(shop))
    assert terminal.approved_total == 0 and len(terminal.charges) == 1  # charged, given back
    second = _anna_sale(shop)
    original = terminal._answer

    def approve_then_hang(parts: list[str]) -> str | None:
        answer = original(parts)
        terminal.silent = parts[0] == "PAY"  # the reversal gets no answer
        return answer

    terminal._answer = approve_then_hang  # type: ignore[method-assign]
    with pytest.raises(CardPaymentUncertain, match="could not record it"):
        pay.pay_card(second)
