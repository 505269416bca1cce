"""Screenshots of a till + console terminal and of a manager's approval, for the README.

Run under a virtual display::

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python -m tests.ui.make_orders_screenshot

It starts a real ``pos-server run`` on a temporary SQLite file, enrols a till filled by
``pos-app demo-data``, places three guest orders through the API, opens the till with the
orders tab (``--with-console``), and saves ``docs/screenshots/till-orders.png`` (the orders
tab, one order selected) and ``till-manager-pin.png`` (a 20 % discount asking for a
manager's PIN).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from pos_app.commands.demo_data import main as demo_data
from pos_app.commands.sync_runtime import enrol_data_dir
from pos_app.commands.till_app import TillOptions, build_till
from tests.sync.conftest import new_code
from tests.sync.test_order_stream_server import RealServer
from tests.ui.make_screenshots import keys, settle, shoot, wait_until
from tests.ui.test_till_window import LATTE


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "server").mkdir()
        server = RealServer(Path(tmp) / "server").start()
        try:
            return _shoot(app, server, Path(tmp))  # type: ignore[arg-type]
        finally:
            server.stop()


def _shoot(app: QApplication, server: RealServer, tmp: Path) -> int:
    folder = tmp / "till"
    demo_data(["--data-dir", str(folder)])
    store = enrol_data_dir(folder, server.base, new_code(server.db_url), f"file:{tmp / 'token'}")
    server.add_guest("anna", "Анна Смирнова")
    options = TillOptions(data_dir=str(folder), lang="ru", printer=None, with_console=True)
    runtime = build_till(options, app, store)
    window = runtime.window
    window.resize(1366, 768)
    window.show()
    window.start()
    try:
        wait_until(lambda: window.sign_in_dialog is not None and window.sign_in_dialog.isVisible())
        assert window.sign_in_dialog is not None
        window.sign_in_dialog.pin.setText("1111")
        window.sign_in_dialog.submit()
        wait_until(lambda: window.staff is not None, 20)
        settle(1.0)
        if window.shift.dialog is not None and window.shift.dialog.isVisible():
            window.shift.dialog.cash.setText("5000")
            window.shift.dialog.open_button.click()
            wait_until(lambda: window.shift.dialog.shift is not None)  # type: ignore[union-attr]
            window.shift.dialog.accept()
        wait_until(lambda: runtime.console is not None and runtime.console.window.ready, 15)
        for number, note in ((1, "стол 4"), (2, "без сахара"), (3, "к 19:30")):
            server.place(f"demo-{number}", note=note)
        console = runtime.console
        wait_until(lambda: console.window.model.row_of("demo-3") is not None, 10)
        keys(LATTE + "\r", 4, 5_000_000, window)
        wait_until(lambda: window.controller.sale is not None)
        window.manager.ask_order_discount()
        assert window.manager.input_dialog is not None
        window.manager.input_dialog.setTextValue("20")
        window.manager.input_dialog.accept()
        wait_until(lambda: window.manager.pin_dialog is not None
                   and window.manager.pin_dialog.isVisible())  # fmt: skip
        settle(0.8)
        shoot("manager-pin")
        window.manager.pin_dialog.reject()  # type: ignore[union-attr]
        assert window.orders_tabs is not None
        window.orders_tabs.switch()
        console.window.panel.select("demo-2")
        wait_until(lambda: console.window.detail.order is not None)
        settle(1.0)
        shoot("orders")
    finally:
        runtime.stop(app)
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
