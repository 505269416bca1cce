"""The till window with a real ``pos-server run`` behind a fault proxy: a sale's operations
reach the server, the status bar tells online from offline and counts what waits, and a sale
made offline is delivered once the network is back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from pos_app.commands.composition import start_sync
from pos_app.commands.demo_data import fill_catalogue
from pos_app.commands.sync_runtime import enrol_data_dir, enrolled_terminal
from pos_app.commands.till_app import TillOptions, build_till
from pos_app.db.uow import SystemClock
from pos_app.devices.emulators.printer import PrinterEmulator
from pos_app.devices.emulators.serial_device import PtyDevice
from pos_app.domain.identifiers import Identifier, InputMethod, Medium
from pos_app.domain.money import rub
from pos_app.services.staff import StaffService
from tests.sync.conftest import give_points, new_code, server_account, server_ops
from tests.sync.faultproxy import FaultProxy, ServerProcess, seed_guests
from tests.ui.test_till_window import LATTE, open_shift
from tests.ui.till_fixtures import CASHIER_PIN, Till, started_till

CARD = "7711000000000007"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("server")
    with ServerProcess(f"sqlite:///{folder / 'server.sqlite3'}", folder,
                       sweep_interval_seconds=0) as process:  # fmt: skip
        yield process


def sell_latte(till: Till) -> None:
    window = till.window
    till.scan(LATTE)
    till.qtbot.waitUntil(lambda: window.controller.sale is not None, timeout=5000)
    window.controller.pay("cash", 500_00)
    till.qtbot.waitUntil(lambda: window.controller.sale is None, timeout=5000)


def test_sales_reach_the_server_and_an_offline_sale_follows_after_reconnect(
    server: ServerProcess, tmp_path: Path, qtbot: QtBot
) -> None:
    proxy = FaultProxy(server.port)
    url = f"http://127.0.0.1:{proxy.port}"
    folder = tmp_path / "till"
    store = enrol_data_dir(folder, url, new_code(server.db_url), f"file:{tmp_path / 'tokens'}")
    terminal = enrolled_terminal(store)
    assert terminal is not None
    with store.unit_of_work() as uow:
        fill_catalogue(uow)
        uow.commit()
    StaffService(store.unit_of_work, SystemClock()).add_staff(
        "s1", "Olga Cashier", "cashier", CASHIER_PIN, b"salt-s1"
    )
    till = started_till(store, TillOptions(data_dir=str(folder), lang="en", printer=None),
                        qtbot)  # fmt: skip
    runtime = till.runtime
    status = runtime.window.sync_status
    try:
        till.sign_in()
        qtbot.waitUntil(lambda: runtime.window.staff is not None, timeout=20000)
        open_shift(till)  # the start of the day's dialog: scans behind it are held
        sell_latte(till)
        qtbot.waitUntil(lambda: ("sale.closed", "applied") in [
            (kind, verdict) for _, kind, verdict, _ in server_ops(server.db_url, terminal)
        ], timeout=15000)  # fmt: skip
        qtbot.waitUntil(lambda: status.text().startswith("online") and "nothing waiting"
                        in status.text() and "last sync" in status.text(),
                        timeout=15000)  # fmt: skip

        proxy.go_offline()  # the network goes down; selling goes on
        sell_latte(till)
        # generous: the status follows the worker's failed send, which waits its turn on a
        # machine running the whole suite (it took over 15 s once there)
        qtbot.waitUntil(lambda: "offline since" in status.text()
                        and "waiting to send: 1" in status.text(), timeout=45000)  # fmt: skip
        assert [k for _, k, _, _ in server_ops(server.db_url, terminal)].count("sale.closed") == 1

        proxy.go_online()  # back: the next sale wakes the sender, both are delivered in order
        sell_latte(till)

        def delivered() -> int:
            return [k for _, k, _, _ in server_ops(server.db_url, terminal)].count("sale.closed")

        qtbot.waitUntil(lambda: delivered() == 3, timeout=20000)
        qtbot.waitUntil(lambda: status.text().startswith("online")
                        and "nothing waiting" in status.text(), timeout=20000)  # fmt: skip
        ops = server_ops(server.db_url, terminal)
        closed = [(seq, verdict) for seq, kind, verdict, _ in ops if kind == "sale.closed"]
        assert len(closed) == 3 and all(v == "applied" for _, v in closed)
        assert [seq for seq, _ in closed] == sorted(seq for seq, _ in closed)
    finally:
        till.stop()
        store.close()
        proxy.close()


def test_swipe_points_online_receipt_and_the_server_ledger(
    server: ServerProcess, tmp_path: Path, qtbot: QtBot
) -> None:
    """Issue 7 point 8: a swipe through the MSR emulator -> guest shown -> points chosen (an
    online hold the server judges) -> the rest in cash -> the receipt in the printer emulator
    -> the operations applied on the server, the guest's points spent there."""
    folder = tmp_path / "till"
    store = enrol_data_dir(folder, server.url, new_code(server.db_url),
                           f"file:{tmp_path / 'tokens'}")  # fmt: skip
    terminal = enrolled_terminal(store)
    assert terminal is not None
    guest_id = "ui-points-0"
    seed_guests(server.db_url, 1, terminal, prefix="ui-points-")
    give_points(server.db_url, guest_id, rub(500))
    start_sync(store, folder).puller.pull()  # the guest and their points reach the till
    with store.unit_of_work() as uow:
        fill_catalogue(uow)
        uow.guests.add_identifier(Identifier(Medium.CARD, InputMethod.MSR, CARD), guest_id)
        uow.commit()
    StaffService(store.unit_of_work, SystemClock()).add_staff(
        "s1", "Olga Cashier", "cashier", CASHIER_PIN, b"salt-s1"
    )
    printer, reader = PrinterEmulator(tmp_path / "printer", port=0), PtyDevice()
    options = TillOptions(data_dir=str(folder), lang="en", card_readers=(reader.path,),
                          printer=f"127.0.0.1:{printer.start()}")  # fmt: skip
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    runtime = build_till(options, app, store)
    qtbot.addWidget(runtime.window)
    runtime.window.show()
    runtime.window.start()
    till = Till(runtime, store, printer, reader, None, qtbot)  # type: ignore[arg-type]
    window = runtime.window
    try:
        till.sign_in()
        qtbot.waitUntil(lambda: window.staff is not None, timeout=20000)
        open_shift(till)
        qtbot.waitUntil(lambda: window.sync_status.text().startswith("online"), timeout=15000)
        till.scan(LATTE)
        till.scan(LATTE)
        assert reader.wait_for_driver(5.0)
        reader.send(f";{CARD}=4912?")  # the guest swipes on the serial card reader
        qtbot.waitUntil(lambda: window.guest_panel.guest is not None
                        and window.controller.sale is not None
                        and len(window.controller.sale.lines) == 1, timeout=5000)  # fmt: skip
        assert "500,00 pts available" in window.guest_panel.points.text()
        sale = window.controller.sale
        assert sale is not None and sale.total == 420_00  # no group: no discount
        window.controller.pay("points", 150_00)  # online: the server's verdict first
        qtbot.waitUntil(lambda: window.controller.sale is not None
                        and window.controller.sale.due == 270_00, timeout=10000)  # fmt: skip
        window.controller.pay("cash", 300_00)
        qtbot.waitUntil(lambda: window.controller.sale is None, timeout=5000)
        text = printer.wait_for_jobs(1, timeout=10)[0].read_text(encoding="utf-8")
        assert "Латте" in text and "Баллы" in text and "150,00" in text and "420,00" in text
        qtbot.waitUntil(lambda: "sale.closed" in [
            k for _, k, _, _ in server_ops(server.db_url, terminal)], timeout=15000)  # fmt: skip
        ops = {kind: verdict for _, kind, verdict, _ in server_ops(server.db_url, terminal)}
        assert ops.get("hold.placed") == "applied" and ops.get("sale.closed") == "applied"
        assert server_account(server.db_url, guest_id)[0] < rub(500)  # the points were spent
    finally:
        runtime.stop(app)
        store.close()
        printer.stop()
        reader.close()


def test_a_new_till_enrols_with_a_code_and_goes_online(
    server: ServerProcess, tmp_path: Path, qtbot: QtBot
) -> None:
    folder = tmp_path / "new-till"
    options = TillOptions(data_dir=str(folder), server=server.url, lang="en", printer=None,
                          enrol_code=new_code(server.db_url, "New till"),
                          token_store=f"file:{tmp_path / 'tokens'}")  # fmt: skip
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    runtime = build_till(options, app)
    qtbot.addWidget(runtime.window)
    runtime.window.show()
    runtime.window.start()  # the store opens (and the till enrols) on the op worker
    try:
        status = runtime.window.sync_status
        qtbot.waitUntil(lambda: status.text().startswith("online"), timeout=20000)
        store = runtime.backend.store
        assert store is not None and enrolled_terminal(store) is not None
    finally:
        runtime.stop(app)
