"""The screenshot of one order's bonus settings (Shift+F7), for the README.

Run under a virtual display, like the other till screenshots::

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python -m tests.ui.make_bonus_screenshot

The demo cashier scans two lattes and the demo guest's app code, presses Shift+F7 and types
the new percentages; ``docs/screenshots/till-bonus-override.png`` is saved with the dialog open.
"""

from __future__ import annotations

import sys
import tempfile

from PySide6.QtWidgets import QApplication

from pos_app.commands.demo_data import main as demo_data
from pos_app.commands.store_factory import open_till_store
from pos_app.commands.till_app import TillOptions, build_till
from tests.ui.make_reconciliation_screenshot import LATTE
from tests.ui.make_screenshots import keys, shoot, wait_until


def main(lang: str = "ru") -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as tmp:
        demo_data(["--data-dir", f"{tmp}/till"])
        store = open_till_store(f"{tmp}/till")
        runtime = build_till(TillOptions(data_dir=f"{tmp}/till", lang=lang, printer=None), app,
                             store)  # fmt: skip
        window = runtime.window
        window.setGeometry(0, 0, 1366, 768)
        window.showMaximized()
        window.start()
        wait_until(lambda: window.sign_in_dialog is not None and window.sign_in_dialog.isVisible())
        dialog = window.sign_in_dialog
        assert dialog is not None
        dialog.pin.setText("1111")  # the demo cashier
        dialog.submit()
        wait_until(lambda: window.staff is not None, 30.0)
        wait_until(lambda: window.shift_dialog is not None and window.shift_dialog.isVisible())
        shift = window.shift_dialog
        assert shift is not None
        shift.cash.setText("5000")
        shift.open_button.click()
        wait_until(lambda: shift.shift is not None)
        shift.accept()
        window.activateWindow()
        keys(LATTE + "\r", 4, 1_000_000, window)
        keys(LATTE + "\r", 4, 1_100_000, window)
        keys("QR-GUEST-03\r", 4, 1_200_000, window)
        wait_until(lambda: window.guest_panel.guest is not None
                   and window.controller.sale is not None)  # fmt: skip
        window.ask_bonus_settings()
        wait_until(lambda: window.bonus_dialog is not None and window.bonus_dialog.isVisible())
        bonus = window.bonus_dialog
        assert bonus is not None
        bonus.accrual.setText("10")
        bonus.redemption.setText("100")
        shoot("bonus-override")
        runtime.stop(app)
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:2]))
