"""The screenshot of the customer-facing display, for the README.

Run under a virtual display, like the other till screenshots::

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python -m tests.ui.make_display_screenshot

The demo cashier scans two lattes and a guest's card; the server's answer that the guest is
not subscribed to the venue's Telegram bot (given here through the bridge, as the till's link
client would) shows their one-time link as a QR; the display (``--customer-display on``: one
screen here) is grabbed at 1024×600 into ``docs/screenshots/till-customer-display.png``.
Then the till in touch mode (``--touch``): coloured product tiles and the payment dialog with
its numpad, ``docs/screenshots/till-touch-numpad.png`` (the 1366×768 screen).
"""

from __future__ import annotations

import sys
import tempfile

from PySide6.QtWidgets import QApplication

from pos_app.commands.demo_data import card_number
from pos_app.commands.demo_data import main as demo_data
from pos_app.commands.till_app import TillOptions
from pos_app.services.subscription import Subscription
from pos_app.ui.theme import STYLE_SHEET
from tests.ui.make_reconciliation_screenshot import LATTE
from tests.ui.make_screenshots import (
    OUT,
    keys,
    settle,
    shoot,
    sign_in_and_open_shift,
    start_till,
    wait_until,
)


def main(lang: str = "ru") -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as tmp:
        demo_data(["--data-dir", f"{tmp}/till"])
        options = TillOptions(data_dir=f"{tmp}/till", lang=lang, printer=None,
                              customer_display="on")  # fmt: skip
        runtime, store = start_till(app, options)
        window = runtime.window
        wait_until(lambda: runtime.display is not None)
        display = runtime.display
        assert display is not None
        sign_in_and_open_shift(window, "1111")  # the demo cashier
        keys(LATTE + "\r", 4, 1_000_000, window)
        keys(LATTE + "\r", 4, 1_100_000, window)
        window.controller.identify(card_number(1), "msr")  # guest 1's card, as swiped
        wait_until(lambda: window.controller.guest is not None)
        guest_id = window.controller.guest.guest_id
        link = "https://t.me/toplaser_demo_bot?start=q7Kx2mYtW9"
        runtime.bridge.on_subscription(Subscription(guest_id, False, link))
        wait_until(lambda: display.qr.isVisible() and display.lines.rowCount() == 1)
        if window.subscription.dialog is not None:
            window.subscription.dialog.close()
        display.resize(1024, 600)
        settle(0.5)
        path = OUT / "till-customer-display.png"
        display.grab().save(str(path))
        print(f"saved {path}")
        runtime.stop(app)
        store.close()
    with tempfile.TemporaryDirectory() as tmp:
        demo_data(["--data-dir", f"{tmp}/till"])
        options = TillOptions(data_dir=f"{tmp}/till", lang=lang, printer=None,
                              customer_display="off", touch=True)  # fmt: skip
        runtime, store = start_till(app, options)
        window = runtime.window
        sign_in_and_open_shift(window, "1111")
        keys(LATTE + "\r", 4, 2_000_000, window)
        keys(LATTE + "\r", 4, 2_100_000, window)
        wait_until(lambda: window.look.touch and window.controller.sale is not None)
        window.payment.pay()
        wait_until(lambda: window.payment.dialog is not None and window.payment.dialog.isVisible())
        dialog = window.payment.dialog
        assert dialog is not None
        for key in "500":
            dialog.numpad.keys[key].click()
        shoot("touch-numpad")
        dialog.reject()
        runtime.stop(app)
        store.close()
        app.setStyleSheet(STYLE_SHEET)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:2]))
