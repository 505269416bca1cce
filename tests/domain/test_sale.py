"""The Sale aggregate as a cashier uses it: lines, the guest's group discount, cash, close."""

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.domain.catalog import DiscountScope, Product
from pos_app.domain.money import Percent, rub
from pos_app.domain.pricing import GroupSnapshot, InvalidQuantity, SaleLine, price_lines
from pos_app.domain.sale import (
    EmptySale,
    GuestSnapshot,
    InvalidReceiptPrefix,
    LineNotFound,
    NothingDue,
    NotPaidInFull,
    Overpayment,
    PaymentMethod,
    PaymentStarted,
    Sale,
    SaleNotOpen,
    SaleStatus,
    format_receipt_no,
)

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
LATTE = Product("latte", "Латте", rub(180), group_id="coffee", tags=frozenset({"напитки"}))
HOUR = Product("pc-hour", "Час игры", rub(250), group_id="gaming")
CHIPS = Product("chips", "Чипсы", rub(90), group_id="snacks")
TEN = GroupSnapshot("g10", "10 %", Percent.of(10))
FIVE_ON_DRINKS = GroupSnapshot(
    "g5", "5 % на напитки", Percent.of(5), DiscountScope(tags=frozenset({"напитки"}))
)


def new_sale() -> Sale:
    return Sale.open("s1", "T1", NOW)


def guest(group: GroupSnapshot | None) -> GuestSnapshot:
    return GuestSnapshot("guest-1", "Анна Иванова", group, "msr")


def test_given_two_lattes_and_an_hour_when_priced_then_totals_add_up() -> None:
    sale = new_sale()
    sale.add_line(LATTE, 2)
    sale.add_line(HOUR)
    assert [line.total for line in sale.lines] == [rub(360), rub(250)]
    assert sale.totals.subtotal == rub(610)
    assert sale.total == rub(610)


def test_same_product_twice_adds_up_on_one_line() -> None:
    sale = new_sale()
    sale.add_line(LATTE)
    line = sale.add_line(LATTE, 3)
    assert len(sale.lines) == 1
    assert line.quantity == 4


def test_when_a_group_guest_is_identified_the_discount_applies_at_once() -> None:
    sale = new_sale()
    sale.add_line(LATTE, 2)
    sale.add_line(HOUR)
    sale.attach_guest(guest(TEN))
    assert sale.totals.discount == rub(61)
    assert sale.total == rub(549)
    assert sum(line.discount for line in sale.lines) == sale.totals.discount


def test_lines_added_after_identification_are_discounted_too() -> None:
    sale = new_sale()
    sale.attach_guest(guest(TEN))
    sale.add_line(CHIPS)
    assert sale.total == rub(81)


def test_scoped_discount_covers_only_the_lines_in_scope() -> None:
    sale = new_sale()
    sale.add_line(LATTE)
    sale.add_line(HOUR)
    sale.attach_guest(guest(FIVE_ON_DRINKS))
    latte, hour = sale.lines
    assert latte.discount == rub(9)
    assert hour.discount == 0
    assert sale.total == rub(421)


def test_discount_is_taken_of_the_covered_sum_once_then_allocated() -> None:
    # three lines of 0.33 ₽: 10 % of 0.99 ₽ is 0.10 ₽ (half-up of 9.9 kopecks); per line it
    # would be 3 x 0.03 ₽ = 0.09 ₽. The rule takes it of the sum and splits 4/3/3.
    items = [Product(f"p{i}", f"Товар {i}", 33) for i in range(3)]
    lines = [SaleLine(i + 1, p, 1, p.price) for i, p in enumerate(items)]
    priced = price_lines(lines, TEN)
    assert [line.discount for line in priced] == [4, 3, 3]


def test_a_guest_without_a_group_gets_no_discount() -> None:
    sale = new_sale()
    sale.add_line(LATTE)
    sale.attach_guest(guest(None))
    assert sale.totals.discount == 0


def test_cash_payment_gives_change_and_close_numbers_the_receipt() -> None:
    sale = new_sale()
    sale.add_line(LATTE, 2)
    sale.attach_guest(guest(TEN))
    payment = sale.pay_cash(rub(500), NOW)
    assert (payment.amount, payment.change, payment.tendered) == (rub(324), rub(176), rub(500))
    sale.close(format_receipt_no("T1", 42), NOW)
    assert sale.status is SaleStatus.CLOSED
    assert sale.receipt_no == "T1-000042"
    assert sale.due == 0


def test_partial_cash_leaves_an_amount_due_and_close_refuses() -> None:
    sale = new_sale()
    sale.add_line(HOUR)
    sale.pay_cash(rub(100), NOW)
    with pytest.raises(NotPaidInFull) as err:
        sale.close("T1-000001", NOW)
    assert err.value.details["due"] == rub(150)
    sale.pay_cash(rub(150), NOW)
    sale.close("T1-000001", NOW)
    assert sale.paid == rub(250)


def test_an_empty_sale_cannot_be_closed() -> None:
    with pytest.raises(EmptySale):
        new_sale().close("T1-000001", NOW)


def test_paying_when_nothing_is_due_is_refused() -> None:
    sale = new_sale()
    sale.add_line(CHIPS)
    sale.pay_cash(rub(90), NOW)
    with pytest.raises(NothingDue):
        sale.pay_cash(rub(10), NOW)


def test_a_card_payment_cannot_exceed_what_is_due() -> None:
    sale = new_sale()
    sale.add_line(CHIPS)
    with pytest.raises(Overpayment):
        sale.pay(PaymentMethod.CARD, rub(100), NOW)
    assert sale.pay(PaymentMethod.CARD, rub(90), NOW).change == 0


def test_lines_and_guest_freeze_once_a_payment_is_taken() -> None:
    sale = new_sale()
    sale.add_line(HOUR)
    sale.pay_cash(rub(50), NOW)
    with pytest.raises(PaymentStarted):
        sale.add_line(CHIPS)
    with pytest.raises(PaymentStarted):
        sale.attach_guest(guest(TEN))


def test_a_closed_sale_does_not_change() -> None:
    sale = new_sale()
    sale.add_line(CHIPS)
    sale.pay_cash(rub(90), NOW)
    sale.close("T1-000001", NOW)
    with pytest.raises(SaleNotOpen):
        sale.add_line(CHIPS)
    with pytest.raises(SaleNotOpen):
        sale.cancel(NOW)


def test_cancel_returns_the_money_taken() -> None:
    sale = new_sale()
    sale.add_line(HOUR)
    sale.pay_cash(rub(100), NOW)
    assert sale.cancel(NOW) == rub(100)
    assert sale.status is SaleStatus.CANCELLED


def test_remove_and_requantify_lines() -> None:
    sale = new_sale()
    first = sale.add_line(LATTE)
    second = sale.add_line(CHIPS)
    sale.set_quantity(first.line_no, 3)
    sale.remove_line(second.line_no)
    assert [(line.line_no, line.quantity) for line in sale.lines] == [(1, 3)]
    with pytest.raises(LineNotFound):
        sale.remove_line(second.line_no)
    assert sale.add_line(HOUR).line_no == 3  # line numbers are never reused


@pytest.mark.parametrize("quantity", [0, -1, 10_000])
def test_quantity_must_be_sensible(quantity: int) -> None:
    with pytest.raises(InvalidQuantity):
        new_sale().add_line(LATTE, quantity)


def test_receipt_numbers_carry_the_terminal_prefix() -> None:
    assert format_receipt_no("T2", 1) == "T2-000001"
    with pytest.raises(InvalidReceiptPrefix):
        format_receipt_no("t 2", 1)


def test_restored_sale_reprices_from_its_guest_snapshot() -> None:
    sale = new_sale()
    sale.add_line(LATTE, 2)
    sale.attach_guest(guest(TEN))
    copy = Sale(
        id=sale.id,
        terminal_id=sale.terminal_id,
        opened_at=sale.opened_at,
        lines=sale.lines,
        guest=sale.guest,
        next_line_no=sale.next_line_no,
    )
    assert copy.lines == sale.lines
    assert copy.totals == sale.totals


@settings(max_examples=200, deadline=None)
@given(
    prices=st.lists(st.integers(0, 5_000_000), min_size=1, max_size=8),
    quantities=st.lists(st.integers(1, 50), min_size=8, max_size=8),
    bp=st.integers(0, 10_000),
    scoped=st.lists(st.booleans(), min_size=8, max_size=8),
)
def test_line_discounts_always_add_up_to_the_percent_of_the_covered_sum(
    prices: list[int], quantities: list[int], bp: int, scoped: list[bool]
) -> None:
    products = [
        Product(f"p{i}", f"Товар {i}", price, group_id="in" if scoped[i] else "out")
        for i, price in enumerate(prices)
    ]
    group = GroupSnapshot("g", "g", Percent(bp), DiscountScope(product_group_ids=frozenset({"in"})))
    lines = [SaleLine(i + 1, p, quantities[i], p.price) for i, p in enumerate(products)]
    priced = price_lines(lines, group)
    covered_sum = sum(line.subtotal for line in priced if line.product.group_id == "in")
    assert sum(line.discount for line in priced) == Percent(bp).apply(covered_sum)
    assert all(line.discount == 0 for line in priced if line.product.group_id == "out")
    assert all(0 <= line.total <= line.subtotal for line in priced)
