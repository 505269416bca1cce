"""The on-screen numpad (issue 22 point 8): cash in the payment dialog, a line's quantity
(F2 or the basket's Qty button) and a price typed by tapping, the focus kept in the field."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from pos_app.ui.till.numpad import NumberDialog
from tests.ui.test_till_manager import press
from tests.ui.test_till_window import LATTE, signed_in


def _tap(numpad: Any, keys: str) -> None:
    for key in keys:
        numpad.keys[key].click()


def test_cash_is_tapped_into_the_payment_dialog(till_factory: Any) -> None:
    till = signed_in(till_factory)
    window = till.window
    till.scan(LATTE)
    till.qtbot.waitUntil(lambda: window.controller.sale is not None, timeout=5000)
    window.payment.pay()
    till.qtbot.waitUntil(lambda: window.payment.dialog is not None
                         and window.payment.dialog.isVisible(), timeout=5000)  # fmt: skip
    dialog = window.payment.dialog
    assert dialog is not None and dialog.edit.text() == "210,00"  # the due, selected
    assert all(k.focusPolicy() == Qt.FocusPolicy.NoFocus for k in dialog.numpad.keys.values())
    _tap(dialog.numpad, "500")  # replaces the pre-filled amount, as typing would
    assert dialog.edit.text() == "500"
    assert dialog.hint.text() == "Change 290,00 ₽"
    _tap(dialog.numpad, "⌫")
    assert dialog.edit.text() == "50"
    dialog.numpad.keys["C"].click()
    assert dialog.edit.text() == "" and not dialog.ok.isEnabled()
    _tap(dialog.numpad, "2,5")
    assert dialog.edit.text() == "2,5"
    dialog.reject()


def test_a_lines_quantity_and_a_price_on_the_numpad(till_factory: Any) -> None:
    till = signed_in(till_factory)
    window = till.window
    till.scan(LATTE)
    till.qtbot.waitUntil(lambda: window.controller.sale is not None, timeout=5000)
    press(till, "F2")
    dialog = window.basket.quantity_dialog
    till.qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible(), timeout=5000)
    assert isinstance(dialog, NumberDialog) and dialog.textValue() == "1"
    assert "," not in dialog.numpad.keys  # a quantity is whole
    _tap(dialog.numpad, "3")
    dialog.accept()
    till.qtbot.waitUntil(lambda: window.controller.sale is not None
                         and window.controller.sale.lines[0].quantity == 3,
                         timeout=5000)  # fmt: skip

    window.manager.ask_price()  # Shift+F8: the price on the numpad too
    asking = window.manager.input_dialog
    assert isinstance(asking, NumberDialog) and asking.isVisible()
    _tap(asking.numpad, "199")
    assert asking.textValue() == "199"
    asking.reject()


def test_the_drawer_is_counted_on_the_numpad(till_factory: Any) -> None:
    till = till_factory()
    till.sign_in()
    till.qtbot.waitUntil(lambda: till.window.staff is not None, timeout=20000)
    window = till.window
    till.qtbot.waitUntil(lambda: window.shift.dialog is not None
                         and window.shift.dialog.isVisible(), timeout=10000)  # fmt: skip
    dialog = window.shift.dialog
    assert dialog is not None
    _tap(dialog.numpad, "1500")
    assert dialog.cash.text() == "1500"
    dialog.open_button.click()
    till.qtbot.waitUntil(lambda: dialog.shift is not None, timeout=5000)
    assert dialog.shift.opening_cash == 1_500_00
