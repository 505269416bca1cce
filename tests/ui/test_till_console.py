"""Till + console on one terminal (issue 8 point 1): the till window of an enrolled till shows
the incoming guest orders in a tab, from a real ``pos-server run``, on the till's own store and
outbox: an order accepted there and a sale sold there reach the server as one gap-free queue.
The role is a stored per-terminal setting; a till that is not enrolled says why."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from pos_app.commands.demo_data import fill_catalogue
from pos_app.commands.sync_runtime import enrol_data_dir, enrolled_terminal, load_token
from pos_app.commands.till_app import TillOptions, TillRuntime
from pos_app.commands.till_console import SharedQueueSender
from pos_app.db import Store
from pos_app.db.uow import SystemClock
from pos_app.domain.operations import parse
from pos_app.domain.orders import OrderAction, OrderState
from pos_app.services.staff import StaffService
from pos_app.services.sync_queue import SyncQueue
from pos_app.services.terminal_role import TILL_AND_CONSOLE, TerminalRoles
from pos_app.sync.order_actions import HttpActionSender
from pos_app.sync.transport import HttpTransport
from tests.sync.conftest import new_code, server_ops
from tests.sync.test_order_stream_server import RealServer
from tests.ui.test_console import FakeSound
from tests.ui.test_till_sync import sell_latte
from tests.ui.test_till_window import open_shift
from tests.ui.till_fixtures import CASHIER_PIN, Till, started_till


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealServer]:
    running = RealServer(tmp_path_factory.mktemp("till-console")).start()
    running.add_guest("anna", "Anna Smirnova")
    try:
        yield running
    finally:
        running.stop()


def prepared(store: Store) -> Store:
    with store.unit_of_work() as uow:
        fill_catalogue(uow)
        uow.commit()
    StaffService(store.unit_of_work, SystemClock()).add_staff(
        "s1", "Olga Cashier", "cashier", CASHIER_PIN, b"salt-s1"
    )
    return store


def open_till(qtbot: QtBot, store: Store, options: TillOptions) -> tuple[Till, TillRuntime]:
    till = started_till(store, options, qtbot, console_sound=FakeSound())
    return till, till.runtime


def stop(runtime: TillRuntime, store: Store) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    runtime.stop(app)
    store.close()


def test_the_till_shows_incoming_orders_and_shares_its_queue_with_them(
    server: RealServer, tmp_path: Path, qtbot: QtBot
) -> None:
    folder = tmp_path / "till"
    store = prepared(enrol_data_dir(folder, server.base, new_code(server.db_url),
                                    f"file:{tmp_path / 'tokens'}"))  # fmt: skip
    terminal = enrolled_terminal(store)
    assert terminal is not None
    options = TillOptions(data_dir=str(folder), lang="en", printer=None, with_console=True)
    till, runtime = open_till(qtbot, store, options)
    window = runtime.window
    try:
        till.sign_in()
        qtbot.waitUntil(lambda: window.staff is not None, timeout=20000)
        open_shift(till)  # the start of the day's dialog: scans behind it are held
        qtbot.waitUntil(lambda: runtime.console is not None and runtime.console.stream.online
                        and runtime.console.window.ready, timeout=10000)  # fmt: skip
        tabs, console = window.orders_tabs, runtime.console
        assert tabs is not None and tabs.tabText(1) == "Orders"
        assert tabs.tabText(0) == "Sale" and tabs.currentIndex() == 0  # selling comes first

        server.place("tc-1", note="table 2")
        qtbot.waitUntil(lambda: console.window.model.row_of("tc-1") is not None, timeout=5000)
        assert tabs.tabText(1) == "Orders (1)"  # seen from the sale screen
        assert console.window.alert._sound.played == ["new_order"]

        tabs.switch()  # F10
        assert tabs.currentIndex() == 1
        console.window.panel.select("tc-1")
        qtbot.waitUntil(lambda: console.window.detail.order is not None, timeout=5000)
        console.window.detail.action_requested.emit("tc-1", OrderAction.ACCEPT.value, "", "")
        qtbot.waitUntil(lambda: (row := console.window.model.row_of("tc-1")) is not None
                        and console.window.model.order(row).state is OrderState.ACCEPTED,
                        timeout=10000)  # fmt: skip
        qtbot.waitUntil(lambda: tabs.tabText(1) == "Orders", timeout=5000)  # none waiting

        tabs.switch()
        sell_latte(till)  # the till's worker sends the sale after the acceptance, same queue
        qtbot.waitUntil(lambda: "sale.closed" in [k for _, k, _, _ in server_ops(
            server.db_url, terminal)], timeout=15000)  # fmt: skip
        ops = server_ops(server.db_url, terminal)
        assert [(k, v) for _, k, v, _ in ops if k in ("order.accepted", "sale.closed")] == [
            ("order.accepted", "applied"), ("sale.closed", "applied")]
        assert [seq for seq, *_ in ops] == list(range(1, len(ops) + 1))  # one gap-free queue
    finally:
        stop(runtime, store)


def test_the_role_is_stored_and_a_till_not_enrolled_says_why(
    tmp_path: Path, qtbot: QtBot
) -> None:
    from pos_app.commands.store_factory import open_till_store

    folder = tmp_path / "till"
    store = prepared(open_till_store(folder))
    _, runtime = open_till(qtbot, store, TillOptions(data_dir=str(folder), lang="en",
                                                          printer=None))  # fmt: skip
    qtbot.wait(400)  # the role check runs on the op worker; a plain till gets no tabs
    assert runtime.window.orders_tabs is None and runtime.console is None
    stop(runtime, store)

    store = open_till_store(folder)
    options = TillOptions(data_dir=str(folder), lang="en", printer=None, role=TILL_AND_CONSOLE)
    _, runtime = open_till(qtbot, store, options)
    try:
        qtbot.waitUntil(lambda: runtime.window.orders_tabs is not None
                        and runtime.window.orders_tabs.count() == 2, timeout=5000)  # fmt: skip
        tabs = runtime.window.orders_tabs
        assert tabs is not None
        reason = tabs.widget(1)
        assert isinstance(reason, QLabel) and "not enrolled" in reason.text()
        assert runtime.console is None
        assert TerminalRoles(store.unit_of_work).role() == TILL_AND_CONSOLE  # kept for later
    finally:
        stop(runtime, store)


def test_an_action_the_tills_worker_sent_first_keeps_its_verdict(
    server: RealServer, tmp_path: Path
) -> None:
    """The till's worker and the console push one queue: when the worker sends an order
    action between the console's commit and its push, the console still gets the verdict."""
    folder = tmp_path / "till"
    store = enrol_data_dir(folder, server.base, new_code(server.db_url),
                           f"file:{tmp_path / 'tokens'}")  # fmt: skip
    _, token = load_token(store)

    def sender() -> HttpActionSender:
        return HttpActionSender(SyncQueue(store.unit_of_work, store.clock),
                                HttpTransport(server.base, token))  # fmt: skip

    def queued(order_id: str) -> str:
        with store.unit_of_work() as uow:
            entry = uow.outbox.append(parse("order.accepted", {"order_id": order_id}))
            uow.commit()
        return entry.op_id

    try:
        server.place("race-1")
        first, worker = queued("race-1"), sender()  # the worker stands in for the till's
        assert worker.flush() == 1
        assert sender().push_until(first) is None  # the plain sender finds nothing waiting
        verdict = SharedQueueSender(sender(), store).push_until(first)
        assert verdict is not None and verdict.status == "applied"

        second = queued("race-1")  # accepted already: the server says conflict
        assert worker.flush() == 1
        verdict = SharedQueueSender(sender(), store).push_until(second)
        assert verdict is not None and verdict.status == "conflict" and verdict.reason
    finally:
        store.close()


def test_an_order_paid_on_the_orders_tab_is_a_till_sale_with_the_tills_payment_dialog(
    server: RealServer, tmp_path: Path, qtbot: QtBot
) -> None:
    """Issue 20 point 2: *Pay* on the orders tab asks first, then opens the order as the till's
    sale in its own payment dialog; paid in cash it closes like any sale (receipt number, the
    shift) and the server marks the order paid by that sale."""
    import requests

    from pos_app.domain.guests import Guest
    from tests.ui.test_till_window import LATTE

    folder = tmp_path / "till"
    store = prepared(enrol_data_dir(folder, server.base, new_code(server.db_url),
                                    f"file:{tmp_path / 'tokens'}"))  # fmt: skip
    with store.unit_of_work() as uow:
        product = uow.products.by_barcode(LATTE)
        uow.guests.add(Guest("anna", "Anna Smirnova", ("+79121234567",)))
        uow.commit()
    assert product is not None
    options = TillOptions(data_dir=str(folder), lang="en", printer=None, with_console=True)
    till, runtime = open_till(qtbot, store, options)
    window = runtime.window
    try:
        till.sign_in()
        qtbot.waitUntil(lambda: window.staff is not None, timeout=20000)
        open_shift(till)
        qtbot.waitUntil(lambda: runtime.console is not None and runtime.console.stream.online
                        and runtime.console.window.ready, timeout=10000)  # fmt: skip
        tabs, console = window.orders_tabs, runtime.console
        assert tabs is not None and console is not None
        line = {"product_id": product.id, "name": product.name, "quantity": 2,
                "unit_price": product.price}  # fmt: skip
        number = server.place("tp-1", lines=[line])["number"]
        qtbot.waitUntil(lambda: console.window.model.row_of("tp-1") is not None, timeout=5000)
        tabs.switch()
        console.window.panel.select("tp-1")
        detail = console.window.detail
        qtbot.waitUntil(lambda: detail.order is not None and detail.order.order_id == "tp-1",
                        timeout=5000)  # fmt: skip
        detail.buttons[OrderAction.ACCEPT].click()
        qtbot.waitUntil(lambda: OrderAction.PAY in {a for a, b in detail.buttons.items()
                                                    if b.isEnabled()}, timeout=10000)  # fmt: skip
        detail.buttons[OrderAction.PAY].click()
        qtbot.waitUntil(lambda: console.window.confirmation is not None, timeout=3000)
        question = console.window.confirmation
        assert question is not None and f"order {number}?" in question.windowTitle()
        question.confirm.click()
        qtbot.waitUntil(lambda: window.payment.dialog is not None
                        and window.payment.dialog.isVisible(), timeout=10000)  # fmt: skip
        assert tabs.currentIndex() == 0  # the sale screen, with the order's sale
        dialog = window.payment.dialog
        assert dialog is not None and dialog.due == 2 * product.price
        sale = window.controller.sale
        assert sale is not None and sale.guest is not None and sale.guest.guest_id == "anna"
        dialog.reject()
        window.controller.pay("cash", 2 * product.price + 10_000)  # change handed back
        qtbot.waitUntil(lambda: window.controller.sale is None, timeout=5000)

        def paid() -> dict[str, object]:
            answer: dict[str, object] = requests.get(
                f"{server.base}/v1/orders/tp-1", headers=server.admin.headers, timeout=5).json()
            return answer

        qtbot.waitUntil(lambda: paid()["state"] == "paid", timeout=15000)
        assert paid()["paid_by_sale"] == sale.sale_id
        qtbot.waitUntil(lambda: (row := console.window.model.row_of("tp-1")) is not None
                        and console.window.model.order(row).state is OrderState.PAID,
                        timeout=10000)  # fmt: skip
    finally:
        stop(runtime, store)


def test_an_order_holding_points_is_paid_on_the_orders_tab_from_its_hold_and_the_dialog(
    server: RealServer, tmp_path: Path, qtbot: QtBot
) -> None:
    """Seed 001 "P add to order" on a till with the orders tab: *Pay* opens the order as the
    till's sale with its line in points already paid by the order's own hold, and the payment
    dialog asks only for the rest; paid in cash, the server marks the order paid by that sale
    with the points from the hold."""
    from datetime import UTC, datetime

    import requests

    from pos_app.domain.guests import Guest
    from pos_server.db import make_engine, make_sessions
    from pos_server.repositories.points_ledger import credit_points
    from tests.ui.test_till_window import LATTE

    engine = make_engine(server.db_url)
    with make_sessions(engine).begin() as session:
        credit_points(session, "anna", 100_000, now=datetime.now(UTC), actor="t", reason="gift")
    engine.dispose()
    folder = tmp_path / "till"
    store = prepared(enrol_data_dir(folder, server.base, new_code(server.db_url),
                                    f"file:{tmp_path / 'tokens'}"))  # fmt: skip
    with store.unit_of_work() as uow:
        product = uow.products.by_barcode(LATTE)
        uow.guests.add(Guest("anna", "Anna Smirnova", ("+79121234567",)))
        uow.commit()
    assert product is not None
    options = TillOptions(data_dir=str(folder), lang="en", printer=None, with_console=True)
    till, runtime = open_till(qtbot, store, options)
    window = runtime.window
    try:
        till.sign_in()
        qtbot.waitUntil(lambda: window.staff is not None, timeout=20000)
        open_shift(till)
        qtbot.waitUntil(lambda: runtime.console is not None and runtime.console.stream.online
                        and runtime.console.window.ready, timeout=10000)  # fmt: skip
        tabs, console = window.orders_tabs, runtime.console
        assert tabs is not None and console is not None
        line = {"product_id": product.id, "name": product.name, "quantity": 1,
                "unit_price": product.price}  # fmt: skip
        placed = server.place("tp-2", lines=[{**line, "in_points": True}, line])
        assert placed["points_hold_amount"] == product.price
        qtbot.waitUntil(lambda: console.window.model.row_of("tp-2") is not None, timeout=5000)
        tabs.switch()
        console.window.panel.select("tp-2")
        detail = console.window.detail
        qtbot.waitUntil(lambda: detail.order is not None and detail.order.order_id == "tp-2",
                        timeout=5000)  # fmt: skip
        detail.buttons[OrderAction.ACCEPT].click()
        qtbot.waitUntil(lambda: OrderAction.PAY in {a for a, b in detail.buttons.items()
                                                    if b.isEnabled()}, timeout=10000)  # fmt: skip
        detail.buttons[OrderAction.PAY].click()
        qtbot.waitUntil(lambda: console.window.confirmation is not None, timeout=3000)
        question = console.window.confirmation
        assert question is not None
        question.confirm.click()
        qtbot.waitUntil(lambda: window.payment.dialog is not None
                        and window.payment.dialog.isVisible(), timeout=10000)  # fmt: skip
        assert tabs.currentIndex() == 0
        dialog = window.payment.dialog
        assert dialog is not None and dialog.due == product.price  # only the line for money
        sale = window.controller.sale
        assert sale is not None
        assert [(p.method, p.amount) for p in sale.payments] == [("points", product.price)]
        dialog.reject()
        window.controller.pay("cash", product.price)
        qtbot.waitUntil(lambda: window.controller.sale is None, timeout=5000)

        def paid() -> dict[str, object]:
            answer: dict[str, object] = requests.get(
                f"{server.base}/v1/orders/tp-2", headers=server.admin.headers, timeout=5
            ).json()
            return answer

        qtbot.waitUntil(lambda: paid()["state"] == "paid", timeout=15000)
        now = paid()
        assert (now["paid_by_sale"], now["paid_points"], now["paid_money"]) == (
            sale.sale_id, product.price, product.price)  # fmt: skip
    finally:
        stop(runtime, store)
