"""The customer-facing display (issue 22 point 8): a window of its own that follows the sale
- the basket, the amount to pay, the guest's name and points, the QR of the guest's one-time
Telegram link when the server says they are not subscribed (seed 003) - and after a cash
payment the change."""

from __future__ import annotations

from typing import Any

from pos_app.commands.demo_data import card_number, fill_till
from pos_app.services.subscription import Subscription
from pos_app.ui.till.customer_display import CustomerDisplay
from tests.ui.test_till_window import LATTE, open_shift


def _with_program(store: Any) -> None:
    with store.unit_of_work() as uow:
        fill_till(uow)  # the promo program with its subscription link; guest 1's code
        uow.commit()


def test_the_display_follows_the_sale_the_guest_and_the_change(till_factory: Any) -> None:
    till = till_factory(customer_display="on", before=_with_program)
    window = till.window
    till.qtbot.waitUntil(lambda: till.runtime.display is not None, timeout=5000)
    display = till.runtime.display
    assert isinstance(display, CustomerDisplay) and display.isVisible()
    assert display.isWindow() and display.focusPolicy().name == "NoFocus"
    till.sign_in()
    till.qtbot.waitUntil(lambda: window.staff is not None, timeout=20000)
    open_shift(till)
    assert display.guest.text() == "Welcome!" and not display.qr.isVisible()

    till.scan(LATTE)
    till.qtbot.waitUntil(lambda: display.lines.rowCount() == 1, timeout=5000)
    assert display.lines.item(0, 0).text() == window.basket.lines[0].name
    assert display.total.text() == "210,00 ₽"

    till.scan(f";{card_number(1)}?")  # guest 1: 10 %, and their own promo code
    till.qtbot.waitUntil(lambda: display.guest.text().startswith("Hello, "), timeout=5000)
    assert not display.qr.isVisible()  # no link is made up from the code
    guest_id = window.controller.guest.guest_id
    link = "https://t.me/venue_bot?start=one-time-token"
    till.runtime.bridge.on_subscription(Subscription("someone-else", False, link))
    till.qtbot.waitUntil(lambda: window.subscription.dialog is not None, timeout=5000)
    assert not display.qr.isVisible()  # not the guest greeted
    window.subscription.dialog.close()
    till.runtime.bridge.on_subscription(Subscription(guest_id, False, link))
    till.qtbot.waitUntil(display.qr.isVisible, timeout=5000)  # the server's answer, shown
    assert display.qr_link == link
    window.subscription.dialog.close()
    assert "pts" in display.guest.text()
    assert display.total.text() == "189,00 ₽"

    window.controller.pay("cash", 50_000)
    till.qtbot.waitUntil(lambda: display.caption.text() == "Your change", timeout=5000)
    assert display.total.text() == "311,00 ₽"
    assert display.note.text().startswith("Thank you!")
    assert display.guest.text().startswith("Hello, ") and display.qr.isVisible()  # stays
    till.scan(LATTE)  # the next sale starts: the change goes
    till.qtbot.waitUntil(lambda: display.caption.text() == "To pay", timeout=5000)
    assert display.guest.text() == "Welcome!" and not display.qr.isVisible()


def test_off_by_default_on_a_single_screen(till_factory: Any) -> None:
    till = till_factory()  # auto: shown only when a second screen exists
    till.qtbot.wait(200)
    assert till.runtime.display is None
