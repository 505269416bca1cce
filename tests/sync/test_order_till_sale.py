"""Issue 20 point 7, end to end with a real ``pos-server run``: a guest order placed, accepted
by a till with the orders tab, its items delivered, paid at the till as a till sale by card (the
fake card terminal), and completed ends as one sale in the till's shift with one receipt number
and one accrual on the server, the order marked paid by that sale. Headless: the till's
services on a real SQLite store, its operations pushed by the console's sender."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select

from pos_app.db import open_store
from pos_app.db.orders_repo import SqlOrderCache
from pos_app.devices.acquiring import FakeCardTerminal, TcpAcquirer
from pos_app.devices.emulators.printer import PrinterEmulator
from pos_app.domain.catalog import Product
from pos_app.domain.guests import Guest
from pos_app.domain.loyalty import accrual_for
from pos_app.domain.orders import OrderAction, OrderState
from pos_app.services.order_checkout import OrderCheckout
from pos_app.services.order_hold_payment import OrderHoldPayment
from pos_app.services.orders import ConsoleOrders, StreamBatch, order_from_wire
from pos_app.services.sync_queue import SyncQueue
from pos_app.services.till import TillServices
from pos_app.sync.order_actions import HttpActionSender
from pos_app.sync.transport import HttpTransport
from pos_server.db import make_engine, make_sessions
from pos_server.db.models import POINTS, AccountRow, BonusHoldRow, PostingRow
from pos_server.ledger.rules import settings_for
from pos_server.repositories.points_ledger import credit_points
from tests.devices.test_print_worker import printing
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


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[PrinterEmulator]:
    emu = PrinterEmulator(tmp_path / "jobs", port=0, columns=48)
    emu.start()
    yield emu
    emu.stop()


def test_an_order_with_a_line_in_points_is_paid_at_the_till_from_its_hold_and_by_card(
    server: RealServer, card: FakeCardTerminal, emulator: PrinterEmulator, tmp_path: Path
) -> None:
    """Seed 001 "P add to order": the latte chosen in points (250.00 held at placement), the
    cake for money. Paid at the till: the latte by the order's own hold (no second hold), the
    cake by card; one sale in the shift, one receipt with the order's number and the points
    part, the hold committed once by the server, the guest's points right."""
    engine = make_engine(server.db_url)
    with make_sessions(engine).begin() as session:
        credit_points(session, "anna", 100_000, now=datetime.now(UTC), actor="t", reason="gift")
    engine.dispose()
    who = server.enrol("Bar till")
    store = open_store(tmp_path / "till.sqlite3", terminal_id=who.terminal_id)
    clock, ids = FakeClock(), FakeIds()
    try:
        with store.unit_of_work() as uow:
            uow.products.add(Product("latte", "Latte", 25_000, payable_with_points=True))
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

        def sync(order_id: str) -> dict[str, Any]:  # what the order stream does
            now: dict[str, Any] = requests.get(f"{server.base}/v1/orders/{order_id}",
                                               headers=who.headers, timeout=5).json()  # fmt: skip
            cache.apply(StreamBatch((order_from_wire(now, now["version"] * 1000),),
                                    cursor=now["version"] * 1000))  # fmt: skip
            return now

        lines = [{"product_id": "latte", "name": "Latte", "quantity": 1, "unit_price": 25_000,
                  "in_points": True},
                 {"product_id": "cake", "name": "Cheesecake", "quantity": 1,
                  "unit_price": 32_000}]  # fmt: skip
        placed = server.place("e2e-p", lines=lines)
        hold_id = placed["points_hold_id"]
        assert (placed["total"], placed["points_hold_amount"]) == (57_000, 25_000)
        sync("e2e-p")
        till.staff.add_staff("c1", "Irina", "cashier", "1111", bytes(range(16)))
        till.shifts.open_shift(till.staff.sign_in("1111"), 0)
        assert console.act("e2e-p", OrderAction.ACCEPT).status == "applied"
        sync("e2e-p")

        sale = OrderCheckout(store.unit_of_work, cache, clock, ids).start("e2e-p")
        took = OrderHoldPayment(store.unit_of_work, clock).take(sale.sale_id)
        assert took is not None and (took.amount, took.sale.due) == (25_000, 32_000)
        paid = till.payments.pay_card(sale.sale_id)
        assert paid.closed and paid.card is not None and card.approved_total == 32_000
        queued = [e.kind for e in SyncQueue(store.unit_of_work, clock).waiting()]
        assert queued == ["sale.closed"]  # no hold of the till's own
        assert sender.flush() >= 1
        order = sync("e2e-p")
        assert (order["state"], order["paid_by_sale"], order["paid_money"],
                order["paid_points"]) == ("paid", sale.sale_id, 32_000, 25_000)  # fmt: skip

        engine = make_engine(server.db_url)
        try:
            with make_sessions(engine)() as session:
                hold = session.get(BonusHoldRow, hold_id)
                assert hold is not None and (hold.status, hold.committed_amount) == (
                    "committed", 25_000)  # fmt: skip
                kinds = [p.kind for p in session.scalars(
                    select(PostingRow).where(PostingRow.hold_id == hold_id))]  # fmt: skip
                assert kinds == ["hold", "commit"]  # committed once
                account = session.get(AccountRow, (POINTS, "anna"))
                accrual = accrual_for(32_000, settings_for(None))  # on the card part
                assert account is not None
                assert (account.total, account.held) == (100_000 - 25_000 + accrual, 0)
        finally:
            engine.dispose()

        x = till.shifts.x_report()
        methods = dict(x.by_method)
        assert (x.sales_count, x.sales_total) == (1, 57_000)
        assert (methods["card"], methods["points"]) == (32_000, 25_000)

        printer = printing(store, emulator.port)
        printer.start()
        try:
            printer.enqueue_sale(till.sales.get_sale(sale.sale_id), venue_name="Bar")
            [printed] = emulator.wait_for_jobs(1)
        finally:
            printer.stop()
        text = [" ".join(line.split()) for line in printed.read_text("utf-8").splitlines()]
        number = order["number"]
        assert number and any(line == f"Заказ {number}" for line in text), text
        assert any(line.startswith("Баллы 250") for line in text), text
        assert any(line.startswith("Карта 320") for line in text), text
        assert any(line.startswith("Списано баллов 250") for line in text), text
        transport.close()
    finally:
        store.close()
