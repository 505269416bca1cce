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
from pos_app.commands.till_app import TillOptions
from tests.ui.make_reconciliation_screenshot import LATTE
from tests.ui.make_screenshots import keys, shoot, sign_in_and_open_shift, start_till, wait_until


def main(lang: str = "ru") -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as tmp:
        demo_data(["--data-dir", f"{tmp}/till"])
        runtime, store = start_till(app, TillOptions(data_dir=f"{tmp}/till", lang=lang,
                                                     printer=None))  # fmt: skip
        window = runtime.window
        sign_in_and_open_shift(window, "1111")  # the demo cashier
        keys(LATTE + "\r", 4, 1_000_000, window)
        keys(LATTE + "\r", 4, 1_100_000, window)
        keys("QR-GUEST-03\r", 4, 1_200_000, window)
        wait_until(lambda: window.guest_panel.guest is not None
                   and window.controller.sale is not None)  # fmt: skip
        window.loyalty.ask_bonus_settings()
        wait_until(lambda: window.loyalty.dialog is not None and window.loyalty.dialog.isVisible())
        bonus = window.loyalty.dialog
        assert bonus is not None
        bonus.accrual.setText("10")
        bonus.redemption.setText("100")
        shoot("bonus-override")
        runtime.stop(app)
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:2]))
