"""Deposit top-ups at the till (issue 17, point 2) on the fakes and on real SQLite: cash with
change and card through the acquirer port, each queued as ``balance.topped_up`` with its local
record in one unit of work; the shift's X/Z lists them as deposits, not revenue, and counts
the cash in the drawer; a manager gives one back by the same method through an audited
``account.adjusted``, refused when the deposit no longer covers it."""

from __future__ import annotations

import pytest

from pos_app.domain.balance import InsufficientBalance
from pos_app.domain.loyalty import PermissionDenied
from pos_app.domain.money import rub
from pos_app.services.acquiring import CardApproval, CardDeclined, CardTerminalUnavailable
from pos_app.services.deposits import (
    DepositService,
    NotEnoughTendered,
    TopUpAlreadyRefunded,
    TopUpRefused,
    refund_adjustment_id,
)
from pos_app.services.shifts import NoOpenShift, report_lines
from pos_app.services.staff import StaffSession
from pos_app.services.till import TillServices
from tests.services.conftest import Shop
from tests.services.fakes import FakeClock, FakeIds

SALT = bytes(range(16))


class Terminal:
    """A card terminal: approves, or declines, or loses the answer; remembers reversals."""

    def __init__(self) -> None:
        self.charged: dict[str, int] = {}
        self.reversed: list[str] = []
        self.fail: Exception | None = None

    def charge(self, ref: str, amount: int) -> CardApproval:
        if self.fail is not None:
            raise self.fail
        self.charged[ref] = amount
        return CardApproval(ref, amount, "A1", "RRN1", "**** 4242")

    def reverse(self, ref: str) -> bool:
        self.reversed.append(ref)
        self.charged.pop(ref, None)
        return True


class Till:
    def __init__(self, shop: Shop) -> None:
        self.terminal = Terminal()
        till = TillServices.build(shop.uow, FakeClock(), FakeIds(), acquirer=self.terminal)
        self.shop, self.shifts, self.deposits = shop, till.shifts, till.deposits
        till.staff.add_staff("c1", "Ирина", "cashier", "1111", SALT)
        till.staff.add_staff("m1", "Олег", "manager", "9999", SALT)
        self.cashier: StaffSession = till.staff.sign_in("1111")
        self.manager: StaffSession = till.staff.sign_in("9999")

    def ops(self, kind: str) -> list[dict[str, object]]:
        return [dict(e.payload) for e in self.shop.pending() if e.kind == kind]


@pytest.fixture
def till(shop: Shop) -> Till:
    return Till(shop)


def test_a_top_up_needs_an_open_shift(till: Till) -> None:
    with pytest.raises(NoOpenShift):
        till.deposits.top_up_cash(till.cashier, "anna", rub(500), rub(500))
    assert till.shop.pending() == []


def test_cash_top_up_gives_change_queues_the_operation_and_prints_a_slip(till: Till) -> None:
    till.shifts.open_shift(till.cashier, rub(1000))
    result = till.deposits.top_up_cash(till.cashier, "anna", rub(500), rub(1000))
    assert (result.change, result.balance_after) == (rub(500), rub(500))
    [op] = till.ops("balance.topped_up")
    assert op == {"guest_id": "anna", "amount": rub(500), "ref": result.top_up.top_up_id,
                  "staff_id": "c1"}  # fmt: skip
    slip = "\n".join(result.slip)
    assert "ПОПОЛНЕНИЕ ДЕПОЗИТА" in slip and "Анна Смирнова" in slip and "Ирина" in slip
    assert "Сдача" in slip and "500,00" in slip
    assert till.deposits.available("anna") == rub(500)  # the undelivered top-up counts


def test_the_shift_report_lists_deposits_apart_from_revenue(till: Till) -> None:
    till.shifts.open_shift(till.cashier, rub(1000))
    till.deposits.top_up_cash(till.cashier, "anna", rub(500), rub(500))
    till.deposits.top_up_card(till.cashier, "anna", rub(300))
    report = till.shifts.x_report()
    assert (report.sales_count, report.sales_total) == (0, 0)  # not revenue
    assert dict(report.deposits) == {"cash": rub(500), "card": rub(300)}
    assert report.deposits_count == 2
    assert till.shifts.current().expected_cash == rub(1500)  # type: ignore[union-attr]
    text = "\n".join(report_lines(report))
    assert "Депозиты, не выручка (2)" in text and "800,00" in text
    z = till.shifts.close_shift(till.cashier, rub(1500), manager_pin="9999")
    assert dict(z.deposits) == {"cash": rub(500), "card": rub(300)}
    assert (z.expected_cash, z.difference) == (rub(1500), 0)


def test_card_top_up_charges_the_terminal_and_a_decline_records_nothing(till: Till) -> None:
    till.shifts.open_shift(till.cashier, 0)
    result = till.deposits.top_up_card(till.cashier, "anna", rub(300))
    assert till.terminal.charged == {result.top_up.card_ref: rub(300)}
    assert result.change == 0
    till.terminal.fail = CardDeclined("Declined.")
    with pytest.raises(CardDeclined):
        till.deposits.top_up_card(till.cashier, "anna", rub(100))
    till.terminal.fail = CardTerminalUnavailable("No answer.", sent=True)
    with pytest.raises(CardTerminalUnavailable, match="nothing was charged"):
        till.deposits.top_up_card(till.cashier, "anna", rub(100))
    assert len(till.terminal.reversed) == 1
    assert len(till.ops("balance.topped_up")) == 1


def test_refusals_leave_nothing_behind(till: Till) -> None:
    till.shifts.open_shift(till.cashier, 0)
    with pytest.raises(NotEnoughTendered):
        till.deposits.top_up_cash(till.cashier, "anna", rub(500), rub(400))
    with pytest.raises(TopUpRefused):  # beyond a cashier's one top-up
        till.deposits.top_up_cash(till.cashier, "anna", rub(20_000), rub(20_000))
    assert till.ops("balance.topped_up") == []


def test_a_manager_refunds_a_cash_top_up_once(till: Till) -> None:
    till.shifts.open_shift(till.cashier, rub(1000))
    top_up = till.deposits.top_up_cash(till.cashier, "anna", rub(500), rub(500)).top_up
    with pytest.raises(PermissionDenied):
        till.deposits.refund(till.cashier, top_up.top_up_id, "передумал")
    back = till.deposits.refund(till.manager, top_up.top_up_id, "передумал")
    assert (back.change, back.balance_after) == (rub(500), 0)  # the cash handed back
    [op] = till.ops("account.adjusted")
    assert op["adjustment_id"] == refund_adjustment_id(top_up.top_up_id)
    assert (op["account"], op["direction"], op["amount"], op["staff_id"]) == (
        "money", "debit", rub(500), "m1")  # fmt: skip
    assert "ВОЗВРАТ ПОПОЛНЕНИЯ" in "\n".join(back.slip)
    with pytest.raises(TopUpAlreadyRefunded):
        till.deposits.refund(till.manager, top_up.top_up_id, "ещё раз")
    report = till.shifts.x_report()
    assert dict(report.deposit_refunds)["cash"] == rub(500)
    assert till.shifts.current().expected_cash == rub(1000)  # type: ignore[union-attr]
    assert "Возвраты депозитов" in "\n".join(report_lines(report))


def test_a_card_top_up_goes_back_to_the_card(till: Till) -> None:
    till.shifts.open_shift(till.cashier, 0)
    top_up = till.deposits.top_up_card(till.cashier, "anna", rub(300)).top_up
    back = till.deposits.refund(till.manager, top_up.top_up_id, "ошибка")
    assert till.terminal.reversed == [top_up.card_ref] and back.change == 0


def test_a_refund_is_refused_when_the_deposit_no_longer_covers_it(shop: Shop, till: Till) -> None:
    till.shifts.open_shift(till.cashier, 0)
    top_up = till.deposits.top_up_cash(till.cashier, "anna", rub(500), rub(500)).top_up
    deliver(shop)
    with shop.uow() as uow:  # the server's snapshot after the guest spent 400 of it
        uow.accounts.set_snapshot("anna-money", "anna", "balance", total=rub(100), held=0,
                                  at=FakeClock().now())  # fmt: skip
        uow.commit()
    with pytest.raises(InsufficientBalance):
        till.deposits.refund(till.manager, top_up.top_up_id, "передумал")
    assert till.ops("account.adjusted") == []


def deliver(shop: Shop) -> None:
    """What the sync worker does once the server applied everything."""
    from typing import Any

    with shop.uow() as typed:
        uow: Any = typed
        data = getattr(uow, "work", None)
        if data is not None:
            data.outbox = [e for e in data.outbox if e.status != "pending"]
        else:
            uow.connection.exec_driver_sql("UPDATE outbox SET status = 'applied'")
        uow.commit()


def test_the_service_alone(shop: Shop) -> None:
    """Without a card terminal a card top-up is refused and nothing recorded."""
    from pos_app.services.acquiring import NoCardTerminal

    till = Till(shop)
    plain = DepositService(shop.uow, FakeClock(), FakeIds("t"))
    till.shifts.open_shift(till.cashier, 0)
    with pytest.raises(NoCardTerminal):
        plain.top_up_card(till.cashier, "anna", rub(100))
    assert plain.of_guest("anna") == []


def test_a_managers_money_debit_counts_an_undelivered_top_up(shop: Shop, till: Till) -> None:
    """The deposit as the till knows it: a debit right after an offline top-up is allowed up
    to it, beyond it refused."""
    from pos_app.services.guest_card import GuestCardService

    cards = GuestCardService(shop.uow, FakeClock(), FakeIds("adj"))
    till.shifts.open_shift(till.cashier, 0)
    till.deposits.top_up_cash(till.cashier, "anna", rub(500), rub(500))
    with pytest.raises(InsufficientBalance):
        cards.adjust(till.manager, "anna", account="money", direction="debit", amount=rub(600),
                     reason="ошибка")  # fmt: skip
    _view, slip = cards.adjust_with_slip(
        till.manager, "anna", account="money", direction="debit", amount=rub(200), reason="ошибка"
    )
    assert "300,00 ₽" in "\n".join(slip)  # the deposit after
    assert till.deposits.available("anna") == rub(300)


def test_the_till_checks_the_top_up_limits_the_server_sent(till: Till) -> None:
    """Issue 18 point 4: the limits by role are programme settings (``top_up``), stored from
    the feed (``store_programme``) and read by the till's own check before taking money."""
    from pos_app.services.programme_settings import store_programme

    till.shifts.open_shift(till.cashier, 0)
    till.deposits.top_up_cash(till.cashier, "anna", rub(10_000), rub(10_000))  # the default
    limits = {"cashier": 200_000, "cashier_day": 5_000_000, "operator": 0, "operator_day": 0,
              "manager": 1, "manager_day": 1, "admin": 1, "admin_day": 1}  # fmt: skip
    with till.shop.uow() as uow:
        store_programme(uow, "top_up", limits)
        uow.commit()
    with pytest.raises(TopUpRefused, match="at a time"):  # 2 000.00: a cashier's one top-up now
        till.deposits.top_up_cash(till.cashier, "anna", rub(2_001), rub(2_001))
    till.deposits.top_up_cash(till.cashier, "anna", rub(2_000), rub(2_000))
    with pytest.raises(ValueError, match="negative"), till.shop.uow() as uow:
        store_programme(uow, "top_up", {**limits, "admin_day": -1})
    assert len(till.ops("balance.topped_up")) == 2
