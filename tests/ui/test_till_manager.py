"""Manager-approved actions in the till window (issue 7 points 1-2): an order discount within
the cashier's limit goes through, beyond it a manager's PIN is asked (a wrong one refused); a
line discount and a price change of the selected line; a refund of a closed sale by its receipt
number, once. The real window, store and services; the shortcuts are the window's own."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut

from pos_app.db.uow import SystemClock
from pos_app.services.staff import StaffService
from tests.ui.test_till_window import LATTE, signed_in
from tests.ui.till_fixtures import Till

MANAGER_PIN = "9999"


def with_manager(till_factory: Any) -> Till:
    till = signed_in(till_factory)
    StaffService(till.store.unit_of_work, SystemClock()).add_staff(
        "m1", "Oleg Manager", "manager", MANAGER_PIN, b"salt-m1"
    )
    return till


def press(till: Till, key: str) -> None:
    """Activate the window's shortcut for ``key`` (as the key press would)."""
    found = [s for s in till.window.findChildren(QShortcut) if s.key() == QKeySequence(key)]
    assert len(found) == 1, key
    found[0].activated.emit()


def answer(till: Till, text: str) -> None:
    dialog = till.window.input_dialog
    till.qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible(), timeout=5000)
    assert dialog is not None
    dialog.setTextValue(text)
    dialog.accept()


def manager_answers(till: Till, pin: str) -> None:
    window = till.window
    till.qtbot.waitUntil(lambda: window.manager_dialog is not None
                         and window.manager_dialog.isVisible(), timeout=5000)  # fmt: skip
    dialog = window.manager_dialog
    assert dialog is not None and "Olga Cashier may not do this alone" in dialog.labelText()
    dialog.setTextValue(pin)
    dialog.accept()


def basket_with_two_lattes(till: Till) -> None:
    till.scan(LATTE)
    till.scan(LATTE)
    till.qtbot.waitUntil(lambda: till.window.controller.sale is not None
                         and till.window.controller.sale.lines[0].quantity == 2,
                         timeout=5000)  # fmt: skip


def total(till: Till) -> int | None:
    sale = till.window.controller.sale
    return sale.total if sale is not None else None


def test_an_order_discount_within_the_limit_and_beyond_it_with_a_managers_pin(
    till_factory: Any,
) -> None:
    till = with_manager(till_factory)
    basket_with_two_lattes(till)  # 2 x 210 ₽
    press(till, "F7")
    answer(till, "5")  # a cashier's own right: no PIN asked
    till.qtbot.waitUntil(lambda: total(till) == 399_00, timeout=5000)
    assert till.window.manager_dialog is None

    till.window.discount_button.click()
    answer(till, "20")
    manager_answers(till, "1234")  # a wrong PIN: refused, nothing changed
    till.qtbot.waitUntil(lambda: "Wrong PIN" in till.window.banner.text(), timeout=5000)
    assert total(till) == 399_00

    press(till, "F7")
    answer(till, "20")
    manager_answers(till, MANAGER_PIN)
    till.qtbot.waitUntil(lambda: total(till) == 336_00, timeout=5000)

    press(till, "F7")
    answer(till, "150")  # not a percentage: said plainly
    till.qtbot.waitUntil(lambda: "from 0 to 100" in till.window.banner.text(), timeout=5000)
    assert total(till) == 336_00


def test_a_line_discount_and_a_price_change_of_the_selected_line(till_factory: Any) -> None:
    till = with_manager(till_factory)
    press(till, "F8")  # no sale yet
    assert "Add something to the basket first" in till.window.banner.text()
    basket_with_two_lattes(till)
    till.window.basket.table.selectRow(0)  # the last line added is selected anyway
    press(till, "F8")
    answer(till, "5")
    till.qtbot.waitUntil(lambda: total(till) == 2 * 199_50, timeout=5000)

    press(till, "Shift+F8")  # a price change needs the price_override right
    answer(till, "150")
    manager_answers(till, MANAGER_PIN)
    till.qtbot.waitUntil(lambda: total(till) == 300_00, timeout=5000)


def test_a_closed_sale_is_refunded_once_with_a_managers_pin(till_factory: Any) -> None:
    till = with_manager(till_factory)
    window = till.window
    basket_with_two_lattes(till)
    window.controller.pay("cash", 500_00)
    till.qtbot.waitUntil(lambda: window.controller.sale is None, timeout=5000)
    with till.store.unit_of_work() as uow:
        closed = [op.payload for op in uow.outbox.pending() if op.kind == "sale.closed"]
    receipt_no = closed[0]["receipt_no"]

    window.refund_button.click()
    answer(till, receipt_no)
    manager_answers(till, MANAGER_PIN)
    till.qtbot.waitUntil(lambda: "refunded" in window.banner.text(), timeout=5000)
    assert f"Receipt {receipt_no} refunded." in window.banner.text()
    assert "Hand back 420,00" in window.banner.text()
    with till.store.unit_of_work() as uow:
        refunds = [op.payload for op in uow.outbox.pending() if op.kind == "sale.refunded"]
    assert len(refunds) == 1 and refunds[0]["approved_by"] == "m1"

    press(till, "F11")  # the same receipt again, its number scanned: refused, nothing queued
    till.qtbot.waitUntil(lambda: window.input_dialog is not None
                         and window.input_dialog.isVisible(), timeout=5000)  # fmt: skip
    till.scan(receipt_no)
    manager_answers(till, MANAGER_PIN)
    till.qtbot.waitUntil(lambda: "already refunded" in window.banner.text(), timeout=5000)
    with till.store.unit_of_work() as uow:
        assert [op.kind for op in uow.outbox.pending()].count("sale.refunded") == 1
