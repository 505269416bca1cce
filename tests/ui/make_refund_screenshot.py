"""Screenshots of the refund dialog and of the shift's blind count, with the demo data::

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python -m tests.ui.make_refund_screenshot

A sale is paid in cash, its receipt's QR is scanned on the sale screen (the refund dialog
opens on it) and one line is chosen (``till-refund.png``); then the shift dialog after cash
in / out and a count that differs (``till-shift-count.png``).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from pos_app.commands.demo_data import main as demo_data
from pos_app.commands.till_app import TillOptions
from pos_app.devices.emulators.printer import PrinterEmulator
from tests.ui.make_screenshots import keys, shoot, sign_in_and_open_shift, start_till, wait_until


def main(lang: str = "ru") -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as tmp:
        demo_data(["--data-dir", f"{tmp}/till"])
        printer = PrinterEmulator(Path(tmp) / "printer", port=0)
        options = TillOptions(data_dir=f"{tmp}/till", lang=lang,
                              printer=f"127.0.0.1:{printer.start()}")  # fmt: skip
        runtime, store = start_till(app, options)
        window = runtime.window
        sign_in_and_open_shift(window, "1111")
        for product in ("latte", "latte", "cheesecake", "pc-3h"):
            window.controller.add_product(product)
        wait_until(lambda: window.controller.sale is not None
                   and len(window.controller.sale.lines) == 3)  # fmt: skip
        window.controller.pay("cash", 200_000)
        wait_until(lambda: window.controller.sale is None)
        printer.wait_for_jobs(1, timeout=10)
        with store.unit_of_work() as uow:
            receipt = next(op.payload["receipt_no"] for op in uow.outbox.pending()
                           if op.kind == "sale.closed")  # fmt: skip
        keys(f"receipt:{receipt}\r", 4, 5_000_000, window)  # the receipt's QR, scanned
        wait_until(lambda: window.manager.refund_dialog is not None
                   and window.manager.refund_dialog.preview is not None)  # fmt: skip
        dialog = window.manager.refund_dialog
        assert dialog is not None
        dialog.set_quantity(1, 1)
        dialog.reason.setText("остыл")
        shoot("refund")
        dialog.reject()
        window.shift.show()
        wait_until(lambda: window.shift.dialog is not None and window.shift.dialog.isVisible()
                   and window.shift.dialog.shift is not None)  # fmt: skip
        shift = window.shift.dialog
        assert shift is not None
        shift.move_amount.setText("1000")
        shift.move_reason.setText("размен")
        shift.cash_in_button.click()
        wait_until(lambda: "1 000" in shift.message.text().replace("\u00a0", " "))
        shift.cash.setText("6900")
        shift.manager_pin.setText("9999")  # the sale is not sent anywhere: a manager allows it
        shift.close_button.click()
        wait_until(shift.reason.isVisible)
        shift.reason.setText("сдача без монет")
        shoot("shift-count")
        runtime.stop(app)
        store.close()
        printer.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:2]))
