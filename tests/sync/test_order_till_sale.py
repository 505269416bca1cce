"""Issue 20 point 7, end to end with a real ``pos-server run``: a guest order placed, accepted
by a till with the orders tab, its items delivered, paid at the till as a till sale by card (the
fake card terminal), and completed ends as one sale in the till's shift with one receipt number
and one accrual on the server, the order marked paid by that sale. Headless: the till's
services on a real SQLite store, its operations pushed by the console's sender."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from pos_app.db import open_store
from pos_app.db.orders_repo import SqlOrderCache
from pos_app.devices.acquiring import FakeCardTerminal, TcpAcquirer
from pos_app.domain.catalog import Product
from pos_app.domain.guests import Guest
from pos_app.domain.loyalty import accrual_for
from pos_app.domain.orders import OrderAction, OrderState
from pos_app.services.order_checkout import OrderCheckout
from pos_app.services.orders import ConsoleOrders, StreamBatch, order_from_wire
from pos_app.services.sync_queue import SyncQueue
from pos_app.services.till import TillServices
from pos_app.sync.order_actions import HttpActionSender
from pos_app.sync.transport import HttpTransport
from pos_server.ledger.rules import settings_for
from tests.services.fakes import FakeClock, FakeIds
from tests.sync.test_order_stream_server import RealServer


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RealServer]:
    (tmp_path / "server").mkdir()
    running = RealServer(tmp_path / "server").start()
    running.add_guest("anna", "Anna Smirnova")
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def card() -> Iterator[FakeCardTerminal]:
    terminal = FakeCardTerminal()
    terminal.start()
    yield terminal
    terminal.stop()


def test_an_order_paid_at_the_till_by_card_is_one_sale_in_the_shift_and_accrues_once(
    server: RealServer, card: FakeCardTerminal, tmp_path: Path
) -> None:
    who = server.enrol("Bar till")
    store = open_store(tmp_path / "till.sqlite3", terminal_id=who.terminal_id)
    clock, ids = FakeClock(), FakeIds()
    try:
        with store.unit_of_work() as uow:  # the catalogue and guest the till pulled
            uow.products.add(Product("latte", "Latte", 25_000))
            uow.products.add(Product("cake", "Cheesecake", 32_000))
            uow.guests.add(Guest("anna", "Anna Smirnova", ("+79121234567",)))
            uow.commit()
        till = TillServices.build(
            store.unit_of_work, clock, ids, acquirer=TcpAcquirer("127.0.0.1", card.port, timeout=2)
        )
        transport = HttpTransport(server.base, who.token)
        sender = HttpActionSender(SyncQueue(store.unit_of_work, clock), transport)
        cache = SqlOrderCache(store)
        console = ConsoleOrders(cache, store.unit_of_work, sender)
        checkout = OrderCheckout(store.unit_of_work, cache, clock, ids)

        def sync(order_id: str) -> None:  # what the order stream does
            now = requests.get(f"{server.base}/v1/orders/{order_id}", headers=who.headers,
                               timeout=5).json()  # fmt: skip
            cache.apply(StreamBatch((order_from_wire(now, now["version"] * 1000),),
                                    cursor=now["version"] * 1000))  # fmt: skip

        placed = server.place("e2e-1")
        sync("e2e-1")
        till.staff.add_staff("c1", "Irina", "cashier", "1111", bytes(range(16)))
        till.shifts.open_shift(till.staff.sign_in("1111"), 0)
        assert console.act("e2e-1", OrderAction.ACCEPT).status == "applied"
        sync("e2e-1")
        for line in ("1", "2"):
            assert console.act("e2e-1", OrderAction.DELIVER, line_id=line).status == "applied"
            sync("e2e-1")
        sale = checkout.start("e2e-1")
        assert sale.total == placed["total"] == 82_000
        paid = till.payments.pay_card(sale.sale_id)
        assert paid.closed and paid.sale.receipt_no
        assert sender.flush() >= 1  # sale.closed (and its neighbours) judged by the server
        sync("e2e-1")
        order = cache.get("e2e-1")
        assert order is not None and order.state is OrderState.PAID
        assert order.paid_by_sale == sale.sale_id and order.accrual == 0
        assert console.act("e2e-1", OrderAction.COMPLETE).status == "applied"
        final = requests.get(f"{server.base}/v1/orders/e2e-1", headers=who.headers,
                             timeout=5).json()  # fmt: skip
        assert (final["state"], final["paid_by_sale"], final["paid_money"]) == (
            "completed",
            sale.sale_id,
            82_000,
        )
        changes = requests.get(f"{server.base}/v1/changes", params={"cursor": 0, "limit": 1000},
                               headers=who.headers, timeout=5).json()["changes"]  # fmt: skip
        last = [c["data"] for c in changes if c["entity_id"] == "e2e-1"][-1]
        assert last["guest_points"] == accrual_for(82_000, settings_for(None))  # accrued once
        assert [c["entity_id"] for c in changes if c["entity"] == "bonus_account"] == ["anna"]
        x = till.shifts.x_report()
        assert (x.sales_count, x.sales_total, dict(x.by_method)["card"]) == (1, 82_000, 82_000)
        transport.close()
    finally:
        store.close()
