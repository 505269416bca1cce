"""Refunds of closed sales: a manager's approval, card reversal first, once per sale, and the
shift's drawer and reports (fakes and real SQLite, the fake card terminal over TCP)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from pos_app.devices.acquiring import FakeCardTerminal, TcpAcquirer
from pos_app.domain.loyalty import PermissionDenied
from pos_app.domain.money import rub
from pos_app.domain.refunds import PartialCardRefund, RefundTooLarge
from pos_app.services.acquiring import CardTerminalUnavailable
from pos_app.services.refunds import AlreadyRefunded, SaleNotClosed
from pos_app.services.sales import SaleNotFound
from pos_app.services.staff import Action
from pos_app.services.till import TillServices
from tests.services.conftest import ANNA_CARD, TEN, Shop
from tests.services.fakes import FakeClock, FakeIds


class Counter:
    def __init__(self, shop: Shop, terminal: FakeCardTerminal) -> None:
        acquirer = TcpAcquirer("127.0.0.1", terminal.port, timeout=0.5)
        clock, ids = FakeClock(), FakeIds("t")
        self.till = TillServices.build(shop.uow, clock, ids, acquirer=acquirer)
        self.refunds = self.till.refunds
        self.till.staff.add_staff("c1", "Ирина", "cashier", "1111", bytes(16))
        self.till.staff.add_staff("m1", "Олег", "manager", "9999", bytes(range(16)))
        self.cashier = self.till.staff.sign_in("1111")
        with shop.uow() as uow:
            uow.accounts.set_snapshot("anna-money", "anna", "balance", total=rub(500), held=0,
                                      at=clock.now())
            uow.commit()

    def sale(self) -> str:
        """Anna: 2 lattes + cake = 549 ₽ after 10 %; 100 ₽ balance, 300 ₽ card, 149 ₽ cash."""
        sales, pay = self.till.sales, self.till.payments
        sale_id = sales.open_sale().sale_id
        sales.add_line(sale_id, product_id="latte", quantity=2)
        sales.add_line(sale_id, product_id="cake")
        sales.identify_guest(sale_id, identifier=ANNA_CARD)
        pay.pay_balance(sale_id, rub(100))
        pay.pay_card(sale_id, rub(300))
        assert pay.pay_cash(sale_id, rub(149)).closed
        return sale_id


@pytest.fixture
def terminal() -> Iterator[FakeCardTerminal]:
    card = FakeCardTerminal()
    card.start()
    yield card
    card.stop()


@pytest.fixture
def counter(shop: Shop, terminal: FakeCardTerminal) -> Counter:
    return Counter(shop, terminal)


def test_a_manager_refunds_a_receipt_once_and_the_card_is_given_back(
    counter: Counter, shop: Shop, terminal: FakeCardTerminal
) -> None:
    counter.till.shifts.open_shift(counter.cashier, rub(1_000))
    sale_id = counter.sale()
    receipt = counter.till.sales.get_sale(sale_id).receipt_no
    assert receipt is not None
    with pytest.raises(PermissionDenied, match="may not make a refund"):
        counter.refunds.refund_sale(counter.cashier, receipt_no=receipt)
    approval = counter.till.staff.authorize_manager("9999", Action.REFUND)
    done = counter.refunds.refund_sale(counter.cashier, receipt_no=receipt.lower(),
                                       approval=approval, reason="гость передумал")
    assert (done.cash_to_return, done.card_reversed, done.balance_returned) == (
        rub(149), rub(300), rub(100))
    assert done.approved_by == "m1" and terminal.approved_total == 0
    with pytest.raises(AlreadyRefunded, match=f"Receipt {receipt} was already refunded"):
        counter.refunds.refund_sale(counter.till.staff.sign_in("9999"), sale_id=sale_id)
    refunded = shop.pending()[-1]
    assert refunded.kind == "sale.refunded"
    assert refunded.payload["payments"] == [
        {"method": "cash", "amount": rub(149)}, {"method": "card", "amount": rub(300)},
        {"method": "balance", "amount": rub(100)}]
    assert refunded.payload["authorization"]["staff_id"] == "m1"
    x = counter.till.shifts.x_report()
    assert (x.refunds_count, x.refunds_total, x.expected_cash) == (1, rub(549), rub(1_000))


def test_only_closed_known_sales_are_refunded(counter: Counter, shop: Shop) -> None:
    manager = counter.till.staff.sign_in("9999")
    open_sale = counter.till.sales.open_sale().sale_id
    counter.till.sales.add_line(open_sale, product_id="latte")
    with pytest.raises(SaleNotClosed, match="this one is open"):
        counter.refunds.refund_sale(manager, sale_id=open_sale)
    with pytest.raises(SaleNotFound, match="no receipt T1-999999"):
        counter.refunds.refund_sale(manager, receipt_no="T1-999999")


def test_a_silent_terminal_refunds_nothing(
    counter: Counter, shop: Shop, terminal: FakeCardTerminal
) -> None:
    sale_id = counter.sale()
    terminal.silent = True
    with pytest.raises(CardTerminalUnavailable):
        counter.refunds.refund_sale(counter.till.staff.sign_in("9999"), sale_id=sale_id)
    assert [e.kind for e in shop.pending()] == ["sale.closed"]
    terminal.silent = False
    assert counter.refunds.refund_sale(counter.till.staff.sign_in("9999"),
                                       sale_id=sale_id).card_reversed == rub(300)


def test_a_receipt_is_found_previewed_and_refunded_by_line_then_the_rest(
    counter: Counter, shop: Shop, terminal: FakeCardTerminal
) -> None:
    counter.till.shifts.open_shift(counter.cashier, rub(1_000))
    sale_id = counter.sale()
    receipt = counter.till.sales.get_sale(sale_id).receipt_no
    assert receipt is not None and receipt.endswith("000001")
    [today] = counter.refunds.today()
    assert (today.receipt_no, today.total, today.refunded) == (receipt, rub(549), 0)
    for code in (receipt, "1", f"receipt:{receipt}"):  # typed, short number, the QR's code
        assert counter.refunds.find(code).sale_id == sale_id
    preview = counter.refunds.find("1")
    assert [(x.name, x.quantity, x.total, x.left_quantity) for x in preview.lines] == [
        ("Латте", 2, rub(324), 2), ("Чизкейк", 1, rub(225), 1)]
    manager = counter.till.staff.sign_in("9999")
    with pytest.raises(RefundTooLarge):
        counter.refunds.refund(manager, sale_id, {1: 3})
    with pytest.raises(PartialCardRefund):
        counter.refunds.refund(manager, sale_id, {2: 1, 1: 1})  # 387 ₽: 249 + part of the card
    one = counter.refunds.refund(manager, sale_id, {1: 1}, reason="пролил")
    assert (one.cash_to_return, one.balance_returned, one.card_reversed) == (
        rub(96, 94), rub(65, 6), 0)
    assert not one.whole_sale_refunded and terminal.approved_total == rub(300)
    assert one.receipt is not None
    assert [(x.name, x.quantity, x.amount) for x in one.receipt.lines] == [
        ("Латте", 1, rub(162))]
    op = shop.pending()[-1]
    assert op.kind == "sale.refunded" and op.payload["lines"] == [
        {"line_no": 1, "quantity": 1, "amount": rub(162)}]
    assert [x.left_quantity for x in counter.refunds.preview(sale_id).lines] == [1, 1]
    assert counter.refunds.today()[0].refunded == rub(162)
    rest = counter.refunds.refund_sale(manager, receipt_no=receipt)
    assert (rest.cash_to_return, rest.balance_returned, rest.card_reversed) == (
        rub(52, 6), rub(34, 94), rub(300))
    assert rest.whole_sale_refunded and terminal.approved_total == 0
    assert counter.refunds.preview(sale_id).fully_refunded
    with pytest.raises(AlreadyRefunded):
        counter.refunds.refund(manager, sale_id, {1: 1})
    x = counter.till.shifts.x_report()
    assert (x.refunds_count, x.refunds_total, x.expected_cash) == (2, rub(549), rub(1_000))
    assert x.points_earned_estimate == 0  # the refunded sale earns nothing any more


def test_the_x_report_does_not_count_points_of_a_refunded_sale(
    counter: Counter, shop: Shop
) -> None:
    with shop.uow() as uow:
        uow.groups.add(replace(TEN, offline_allowance=rub(1_000)))  # Anna has 250 ₽ free
        uow.commit()
    counter.till.shifts.open_shift(counter.cashier, 0)
    sales = counter.till.sales
    sale_id = sales.open_sale().sale_id
    sales.add_line(sale_id, product_id="latte", quantity=2)  # 324 ₽ after 10 %
    sales.identify_guest(sale_id, identifier=ANNA_CARD)
    counter.till.points.pay_points(sale_id, rub(100), offline=True)
    counter.till.payments.pay_cash(sale_id, rub(224))
    before = counter.till.shifts.x_report()
    assert before.points_spent == rub(100) and before.points_earned_estimate > 0
    manager = counter.till.staff.sign_in("9999")
    half = counter.refunds.refund(manager, sale_id, {1: 1})  # 162 ₽: cash and points pro rata
    assert half.points_returned and half.points_returned + half.cash_to_return == rub(162)
    mid = counter.till.shifts.x_report()
    assert mid.points_spent == rub(100) - half.points_returned
    assert 0 < mid.points_earned_estimate < before.points_earned_estimate
    counter.refunds.refund(manager, sale_id, None)
    after = counter.till.shifts.x_report()
    assert (after.points_spent, after.points_earned_estimate) == (0, 0)
