"""The daily identification limit counts the same thing on the till and on the server: every
sale the guest was identified on, closed or cancelled, on the shop's business day it ended
(docs/domain.md "Daily identification limit"). One till's history, counted on both sides."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pos_app.db import open_store
from pos_app.domain.catalog import Product
from pos_app.domain.groups import GuestGroup
from pos_app.domain.guests import Guest
from pos_app.domain.limits import DailyIdentificationLimitReached
from pos_app.domain.money import Percent, rub
from pos_app.domain.operations import SALE_CANCELLED, SALE_CLOSED
from pos_app.services.guests import GuestService
from pos_app.services.payments import PaymentService
from pos_app.services.sales import SaleService
from pos_server.ledger.rules import ledger_rules
from pos_server.repositories.loyalty import identified_on_day
from tests.server.conftest import enrol, till_sale
from tests.server.ledger_fixtures import Shop, group, sale, shop
from tests.services.fakes import FakeIds

__all__ = ["shop"]

# The till's default business day is Moscow's (shop.utc_offset_minutes 180); the server is
# told the same zone, so the two draw the day at the same instant: 2026-11-22T21:00Z.
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
LATTE = Product("latte", "Латте", rub(180), "coffee")
STRICT = GuestGroup("strict", "Строгая", Percent.of(3), daily_identification_limit=3)


@dataclass
class SetClock:
    current: datetime

    def now(self) -> datetime:
        return self.current


@pytest.fixture
def moscow_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("POS_SERVER_SHOP_TIMEZONE", "Europe/Moscow")
    ledger_rules.cache_clear()
    yield
    monkeypatch.delenv("POS_SERVER_SHOP_TIMEZONE")
    ledger_rules.cache_clear()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_till_and_server_count_the_same_identifications(
    shop: Shop, moscow_server: None, tmp_path: Path
) -> None:
    store = open_store(tmp_path / "till.sqlite3", terminal_id="T1", receipt_prefix="T1")
    try:
        with store.unit_of_work() as uow:
            uow.products.add_group("coffee", "Кофе")
            uow.products.add(LATTE)
            uow.groups.add(STRICT)
            uow.guests.add(Guest("anna", "Анна", ("+79121234567",), group_id="strict"))
            uow.commit()
        clock = SetClock(NOW)
        sales = SaleService(store.unit_of_work, clock, FakeIds("sale"))
        pay = PaymentService(store.unit_of_work, clock, FakeIds("pay"), sales)
        guests = GuestService(store.unit_of_work, clock, FakeIds("guest"))

        def sell(opened: str, ended: str, *, guest: bool = True, cancel: bool = False) -> None:
            clock.current = at(opened)
            sale_id = sales.open_sale().sale_id
            sales.add_line(sale_id, product_id="latte")
            if guest:
                guests.identify(sales, sale_id, phone="+79121234567")
            clock.current = at(ended)
            if cancel:
                sales.cancel_sale(sale_id)
            else:
                pay.pay_cash(sale_id, rub(180))

        sell("2026-11-22T18:00", "2026-11-22T18:05")  # 21:05 in Moscow: the day before
        sell("2026-11-22T20:50", "2026-11-22T21:10")  # opened 23:50, ended 00:10: today
        sell("2026-11-23T07:00", "2026-11-23T07:02", cancel=True)  # cancelled: still counts
        sell("2026-11-23T08:00", "2026-11-23T08:05")
        sell("2026-11-23T09:00", "2026-11-23T09:05", guest=False)  # not identified
        clock.current = NOW

        assert guests.panel("anna").today.identifications == 3
        with store.unit_of_work() as uow:
            ops = [(e.kind, dict(e.payload)) for e in uow.outbox.pending()
                   if e.kind in (SALE_CLOSED, SALE_CANCELLED)]  # the till's rows, as sent
        next_sale = sales.open_sale().sale_id
        with pytest.raises(DailyIdentificationLimitReached, match="identified 3 times today"):
            guests.identify(sales, next_sale, phone="+79121234567")
    finally:
        store.close()

    shop.groups(group("strict", daily_identification_limit=3))
    shop.put_in_group("anna", "strict")
    results = [shop.push(kind, payload)["status"] for kind, payload in ops]
    assert results == ["applied"] * 5
    assert shop.write(lambda s: identified_on_day(s, "anna", NOW)) == 3
    # the server, like the till, refuses a fourth identification today, on any till
    other = enrol(shop.till.client, shop.db_url, "Till 2")
    fourth = sale("anna", 1_000, opened_at="2026-11-23T09:30:00+00:00",
                  closed_at="2026-11-23T09:35:00+00:00")  # fmt: skip
    [result] = other.push_ok(other.op("sale.closed", fourth))["results"]
    assert (result["status"], result["reason"]) == ("rejected", "daily_limit")
    assert "identified 3 times today" in result["message"]


def test_the_server_counts_every_tills_closed_and_cancelled_sales_of_the_day(
    shop: Shop, moscow_server: None
) -> None:
    other = enrol(shop.till.client, shop.db_url, "Till 2")
    cancelled = {"sale_id": "void-1", "opened_at": "2026-11-23T07:00:00+00:00",
                 "cancelled_at": "2026-11-23T07:02:00+00:00", "guest_id": "anna",
                 "lines": [], "payments": [], "total": 0, "refund": 0}  # fmt: skip
    assert shop.push("sale.cancelled", till_sale(cancelled))["status"] == "applied"
    assert shop.push("sale.cancelled", till_sale(
        {**cancelled, "guest_id": None, "sale_id": "void-2"}))["status"] == "applied"
    other.push_ok(other.op("sale.closed", sale("anna", 1_000, closed_at="2026-11-23T08:00:00Z")))
    tomorrow = sale("anna", 1_000, closed_at="2026-11-23T21:30:00Z")  # 00:30 in Moscow
    other.push_ok(other.op("sale.closed", tomorrow))
    assert shop.write(lambda s: identified_on_day(s, "anna", NOW)) == 2
    assert shop.write(lambda s: identified_on_day(s, "boris", NOW)) == 0
