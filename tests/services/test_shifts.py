"""Cash shifts: open with a count, cash in/out, X and Z reports, closing with waiting ops."""

from __future__ import annotations

from typing import Any

import pytest

from pos_app.domain.loyalty import PermissionDenied
from pos_app.domain.money import rub
from pos_app.services.shifts import (
    TERMINAL_NAME_KEY,
    CashDifference,
    NoOpenShift,
    NotEnoughCash,
    OperationsWaiting,
    ShiftAlreadyOpen,
    report_lines,
)
from pos_app.services.staff import StaffSession, WrongPin
from pos_app.services.till import TillServices
from tests.services.conftest import ANNA_CARD, Shop
from tests.services.fakes import FakeClock, FakeIds

SALT = bytes(range(16))


class Till:
    def __init__(self, shop: Shop) -> None:
        till = TillServices.build(shop.uow, FakeClock(), FakeIds())  # one clock for all
        self.staff, self.shifts, self.sales, self.pay = (
            till.staff, till.shifts, till.sales, till.payments)  # fmt: skip
        self.staff.add_staff("c1", "Ирина", "cashier", "1111", SALT)
        self.staff.add_staff("m1", "Олег", "manager", "9999", SALT)
        self.cashier: StaffSession = self.staff.sign_in("1111")
        self.shop = shop

    def sell(self, product: str, *, guest: bool = False, cash: int | None = None) -> str:
        sale_id = self.sales.open_sale().sale_id
        self.sales.add_line(sale_id, product_id=product)
        if guest:
            self.sales.identify_guest(sale_id, identifier=ANNA_CARD)
        due = self.sales.get_sale(sale_id).due
        self.pay.pay_cash(sale_id, cash or due)
        return sale_id

    def deliver_all(self) -> None:
        """What the sync worker does once the server applied everything."""
        with self.shop.uow() as typed:
            uow: Any = typed  # either store: reach past the port on purpose
            data = getattr(uow, "work", None)
            if data is not None:  # the fakes
                data.outbox = [e for e in data.outbox if e.status != "pending"]
            else:
                uow.connection.exec_driver_sql("UPDATE outbox SET status = 'applied'")
            uow.commit()


@pytest.fixture
def till(shop: Shop) -> Till:
    return Till(shop)


def test_open_sell_move_cash_and_close_with_the_counted_drawer(till: Till, shop: Shop) -> None:
    view = till.shifts.open_shift(till.cashier, rub(5_000))
    assert (view.number, view.expected_cash) == (1, rub(5_000))
    till.sell("latte", cash=rub(200))  # 180 ₽ kept, 20 ₽ change
    till.sell("cake", guest=True)  # Anna: 10 % off -> 225 ₽
    cancelled = till.sales.open_sale().sale_id
    till.sales.add_line(cancelled, product_id="pc-hour")
    till.pay.pay_cash(cancelled, rub(100))
    till.sales.cancel_sale(cancelled)  # 100 ₽ handed back: a refund
    till.shifts.cash_in(till.cashier, rub(1_000), "размен")
    assert till.shifts.cash_out(till.cashier, rub(300), "инкассация").expected_cash == rub(6_105)
    x = till.shifts.x_report()
    assert (x.kind, x.sales_count, x.sales_total, x.discounts) == ("X", 2, rub(405), rub(25))
    assert dict(x.by_method)["cash"] == rub(405)
    assert (x.refunds_count, x.refunds_total) == (1, rub(100))
    assert x.points_earned_estimate == rub(11, 25)  # 5 % of Anna's 225 ₽
    assert till.shifts.current() is not None
    with shop.uow() as uow:
        uow.settings.set(TERMINAL_NAME_KEY, "Бар")
        uow.commit()
    till.deliver_all()
    with pytest.raises(CashDifference, match=r"expected 6.105,00 ₽: 5,00 ₽ short") as short:
        till.shifts.close_shift(till.cashier, rub(6_100))  # a blind count that differs
    assert short.value.details == {"expected": rub(6_105), "counted": rub(6_100),
                                   "difference": rub(-5)}  # fmt: skip
    assert till.shifts.current() is not None and shop.pending() == []
    z = till.shifts.close_shift(till.cashier, rub(6_100), reason="  сдача без монет ")
    assert (z.kind, z.expected_cash, z.counted_cash, z.difference) == ("Z", rub(6_105),
                                                                      rub(6_100), rub(-5))
    assert till.shifts.current() is None
    [closed] = shop.pending()
    assert closed.kind == "shift.closed"
    assert closed.payload["difference"] == rub(-5) and closed.payload["authorization"] is None
    assert closed.payload["difference_reason"] == "сдача без монет"
    assert [(m["kind"], m["amount"], m["reason"]) for m in closed.payload["movements"]] == [
        ("in", rub(1_000), "размен"), ("out", rub(300), "инкассация")]
    text = "\n".join(report_lines(z))
    assert "Z-ОТЧЁТ" in text and "Расхождение" in text and "-5,00 ₽" in text
    assert "Причина: сдача без монет" in text
    assert "размен" in text and "+1\u00a0000,00 ₽" in text and "-300,00 ₽" in text
    assert "Смена № 1, касса Бар" in text  # the till's name (set above), not its id
    assert all(len(line) <= 42 for line in report_lines(z))


def test_reports_name_the_till_not_its_id(till: Till, shop: Shop) -> None:
    till.shifts.open_shift(till.cashier, 0)
    assert till.shifts.x_report().terminal_name == "T1"  # no name set: the receipt prefix
    with shop.uow() as uow:
        uow.settings.set(TERMINAL_NAME_KEY, "Бар")
        uow.commit()
    x = till.shifts.x_report()
    assert x.terminal_name == "Бар" and "касса Бар" in report_lines(x)[1]


def test_closing_with_operations_waiting_needs_a_manager(till: Till, shop: Shop) -> None:
    till.shifts.open_shift(till.cashier, 0)
    till.sell("latte")
    with pytest.raises(OperationsWaiting, match="2 operations have not reached the server"):
        till.shifts.close_shift(till.cashier, rub(180))
    with pytest.raises(PermissionDenied):
        till.shifts.close_shift(till.cashier, rub(180), manager_pin="1111")
    with pytest.raises(WrongPin):
        till.shifts.close_shift(till.cashier, rub(180), manager_pin="5555")
    assert till.shifts.current() is not None
    z = till.shifts.close_shift(till.cashier, rub(180), manager_pin="9999")
    assert (z.pending_operations, z.authorized_by, z.difference) == (2, "m1", 0)
    closed = shop.pending()[-1]
    assert closed.payload["authorization"]["staff_id"] == "m1"


def test_shift_rules_are_said_plainly(till: Till, shop: Shop) -> None:
    with pytest.raises(NoOpenShift, match="No shift is open"):
        till.shifts.x_report()
    till.shifts.open_shift(till.cashier, rub(100))
    with pytest.raises(ShiftAlreadyOpen, match="Shift 1 is still open"):
        till.shifts.open_shift(till.cashier, 0)
    with pytest.raises(NotEnoughCash, match="Only 100,00 ₽ should be in the drawer"):
        till.shifts.cash_out(till.cashier, rub(101))
    [opened] = shop.pending()
    assert (opened.kind, opened.payload["opening_cash"], opened.payload["number"]) == (
        "shift.opened", rub(100), 1)
    till.deliver_all()
    till.shifts.close_shift(till.cashier, rub(100))
    assert till.shifts.open_shift(till.cashier, rub(100)).number == 2
