"""Promo codes and referral cashback at the till (seed 003), on the fakes and on real SQLite."""

from __future__ import annotations

import itertools

import pytest

from pos_app.domain.catalog import Product
from pos_app.domain.errors import DomainError
from pos_app.domain.guests import Guest
from pos_app.domain.identifiers import InputMethod
from pos_app.domain.money import rub
from pos_app.domain.promo import InvalidPromoCode, OwnPromoCode, UnknownPromoCode
from pos_app.domain.sale import PaymentStarted
from pos_app.services.till import TillServices
from tests.services.conftest import ANNA_CARD, Shop
from tests.services.fakes import FakeClock, FakeIds

LASER = Product("laser", "Лазерная эпиляция", rub(12_500), "gaming")
OLGA = Guest("olga", "Ольга Владелица", ("+79110000001",))
PAVEL = Guest("pavel", "Павел Покупатель", ("+79220000002",))


class Salon:
    def __init__(self, shop: Shop) -> None:
        with shop.uow() as uow:
            uow.products.add(LASER)
            uow.guests.add(OLGA)
            uow.guests.add(PAVEL)
            uow.settings.set("promo.program", {"prefix": "TopLaser", "discount_bp": 1500,
                                               "cashback_bp": 1000, "digits": 4})  # fmt: skip
            uow.commit()
        clock = FakeClock()
        counter = itertools.count(7001)
        till = TillServices.build(shop.uow, clock, FakeIds(),
                                  promo_digits=lambda n: lambda: str(next(counter)))  # fmt: skip
        self.promo, self.sales, self.pay = till.promo, till.sales, till.payments
        self.promo.upsert_from_feed({"code": "TOPLASER6502", "guest_id": "olga",
                                     "phone": "+79110000001"})
        self.shop = shop

    def laser_sale(self, guest_phone: str | None = None) -> str:
        sale_id = self.sales.open_sale().sale_id
        self.sales.add_line(sale_id, product_id="laser")
        if guest_phone:
            self.sales.identify_guest(sale_id, phone=guest_phone)
        return sale_id


@pytest.fixture
def salon(shop: Shop) -> Salon:
    return Salon(shop)


def test_the_digits_of_a_code_give_15_percent_off_12_500(salon: Salon) -> None:
    sale_id = salon.laser_sale("+79220000002")
    check = salon.promo.check_code(sale_id, "6502")
    assert (check.code, check.owner_name) == ("TOPLASER6502", "Ольга Владелица")
    assert (check.order_total, check.discount, check.to_pay) == (rub(12_500), rub(1_875),
                                                                rub(10_625))
    assert salon.sales.get_sale(sale_id).total == rub(12_500)  # a check changes nothing
    applied = salon.promo.apply_code(sale_id, " toplaser 6502 ")
    assert (applied.sale.discount, applied.sale.total) == (rub(1_875), rub(10_625))
    assert salon.sales.get_sale(sale_id).due == rub(10_625)  # kept on the sale
    assert salon.promo.remove_code(sale_id).total == rub(12_500)


def test_paying_queues_the_cashback_and_issues_the_buyer_a_card(
    salon: Salon, shop: Shop
) -> None:
    sale_id = salon.laser_sale("+79220000002")
    salon.promo.apply_code(sale_id, "6502")
    result = salon.pay.pay_cash(sale_id, rub(11_000))
    assert (result.closed, result.change) == (True, rub(375))
    closed, redeemed, issued, bound = shop.pending()
    assert closed.kind == "sale.closed" and closed.payload["totals"]["total"] == rub(10_625)
    assert redeemed.kind == "promo.redeemed"
    assert {k: redeemed.payload[k] for k in ("code", "owner_guest_id", "buyer_guest_id",
                                             "paid_in_money", "cashback")} == {
        "code": "TOPLASER6502", "owner_guest_id": "olga", "buyer_guest_id": "pavel",
        "paid_in_money": rub(10_625), "cashback": rub(1_062, 50)}  # fmt: skip
    assert (issued.kind, issued.payload) == ("promo.issued", {
        "code": "TOPLASER7001", "guest_id": "pavel", "phone": "+79220000002"})
    assert (bound.kind, bound.payload["value"], bound.payload["method"]) == (
        "identifier.bound", "TOPLASER7001", "barcode")
    outcome = salon.promo.outcome(sale_id)
    assert outcome is not None
    assert (outcome.buyer_code, outcome.cashback_estimate) == ("TOPLASER7001", rub(1_062, 50))
    again = salon.sales.open_sale().sale_id  # the new card's QR identifies Pavel
    view = salon.sales.identify_guest(again, identifier="toplaser7001",
                                      method=InputMethod.BARCODE)
    assert view.guest is not None and view.guest.guest_id == "pavel"
    second = salon.laser_sale("+79220000002")  # Pavel's own code now works for others only
    with pytest.raises(OwnPromoCode):
        salon.promo.apply_code(second, "7001")


def test_a_phone_that_already_has_a_code_keeps_it(salon: Salon, shop: Shop) -> None:
    salon.promo.upsert_from_feed({"code": "TOPLASER1234", "guest_id": "old-card-of-pavel",
                                  "phone": "+79220000002"})
    sale_id = salon.laser_sale("+79220000002")
    salon.promo.apply_code(sale_id, "6502")
    salon.pay.pay_cash(sale_id, rub(10_625))
    assert [e.kind for e in shop.pending()] == ["sale.closed", "promo.redeemed"]
    outcome = salon.promo.outcome(sale_id)
    assert outcome is not None and outcome.buyer_code == "TOPLASER1234"


def test_unknown_own_and_garbled_codes_are_refused_plainly(salon: Salon) -> None:
    sale_id = salon.laser_sale("+79110000001")  # Olga herself
    with pytest.raises(OwnPromoCode, match="cannot apply their own"):
        salon.promo.apply_code(sale_id, "6502")
    with pytest.raises(UnknownPromoCode, match="TOPLASER9999 is not known"):
        salon.promo.check_code(sale_id, "9999")
    with pytest.raises(InvalidPromoCode, match="type the digits after TOPLASER"):
        salon.promo.check_code(sale_id, "65O2")
    assert salon.sales.get_sale(sale_id).total == rub(12_500)


def test_promo_comes_on_top_of_the_group_discount_and_not_after_payment(
    salon: Salon, shop: Shop
) -> None:
    sale_id = salon.sales.open_sale().sale_id
    salon.sales.add_line(sale_id, product_id="latte", quantity=2)
    salon.sales.add_line(sale_id, product_id="cake")
    salon.sales.identify_guest(sale_id, identifier=ANNA_CARD)  # 10 %: 610 -> 549 ₽
    quote = salon.promo.apply_code(sale_id, "6502")
    assert (quote.order_total, quote.discount, quote.to_pay) == (rub(549), rub(82, 35),
                                                                rub(466, 65))
    assert sum(line.total for line in quote.sale.lines) == rub(466, 65)
    salon.pay.pay_cash(sale_id, rub(100))
    with pytest.raises(PaymentStarted):
        salon.promo.remove_code(sale_id)


def test_an_anonymous_buyer_gets_the_discount_and_the_owner_the_cashback(
    salon: Salon, shop: Shop
) -> None:
    sale_id = salon.laser_sale()
    salon.promo.apply_code(sale_id, "6502")
    salon.pay.pay_cash(sale_id, rub(10_625))
    assert [e.kind for e in shop.pending()] == ["sale.closed", "promo.redeemed"]
    outcome = salon.promo.outcome(sale_id)
    assert outcome is not None and (outcome.buyer_guest_id, outcome.buyer_code) == (None, None)



def test_the_client_action_gives_a_new_phone_a_guest_and_a_card(salon: Salon, shop: Shop) -> None:
    card = salon.promo.issue_card("8 (933) 000-00-03", name="Вера Новая")
    assert (card.phone, card.code, card.new_guest, card.resent) == (
        "+79330000003", "TOPLASER7001", True, False)
    created, issued, bound = shop.pending()
    assert (created.kind, created.payload["name"], created.payload["phone"]) == (
        "guest.created", "Вера Новая", "+79330000003")
    assert (issued.kind, issued.payload["code"], issued.payload["guest_id"]) == (
        "promo.issued", "TOPLASER7001", card.guest_id)
    assert (bound.kind, bound.payload["value"]) == ("identifier.bound", "TOPLASER7001")
    sale_id = salon.sales.open_sale().sale_id  # the card's QR identifies her at once
    view = salon.sales.identify_guest(sale_id, identifier="TOPLASER7001",
                                      method=InputMethod.BARCODE)  # fmt: skip
    assert view.guest is not None and view.guest.guest_id == card.guest_id


def test_the_same_phone_gets_the_same_card_again(salon: Salon, shop: Shop) -> None:
    first = salon.promo.issue_card("+79220000002")  # Pavel: known, no code yet
    assert (first.guest_id, first.name, first.new_guest, first.resent) == (
        "pavel", "Павел Покупатель", False, False)
    again = salon.promo.issue_card("8 922 000 00 02", name="ignored")
    assert (again.guest_id, again.code, again.new_guest, again.resent) == (
        "pavel", first.code, False, True)
    olga = salon.promo.issue_card("+79110000001")  # a code from the feed: sent again
    assert (olga.guest_id, olga.code, olga.resent) == ("olga", "TOPLASER6502", True)
    issued = [e for e in shop.pending() if e.kind == "promo.issued"]
    assert [(e.payload["code"], e.payload["guest_id"]) for e in issued] == [
        (first.code, "pavel"), (first.code, "pavel"), ("TOPLASER6502", "olga")]
    assert len([e for e in shop.pending() if e.kind == "guest.created"]) == 0


def test_a_garbled_phone_is_refused_and_nothing_is_queued(salon: Salon, shop: Shop) -> None:
    with pytest.raises(DomainError):
        salon.promo.issue_card("12")
    assert shop.pending() == []
