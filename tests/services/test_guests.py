"""Guest search, create-and-bind, the guest panel and today's limits (fakes and real SQLite)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pos_app.domain.groups import GuestGroup
from pos_app.domain.guests import Guest
from pos_app.domain.identifiers import IdentifierTaken, InputMethod
from pos_app.domain.limits import DailyIdentificationLimitReached
from pos_app.domain.money import Percent, rub
from pos_app.domain.sale import PaymentMethod
from pos_app.services.guests import GuestExists, GuestService
from pos_app.services.payments import PaymentService
from pos_app.services.sales import GuestNotFound, SaleService
from tests.services.conftest import ANNA_CARD, Shop
from tests.services.fakes import FakeClock, FakeIds

STRICT = GuestGroup("g-strict", "Строгая", Percent.of(3), daily_identification_limit=2,
                    daily_points_spend_limit=rub(100))  # fmt: skip
VERA = Guest("vera", "Вера Ёлкина", ("+79001112233",), group_id="g-strict")


@pytest.fixture
def guests(shop: Shop) -> GuestService:
    with shop.uow() as uow:
        uow.groups.add(STRICT)
        uow.guests.add(VERA)
        uow.accounts.set_snapshot("vera-b", "vera", "bonus", total=rub(500), held=rub(120),
                                  at=FakeClock().now())
        uow.accounts.set_snapshot("vera-m", "vera", "balance", total=rub(1_000), held=0,
                                  at=FakeClock().now())
        uow.commit()
    return GuestService(shop.uow, FakeClock(), FakeIds("guest"))


def test_search_by_name_fragment_in_any_case_and_yo(guests: GuestService) -> None:
    assert [g.guest_id for g in guests.search("СМИРН")] == ["anna"]
    assert [g.guest_id for g in guests.search("елкин")] == ["vera"]  # ё typed as е
    found = guests.search("анна")
    assert found[0].name == "Анна Смирнова" and found[0].group_name == "Гость 10 %"
    assert guests.search("   ") == [] and guests.search("zzz") == []


def test_search_by_phone_digits_or_a_whole_number_in_any_format(guests: GuestService) -> None:
    assert [g.guest_id for g in guests.search("9001112")] == ["vera"]
    assert {g.guest_id for g in guests.search("1112233")} == {"vera", "boris"}
    assert [g.guest_id for g in guests.search("8 (912) 123-45-67")] == ["anna"]
    assert [g.guest_id for g in guests.search("912 123")] == ["anna"]


def test_create_guest_and_bind_the_unknown_card_in_one_go(
    shop: Shop, guests: GuestService
) -> None:
    panel = guests.create_guest("  Пётр  Новиков ", phone="8 903 555-44-33",
                                identifier=";7799000000000001=2912?", method=InputMethod.MSR)
    assert (panel.name, panel.phones, panel.group) == ("Пётр Новиков", ("+79035554433",), None)
    kinds = [(e.kind, e.payload) for e in shop.pending()]
    assert kinds == [
        ("guest.created", {"guest_id": panel.guest_id, "name": "Пётр Новиков",
                           "phone": "+79035554433"}),
        ("identifier.bound", {"guest_id": panel.guest_id, "medium": "card", "method": "msr",
                              "value": "7799000000000001", "staff_id": None}),
    ]  # fmt: skip
    sale_id = shop.service.open_sale().sale_id
    view = shop.service.identify_guest(sale_id, identifier="7799 0000 0000 0001")
    assert view.guest is not None and view.guest.guest_id == panel.guest_id


def test_a_card_of_another_guest_or_a_known_phone_creates_nobody(
    shop: Shop, guests: GuestService
) -> None:
    with pytest.raises(IdentifierTaken):
        guests.create_guest("Двойник", identifier=ANNA_CARD, method=InputMethod.MSR)
    with pytest.raises(GuestExists, match="Анна Смирнова already has the phone number"):
        guests.create_guest("Двойник", phone="+7 912 123 45 67")
    assert guests.search("Двойник") == [] and shop.pending() == []


def test_guest_panel_shows_points_balance_and_todays_limits(guests: GuestService) -> None:
    panel = guests.panel("vera")
    assert (panel.points_total, panel.points_held, panel.points_available) == (
        rub(500), rub(120), rub(380))
    assert panel.balance == rub(1_000)
    assert panel.group is not None and panel.group.discount_bp == 300
    today = panel.today
    assert (today.identifications, today.identification_limit) == (0, 2)
    assert (today.points_spent, today.points_limit, today.points_remaining) == (0, rub(100),
                                                                                rub(100))
    with pytest.raises(GuestNotFound):
        guests.panel("nobody")


def test_over_the_daily_identification_limit_is_a_clear_error(
    shop: Shop, guests: GuestService
) -> None:
    for _ in range(2):
        sale_id = shop.service.open_sale().sale_id
        shop.service.add_line(sale_id, product_id="latte")
        view, panel = guests.identify(shop.service, sale_id, phone="8 900 111 22 33")
        assert panel.guest_id == "vera"
        with shop.uow() as uow:  # a points part, as the points service would add it
            sale = uow.sales.get(sale_id)
            assert sale is not None
            sale.pay(PaymentMethod.POINTS, rub(40), FakeClock().now())
            uow.sales.save(sale)
            uow.commit()
        shop.pay.pay_cash(sale_id, view.total)
    panel = guests.panel("vera")
    assert panel.today.identification_limit_reached
    assert (panel.today.points_spent, panel.today.points_remaining) == (rub(80), rub(20))
    third = shop.service.open_sale().sale_id
    with pytest.raises(DailyIdentificationLimitReached, match="identified 2 times today"):
        guests.identify(shop.service, third, phone="+79001112233")
    assert shop.service.get_sale(third).guest is None


def test_todays_identifications_are_the_guests_sales_that_ended_today(
    shop: Shop, guests: GuestService
) -> None:
    """The same count as the server's (docs/domain.md "Daily identification limit"): a sale
    counts once it ended, closed or cancelled, on the business day it ended."""
    clock = FakeClock(datetime(2024, 4, 30, 19, 0, tzinfo=UTC))  # 22:00 in Moscow
    sales = SaleService(shop.uow, clock, FakeIds("s"))
    pay = PaymentService(shop.uow, clock, FakeIds("p"), sales)
    here = GuestService(shop.uow, clock, FakeIds("g"))

    def identified_sale(opened: datetime) -> str:
        clock.current = opened
        sale_id = sales.open_sale().sale_id
        sales.add_line(sale_id, product_id="latte")
        here.identify(sales, sale_id, phone="+79001112233")
        return sale_id

    yesterday = identified_sale(datetime(2024, 4, 30, 19, 0, tzinfo=UTC))
    pay.pay_cash(yesterday, rub(500))
    past_midnight = identified_sale(datetime(2024, 4, 30, 20, 50, tzinfo=UTC))  # 23:50
    clock.current = datetime(2024, 4, 30, 21, 10, tzinfo=UTC)  # 00:10 in Moscow: today
    pay.pay_cash(past_midnight, rub(500))
    still_open = identified_sale(datetime(2024, 5, 1, 6, 0, tzinfo=UTC))
    assert here.panel("vera").today.identifications == 1  # the server sees no open sale
    sales.cancel_sale(still_open)
    assert here.panel("vera").today.identifications == 2  # a cancelled sale still counts
    with pytest.raises(DailyIdentificationLimitReached, match="identified 2 times today"):
        identified_sale(datetime(2024, 5, 1, 7, 0, tzinfo=UTC))
