"""Screenshots of the real till with the demo data, for the README.

Run under a virtual display (the window is drawn by the real X server, dialogs included)::

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python -m tests.ui.make_screenshots

It fills a temporary store with ``pos-app demo-data``, builds the till through the same
composition root as ``pos-app till``, signs in with the demo cashier's PIN, scans products and
swipes a guest card through the keyboard-wedge path, and saves ``docs/screenshots/till-*.png``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from pos_app.commands.demo_data import card_number
from pos_app.commands.demo_data import main as demo_data
from pos_app.commands.demo_data_catalog import ean13
from pos_app.commands.store_factory import open_till_store
from pos_app.commands.till_app import TillOptions, TillRuntime, build_till
from pos_app.db import Store
from pos_app.devices.acquiring import FakeCardTerminal
from pos_app.devices.emulators.printer import PrinterEmulator
from pos_app.ui.main_window import TillWindow

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        QApplication.processEvents()
        time.sleep(0.01)


def settle(seconds: float = 0.4) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def keys(text: str, gap_ms: int, stamp: int, window: QWidget) -> None:
    """Key presses with timestamps: a scanner's burst (gap 4 ms) or a person typing."""
    for i, char in enumerate(text):
        target: QWidget | None = QApplication.focusWidget() or window
        key = int(Qt.Key.Key_Return) if char == "\r" else ord(char.upper()) & 0xFFFF
        event = QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, char)
        event.setTimestamp(stamp + i * gap_ms)
        QApplication.sendEvent(target, event)
    settle(0.2)


def shoot(name: str) -> None:
    settle(0.5)
    screen = QApplication.primaryScreen()
    screen.grabWindow(0).save(str(OUT / f"till-{name}.png"))
    print(f"saved {OUT / f'till-{name}.png'}")


def start_till(app: QApplication, options: TillOptions) -> tuple[TillRuntime, Store]:
    """The till built from ``options`` (its data dir filled with the demo data by the caller),
    maximised on a 1366x768 screen, its PIN dialog up."""
    store = open_till_store(options.data_dir)
    runtime = build_till(options, app, store)
    window = runtime.window
    window.setGeometry(0, 0, 1366, 768)
    window.showMaximized()
    window.start()
    wait_until(lambda: window.sign_in_dialog is not None and window.sign_in_dialog.isVisible())
    return runtime, store


def sign_in_and_open_shift(window: TillWindow, pin: str) -> None:
    """Sign in with ``pin`` (the dialog is up) and open the shift with 5 000 ₽ in the drawer."""
    dialog = window.sign_in_dialog
    assert dialog is not None
    dialog.pin.setText(pin)
    dialog.submit()
    wait_until(lambda: window.staff is not None, 30.0)
    wait_until(lambda: window.shift.dialog is not None and window.shift.dialog.isVisible())
    shift = window.shift.dialog
    assert shift is not None
    shift.cash.setText("5000")
    shift.open_button.click()
    wait_until(lambda: shift.shift is not None)
    shift.accept()
    window.activateWindow()


def main(lang: str = "ru") -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        demo_data(["--data-dir", f"{tmp}/till"])
        printer = PrinterEmulator(Path(tmp) / "printer", port=0)
        terminal = FakeCardTerminal()
        options = TillOptions(data_dir=f"{tmp}/till", lang=lang,
                              printer=f"127.0.0.1:{printer.start()}",
                              card_terminal=f"127.0.0.1:{terminal.start()}")  # fmt: skip
        runtime, store = start_till(app, options)
        window = runtime.window
        dialog = window.sign_in_dialog
        assert dialog is not None
        dialog.pin.setText("11")
        shoot("sign-in")
        sign_in_and_open_shift(window, "1111")
        stamp = 1_000_000
        for barcode in (ean13("460000000004"), ean13("460000000004"), ean13("460000000026")):
            stamp += 100_000
            keys(barcode + "\r", 4, stamp, window)
        more = ("pc-3h", "cheesecake", "cola", "burger", "fries", "tea-mate", "nachos", "syrniki")
        for product in more:  # 10 lines: the basket shows 8+ with the guest identified
            window.controller.add_product(product)
        wait_until(lambda: window.controller.sale is not None
                   and len(window.controller.sale.lines) == 2 + len(more))  # fmt: skip
        stamp += 100_000
        keys(f";{card_number(1)}=4912?\r", 4, stamp, window)
        wait_until(lambda: window.guest_panel.guest is not None)
        window.catalogue.show_group("coffee")
        shoot("sale")
        window.payment.pay()
        wait_until(lambda: window.payment.dialog is not None
                   and window.payment.dialog.isVisible())  # fmt: skip
        payment = window.payment.dialog
        assert payment is not None
        sale = window.controller.sale
        assert sale is not None
        payment.edit.setText(str(-(-sale.due // 500_00) * 500))  # notes: change to hand back
        shoot("payment")
        payment.ok.click()
        wait_until(lambda: window.controller.sale is None)
        printer.wait_for_jobs(1, timeout=10)
        shoot("closed")
        window.shift.show()
        wait_until(lambda: window.shift.dialog is not None and window.shift.dialog.isVisible()
                   and window.shift.dialog.shift is not None)  # fmt: skip
        report = window.shift.dialog
        assert report is not None
        report.x_button.click()
        wait_until(lambda: "X-ОТЧЁТ" in report.report.toPlainText())
        shoot("x-report")
        runtime.stop(app)
        store.close()
        printer.stop()
        terminal.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:2]))
