"""The wired till: a shift, a promo sale paid by card and cash, and the Z report, end to end
on real SQLite with the fake card terminal over TCP."""

from __future__ import annotations

from pathlib import Path

from pos_app.db import open_store
from pos_app.devices.acquiring import FakeCardTerminal, TcpAcquirer
from pos_app.domain.catalog import Product
from pos_app.domain.guests import Guest
from pos_app.domain.money import rub
from pos_app.services.till import TillServices
from tests.services.fakes import FakeClock, FakeIds


def test_a_day_at_the_salon(tmp_path: Path) -> None:
    terminal = FakeCardTerminal()
    terminal.start()
    store = open_store(tmp_path / "till.sqlite3", terminal_id="T1", receipt_prefix="T1")
    try:
        with store.unit_of_work() as uow:
            uow.products.add(Product("laser", "Лазер", rub(12_500)))
            uow.guests.add(Guest("olga", "Ольга", ("+79110000001",)))
            uow.settings.set("promo.program", {"prefix": "TOPLASER", "discount_bp": 1500,
                                               "cashback_bp": 1000, "digits": 4})
            uow.commit()
        till = TillServices.build(store.unit_of_work, FakeClock(), FakeIds(),
                                  acquirer=TcpAcquirer("127.0.0.1", terminal.port, timeout=2))
        till.staff.add_staff("c1", "Ирина", "cashier", "1111", bytes(16))
        till.promo.upsert_from_feed({"code": "TOPLASER6502", "guest_id": "olga"})
        cashier = till.staff.sign_in("1111")
        till.shifts.open_shift(cashier, rub(1_000))
        buyer = till.guests.create_guest("Павел", phone="+7 922 000 00 02",
                                         identifier="7799000000000002")
        sale_id = till.sales.open_sale().sale_id
        till.sales.add_line(sale_id, product_id="laser")
        till.guests.identify(till.sales, sale_id, identifier="7799000000000002")
        assert till.promo.apply_code(sale_id, "6502").to_pay == rub(10_625)
        till.payments.pay_card(sale_id, rub(10_000))
        paid = till.payments.pay_cash(sale_id, rub(1_000))
        assert (paid.closed, paid.change) == (True, rub(375))
        outcome = till.promo.outcome(sale_id)
        assert outcome is not None and outcome.buyer_code is not None
        assert till.guests.panel(buyer.guest_id).promo_code == outcome.buyer_code
        x = till.shifts.x_report()
        assert (x.sales_total, dict(x.by_method)["card"], x.expected_cash) == (
            rub(10_625), rub(10_000), rub(1_625))
        with store.unit_of_work() as uow:
            kinds = [e.kind for e in uow.outbox.pending()]
        assert kinds == ["shift.opened", "guest.created", "identifier.bound", "sale.closed",
                         "promo.redeemed", "promo.issued", "identifier.bound"]
        assert terminal.approved_total == rub(10_000)
    finally:
        store.close()
        terminal.stop()
