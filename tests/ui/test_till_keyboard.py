"""A sale without the mouse (issue 22, point 2): keys for every payment method and quick-cash
amount, Tab through every control, Up/Down through the basket with the added line selected,
the keypad's + and − as quantity keys, the focus back in the search field after a dialog.
The real window and store; keys go through the real wedge key hook."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from pos_app.commands.demo_data_catalog import ean13
from tests.ui.test_till_window import LATTE, signed_in
from tests.ui.till_fixtures import Till

ESPRESSO, AMERICANO, CAPPUCCINO = (ean13(f"46000000000{i}") for i in (1, 2, 3))


def _focused(till: Till, widget: QWidget) -> None:
    window = till.window
    window.activateWindow()
    widget.setFocus()
    till.qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=3000)


def _lines(till: Till, *expected: tuple[str, int]) -> None:
    def shown() -> bool:
        sale = till.window.controller.sale
        return sale is not None and tuple((x.name, x.quantity) for x in sale.lines) == expected

    till.qtbot.waitUntil(shown, timeout=5000)


def _selected(till: Till) -> str:
    basket = till.window.basket
    line_no = basket.selected_line()
    return next(line.name for line in basket.lines if line.line_no == line_no)


def test_the_line_just_added_is_selected_and_up_down_move(till_factory: Any) -> None:
    till = signed_in(till_factory)
    search = till.window.catalogue.search
    _focused(till, search)
    for code in (ESPRESSO, AMERICANO, CAPPUCCINO):
        till.scan(code)
    _lines(till, ("Эспрессо", 1), ("Американо", 1), ("Капучино", 1))
    assert _selected(till) == "Капучино"  # not the first line
    till.qtbot.keyClick(search, Qt.Key.Key_Up)
    assert _selected(till) == "Американо"
    till.qtbot.keyClick(search, Qt.Key.Key_Delete)  # an empty search field: Del is the line's
    _lines(till, ("Эспрессо", 1), ("Капучино", 1))
    till.scan(ESPRESSO)  # a second espresso: its line is the one selected now
    _lines(till, ("Эспрессо", 2), ("Капучино", 1))
    assert _selected(till) == "Эспрессо"
    till.qtbot.keyClick(search, Qt.Key.Key_Down)
    assert _selected(till) == "Капучино"


def test_a_line_added_to_a_long_basket_is_selected_and_in_view(till_factory: Any) -> None:
    till = signed_in(till_factory)
    window = till.window
    codes = [ean13(f"460{i:09d}") for i in (1, 2, 3, 4, 14, 15, 16, 17, 18, 19)]
    for code in codes:
        till.scan(code)
    till.qtbot.waitUntil(lambda: len(window.basket.lines) == len(codes), timeout=10000)
    table = window.basket.table
    last = window.basket.lines[-1]
    assert window.basket.selected_line() == last.line_no
    index = table.model().index(len(codes) - 1, 0)
    till.qtbot.waitUntil(lambda: table.viewport().rect().contains(table.visualRect(index)),
                         timeout=3000)  # fmt: skip


def test_keypad_plus_and_minus_change_the_quantity_not_the_search(till_factory: Any) -> None:
    till = signed_in(till_factory)
    window = till.window
    search = window.catalogue.search
    till.qtbot.waitUntil(lambda: bool(window.catalogue.visible_products()), timeout=5000)
    tiles = len(window.catalogue.visible_products())
    _focused(till, search)
    till.scan(ESPRESSO)
    till.scan(LATTE)
    _lines(till, ("Эспрессо", 1), ("Латте", 1))
    keypad = Qt.KeyboardModifier.KeypadModifier
    till.qtbot.keyClick(search, Qt.Key.Key_Plus, keypad)
    till.qtbot.keyClick(search, Qt.Key.Key_Plus, keypad)
    _lines(till, ("Эспрессо", 1), ("Латте", 3))
    till.qtbot.keyClick(search, Qt.Key.Key_Minus, keypad)
    _lines(till, ("Эспрессо", 1), ("Латте", 2))
    assert search.text() == "" and len(window.catalogue.visible_products()) == tiles


def test_every_payment_method_and_quick_cash_amount_has_a_key(till_factory: Any) -> None:
    till = signed_in(till_factory)
    window = till.window
    till.scan(LATTE)
    _lines(till, ("Латте", 1))
    window.payment.pay()
    till.qtbot.waitUntil(lambda: window.payment.dialog is not None
                         and window.payment.dialog.isVisible(), timeout=5000)  # fmt: skip
    dialog = window.payment.dialog
    assert dialog is not None
    methods = dialog.findChildren(QPushButton, "methodButton")
    names = [b.text() for b in methods]
    assert names == ["Cash (F1)", "Bank card (F2)", "Balance (F3)", "Points (F4)"]
    notes = [b.text() for b in dialog.findChildren(QPushButton, "noteButton")]
    assert notes == ["210,00 ₽ (F5)", "300,00 ₽ (F6)", "500,00 ₽ (F7)", "1\u00a0000,00 ₽ (F8)",
                     "2\u00a0000,00 ₽ (F9)"]  # fmt: skip
    till.qtbot.keyClick(dialog.edit, Qt.Key.Key_F2)
    assert dialog.method == "card" and not dialog.notes.isVisible()
    till.qtbot.keyClick(dialog.edit, Qt.Key.Key_F1)
    assert dialog.method == "cash" and dialog.notes.isVisible()
    # Tab reaches the methods, the amount and every quick-cash button
    reached = _tab_through(till, dialog.edit, 12)
    for button in [*methods[:2], *dialog.findChildren(QPushButton, "noteButton"), dialog.ok]:
        assert button in reached, button.text()
    till.qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6)  # 300 ₽ handed over
    till.qtbot.waitUntil(lambda: window.controller.sale is None, timeout=5000)
    assert "Change: 90,00" in window.banner.text()


def _tab_through(till: Till, start: QWidget, presses: int) -> list[QWidget | None]:
    _focused(till, start) if start.window() is till.window else start.setFocus()
    reached = []
    for _ in range(presses):
        widget = QApplication.focusWidget()
        assert widget is not None
        till.qtbot.keyClick(widget, Qt.Key.Key_Tab)  # held for the wedge's interval at most
        till.qtbot.waitUntil(lambda w=widget: QApplication.focusWidget() is not w, timeout=2000)
        reached.append(QApplication.focusWidget())
    return reached


def test_tab_reaches_every_control_of_the_selling_screen(till_factory: Any) -> None:
    till = signed_in(till_factory)
    window = till.window
    till.qtbot.waitUntil(lambda: bool(window.catalogue.visible_products()), timeout=5000)
    till.scan(LATTE)
    _lines(till, ("Латте", 1))
    till.qtbot.waitUntil(window.pay_button.isEnabled, timeout=3000)
    reached = _tab_through(till, window.catalogue.search, 60)
    controls = [window.pay_button, window.find_button, window.promo_button,
                window.discount_button, window.cancel_button, window.shift_button,
                window.refund_button, window.sign_out_button, window.basket.table,
                *window.basket.findChildren(type(window.pay_button))]  # fmt: skip
    for control in controls:
        assert control in reached, control.objectName() or control.text()
    assert window.catalogue.search in reached  # round the whole screen and back
    tiles = [w for w in reached if w is not None and w.objectName() == "productTile"]
    groups = [w for w in reached if w is not None and w.objectName() == "groupButton"]
    assert tiles and groups
    # Shift+Tab goes back
    first = _tab_through(till, window.catalogue.search, 1)[0]
    assert first is not None
    till.qtbot.keyClick(first, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    till.qtbot.waitUntil(lambda: QApplication.focusWidget() is window.catalogue.search,
                         timeout=2000)  # fmt: skip


def test_after_a_dialog_the_focus_is_back_in_the_search_field(till_factory: Any) -> None:
    till = signed_in(till_factory)
    window = till.window
    till.scan(LATTE)
    _lines(till, ("Латте", 1))
    _focused(till, window.catalogue.search)
    till.qtbot.keyClick(window.catalogue.search, Qt.Key.Key_Tab)  # away, to a button
    till.qtbot.waitUntil(lambda: QApplication.focusWidget() is not window.catalogue.search,
                         timeout=2000)  # fmt: skip
    window.payment.pay()
    till.qtbot.waitUntil(lambda: window.payment.dialog is not None
                         and window.payment.dialog.isVisible(), timeout=5000)  # fmt: skip
    dialog = window.payment.dialog
    assert dialog is not None
    dialog.reject()
    till.qtbot.waitUntil(lambda: QApplication.focusWidget() is window.catalogue.search,
                         timeout=3000)  # fmt: skip
    window.shift.show()  # any dialog: the shift's too
    till.qtbot.waitUntil(lambda: window.shift.dialog is not None
                         and window.shift.dialog.isVisible(), timeout=5000)  # fmt: skip
    shift = window.shift.dialog
    assert shift is not None
    shift.reject()
    till.qtbot.waitUntil(lambda: QApplication.focusWidget() is window.catalogue.search,
                         timeout=3000)  # fmt: skip
