"""One way to close a sale: whatever paid last - cash, a card (the TCP fake terminal), the
balance, points, a mix, or a payment made otherwise and ``SaleService.close_sale`` - the close
writes the same operations in the same order with every step's fields (points hold committed
first, the offline mark, the manager's loyalty override, ``sale.closed``, the promo code's
redemption and the buyer's new code), and reports the same accrual estimate. Fakes and SQLite.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest

from pos_app.devices.acquiring import FakeCardTerminal, TcpAcquirer
from pos_app.domain.guests import Guest
from pos_app.domain.loyalty import LoyaltyOverride, LoyaltySettings, accrual_for
from pos_app.domain.money import Percent, rub
from pos_app.domain.sale import PaymentMethod
from pos_app.services.bonus_override import BonusOverrideService
from pos_app.services.sync_queue import OFFLINE_KEY
from pos_app.services.till import TillServices
from tests.services.conftest import ANNA_CARD, TEN, Shop
from tests.services.fakes import FakeClock, FakeIds

# Latte x2 + cake = 610 ₽, Anna's group 10 % -> 549 ₽, the promo code's 15 % -> 466,65 ₽.
TOTAL = rub(466, 65)
CLOSING = ["hold.placed", "hold.committed", "sale.closed", "promo.redeemed", "promo.issued",
           "identifier.bound"]  # fmt: skip
OVERRIDE = {"accrual_bp": 1_000, "max_redemption_bp": 10_000, "approved_by": "m1"}


class Till:
    """The shop's services as the till wires them, with a card terminal and offline points."""

    def __init__(self, shop: Shop, terminal: FakeCardTerminal) -> None:
        clock = FakeClock()
        acquirer = TcpAcquirer("127.0.0.1", terminal.port, timeout=0.5)
        till = TillServices.build(shop.uow, clock, FakeIds(), acquirer=acquirer)  # no server
        self.shop, self.sales, self.pay = shop, till.sales, till.payments
        self.points, self.promo, staff = till.points, till.promo, till.staff
        staff.add_staff("m1", "Олег", "manager", "9999", bytes(range(16)))
        self.manager = staff.sign_in("9999")
        with shop.uow() as uow:
            uow.guests.add(Guest("olga", "Ольга", ("+79110000001",)))
            uow.groups.add(replace(TEN, offline_allowance=rub(1_000)))
            uow.accounts.set_snapshot("anna-bonus", "anna", "bonus", total=rub(1_000), held=0,
                                      at=clock.now())  # fmt: skip
            uow.accounts.set_snapshot("anna-money", "anna", "balance", total=rub(1_000), held=0,
                                      at=clock.now())  # fmt: skip
            uow.settings.set("promo.program", {"prefix": "TOPLASER", "digits": 4})
            uow.settings.set(OFFLINE_KEY, "2026-11-23T10:00:00+00:00")  # the server is away
            uow.commit()
        self.promo.upsert_from_feed({"code": "TOPLASER6502", "guest_id": "olga"})

    def sale(self) -> str:
        """Anna's sale with a promo code and a manager's override (10 % accrual, 100 % cap)."""
        sale_id = self.sales.open_sale().sale_id
        self.sales.add_line(sale_id, product_id="latte", quantity=2)
        self.sales.add_line(sale_id, product_id="cake")
        self.sales.identify_guest(sale_id, identifier=ANNA_CARD)
        assert self.promo.apply_code(sale_id, "6502").to_pay == TOTAL
        BonusOverrideService(self.shop.uow).set(
            sale_id, LoyaltyOverride(Percent.of(10), Percent.of(100)), self.manager)
        return sale_id


Pay = Callable[[Till, str], int]  # pays what is left of the sale; returns the accrual estimate


def by_cash(till: Till, sale_id: str) -> int:
    return till.pay.pay_cash(sale_id, rub(500)).accrual_estimate


def by_card(till: Till, sale_id: str) -> int:
    return till.pay.pay_card(sale_id).accrual_estimate


def by_balance(till: Till, sale_id: str) -> int:
    return till.pay.pay_balance(sale_id).accrual_estimate


def by_points(till: Till, sale_id: str) -> int:
    till.pay.pay_cash(sale_id, rub(100))
    return till.points.pay_points(sale_id, till.sales.get_sale(sale_id).due).accrual_estimate


def by_a_mix(till: Till, sale_id: str) -> int:
    till.pay.pay_balance(sale_id, rub(100))
    till.pay.pay_card(sale_id, rub(100))
    return till.pay.pay_cash(sale_id, rub(300)).accrual_estimate


def settled_otherwise(till: Till, sale_id: str) -> int:
    """The rest put on the sale outside the payment services, then ``SaleService.close_sale``
    (which reports the sale, so the estimate is asked for after)."""
    with till.shop.uow() as uow:
        sale = uow.sales.get(sale_id)
        assert sale is not None
        sale.pay(PaymentMethod.CARD, sale.due, FakeClock().now())
        uow.sales.save(sale)
        uow.commit()
    assert till.sales.close_sale(sale_id).status == "closed"
    return till.pay.accrual_estimate(sale_id)


SCENARIOS: dict[str, tuple[int, Pay]] = {  # points (kopecks) taken first, then the rest
    "cash": (rub(50), by_cash),
    "card": (rub(50), by_card),
    "balance": (rub(50), by_balance),
    "points": (0, by_points),
    "mixed": (rub(50), by_a_mix),
    "settled otherwise": (rub(50), settled_otherwise),
}


@pytest.fixture
def terminal() -> Iterator[FakeCardTerminal]:
    card = FakeCardTerminal()
    card.start()
    yield card
    card.stop()


@pytest.mark.parametrize("way", list(SCENARIOS))
def test_every_way_of_paying_closes_the_sale_with_the_same_steps(
    shop: Shop, terminal: FakeCardTerminal, way: str
) -> None:
    till = Till(shop, terminal)
    sale_id = till.sale()
    before = len(shop.pending())
    first_points, pay_rest = SCENARIOS[way]
    if first_points:
        assert not till.points.pay_points(sale_id, first_points).closed
    estimate = pay_rest(till, sale_id)

    ops = shop.pending()[before:]
    assert [e.kind for e in ops] == CLOSING
    placed, committed, closed, redeemed, issued, bound = (e.payload for e in ops)
    assert committed == {"hold_id": placed["hold_id"], "amount": placed["amount"]}
    assert closed["offline"] is True and closed["loyalty_override"] == OVERRIDE
    assert closed["totals"]["total"] == TOTAL and closed["receipt_no"] == "T1-000001"
    [points] = [p for p in closed["payments"] if p["method"] == "points"]
    assert points["hold_id"] == placed["hold_id"]
    in_money = TOTAL - points["amount"]
    assert (redeemed["code"], redeemed["buyer_guest_id"], redeemed["paid_in_money"]) == (
        "TOPLASER6502", "anna", in_money)
    assert issued["guest_id"] == "anna" and bound["value"] == issued["code"]
    expected = accrual_for(in_money, LoyaltySettings(Percent.of(10), Percent.of(100)))
    assert estimate == expected
    assert till.sales.get_sale(sale_id).status == "closed"
