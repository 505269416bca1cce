"""Scans while a dialog is open (issue 22, point 1): nothing changes behind the dialog unless
the reading means something there, the payment dialog's amount due follows the sale, and a
quick "300" + Enter typed into the amount field is an amount, not a scan. The real window,
store and wedge decoder; scans are keyboard-wedge bursts."""

from __future__ import annotations

from typing import Any

from pos_app.commands.demo_data import card_number, fill_till
from pos_app.commands.demo_data_catalog import ean13
from pos_app.ui.till.payment import PaymentDialog
from tests.ui.test_till_window import LATTE, open_shift, signed_in
from tests.ui.till_fixtures import Till

ESPRESSO = ean13("460000000001")  # the demo catalogue's first product


def _paying(till: Till, total: int) -> PaymentDialog:
    """One latte in the basket and the payment dialog open."""
    window = till.window
    till.scan(LATTE)
    till.qtbot.waitUntil(lambda: window.controller.sale is not None
                         and window.controller.sale.total == total, timeout=5000)  # fmt: skip
    window.payment.pay()
    till.qtbot.waitUntil(lambda: window.payment.dialog is not None
                         and window.payment.dialog.isVisible(), timeout=5000)  # fmt: skip
    dialog = window.payment.dialog
    assert dialog is not None and dialog.due == total
    return dialog


def test_a_product_scanned_during_payment_is_held_and_said(till_factory: Any) -> None:
    till = signed_in(till_factory)
    window = till.window
    dialog = _paying(till, 210_00)
    till.scan(ESPRESSO)
    till.qtbot.waitUntil(lambda: window.banner.isVisible() or window.controller.sale is None
                         or len(window.controller.sale.lines) > 1, timeout=5000)  # fmt: skip
    sale = window.controller.sale
    assert sale is not None and [(x.name, x.quantity) for x in sale.lines] == [("Латте", 1)]
    assert dialog.notice.isVisible() and dialog.notice.text() == "Scan ignored during payment."
    assert window.banner.text() == "Scan ignored during payment."
    till.scan(LATTE)
    till.qtbot.wait(300)  # nothing is queued behind the dialog: give it time to go wrong
    sale = window.controller.sale
    assert sale is not None and [(x.name, x.quantity) for x in sale.lines] == [("Латте", 1)]
    assert dialog.isVisible() and dialog.due == 210_00
    with till.store.unit_of_work() as uow:  # and on disk: one line
        stored = uow.sales.get(sale.sale_id)
    assert stored is not None and [line.quantity for line in stored.lines] == [1]


def test_a_guest_card_scanned_into_the_payment_dialog_and_the_due_follows(
    till_factory: Any,
) -> None:
    till = signed_in(till_factory)
    window = till.window
    dialog = _paying(till, 210_00)
    assert not dialog.balance_button.isEnabled()  # no guest yet
    till.scan(f";{card_number(1)}?")  # guest 1: 10 % off, 1 500 ₽ on the balance
    till.qtbot.waitUntil(lambda: dialog.due == 189_00, timeout=5000)
    assert dialog.due_label.text() == "189,00 ₽"
    assert dialog.edit.text() == "189,00"  # the untouched amount follows the due
    assert dialog.note_amounts[0] == 189_00
    till.qtbot.waitUntil(dialog.balance_button.isEnabled, timeout=5000)  # their balance now
    assert window.guest_panel.guest is not None and dialog.isVisible()
    dialog.choose("balance")
    dialog.ok.click()
    till.qtbot.waitUntil(lambda: window.controller.sale is None, timeout=5000)
    assert "Sale T1-" in window.banner.text()


def test_a_promo_code_scanned_into_the_payment_dialog_reprices_it(till_factory: Any) -> None:
    till: Till = till_factory()
    with till.store.unit_of_work() as uow:
        fill_till(uow)  # before the till's services open: the TOPLASER program is known
        uow.commit()
    till.sign_in()
    till.qtbot.waitUntil(lambda: till.window.staff is not None, timeout=20000)
    open_shift(till)
    dialog = _paying(till, 210_00)
    till.scan("TOPLASER6502")
    till.qtbot.waitUntil(lambda: dialog.due == 178_50, timeout=5000)  # 15 % off
    assert dialog.due_label.text() == "178,50 ₽" and dialog.isVisible()


def test_300_and_enter_typed_fast_into_the_amount_is_cash_not_a_scan(till_factory: Any) -> None:
    till = signed_in(till_factory)
    window = till.window
    dialog = _paying(till, 210_00)
    dialog.edit.clear()
    till.keys("300\r", 30, dialog.edit)  # 30 ms apart: as fast as a short scan
    till.qtbot.waitUntil(lambda: window.controller.sale is None, timeout=5000)
    assert "Change: 90,00" in window.banner.text()
    assert "No product" not in window.banner.text()


def test_a_scan_while_the_shift_dialog_is_open_changes_nothing(till_factory: Any) -> None:
    till = signed_in(till_factory)
    window = till.window
    window.shift.show()
    till.qtbot.waitUntil(lambda: window.shift.dialog is not None
                         and window.shift.dialog.isVisible(), timeout=5000)  # fmt: skip
    till.scan(LATTE)
    till.qtbot.waitUntil(window.banner.isVisible, timeout=5000)
    assert window.banner.text() == (
        "Scan ignored while a window is open: close it, then scan again."
    )
    till.qtbot.wait(300)
    assert window.controller.sale is None


def test_a_card_scanned_into_the_find_guest_dialog_finds_the_guest(till_factory: Any) -> None:
    till = signed_in(till_factory)
    window = till.window
    window.guests.find_guest()  # not blocking: the event loop (and the scanner) keep running
    dialog = window.guests.find_dialog
    assert dialog is not None and dialog.isVisible()
    till.scan(LATTE)  # a product's code means nothing here
    till.qtbot.waitUntil(window.banner.isVisible, timeout=5000)
    assert window.banner.text().startswith("Scan ignored")
    assert dialog.isVisible() and window.controller.sale is None
    till.scan(f";{card_number(2)}?")
    till.qtbot.waitUntil(lambda: window.guest_panel.guest is not None, timeout=5000)
    assert not dialog.isVisible()
