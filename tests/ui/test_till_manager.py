"""Manager-approved actions in the till window (issue 7 points 1-2): an order discount within
the cashier's limit goes through, beyond it a manager's PIN is asked (a wrong one refused); a
line discount and a price change of the selected line; a refund found by the receipt's QR,
previewed and given back in parts, the receipt printed with the drawer kick. The real window,
store and services; the shortcuts are the window's own."""

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
    dialog = till.window.manager.input_dialog
    till.qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible(), timeout=5000)
    assert dialog is not None
    dialog.setTextValue(text)
    dialog.accept()


def manager_answers(till: Till, pin: str) -> None:
    window = till.window
    till.qtbot.waitUntil(lambda: window.manager.pin_dialog is not None
                         and window.manager.pin_dialog.isVisible(), timeout=5000)  # fmt: skip
    dialog = window.manager.pin_dialog
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
    assert till.window.manager.pin_dialog is None

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


def refund_dialog(till: Till) -> Any:
    window = till.window
    till.qtbot.waitUntil(lambda: window.manager.refund_dialog is not None
                         and window.manager.refund_dialog.isVisible(), timeout=5000)  # fmt: skip
    return window.manager.refund_dialog


def test_a_receipt_is_found_previewed_and_refunded_in_parts_with_a_managers_pin(
    till_factory: Any,
) -> None:
    till = with_manager(till_factory)
    window = till.window
    basket_with_two_lattes(till)
    window.controller.pay("cash", 500_00)
    till.qtbot.waitUntil(lambda: window.controller.sale is None, timeout=5000)
    till.printer.wait_for_jobs(1, timeout=10)  # the sale's receipt
    with till.store.unit_of_work() as uow:
        closed = [op.payload for op in uow.outbox.pending() if op.kind == "sale.closed"]
    receipt_no = closed[0]["receipt_no"]

    window.refund_button.click()  # the receipt first: today's list, no PIN asked yet
    dialog = refund_dialog(till)
    till.qtbot.waitUntil(lambda: dialog.today.rowCount() == 1, timeout=5000)
    assert dialog.today.item(0, 0).text() == receipt_no
    assert window.manager.pin_dialog is None and not dialog.refund_button.isEnabled()
    till.scan(f"receipt:{receipt_no}")  # the receipt's QR: its preview
    till.qtbot.waitUntil(lambda: dialog.preview is not None, timeout=5000)
    assert receipt_no in dialog.title.text() and "420,00" in dialog.title.text()
    assert dialog.lines.rowCount() == 1 and dialog.lines.item(0, 1).text() == "2"
    dialog.set_quantity(1, 1)  # one of the two lattes
    assert dialog.amount.text() == "To give back: 210,00 ₽"
    dialog.refund_button.click()
    manager_answers(till, MANAGER_PIN)  # the cashier's role lacks the right: now the PIN
    till.qtbot.waitUntil(lambda: "refunded" in window.banner.text(), timeout=5000)
    assert f"Receipt {receipt_no} refunded in part." in window.banner.text()
    assert "Hand back 210,00" in window.banner.text() and not dialog.isVisible()
    jobs = till.printer.wait_for_jobs(2, timeout=10)
    slip = jobs[-1].read_text(encoding="utf-8")
    assert "ВОЗВРАТ" in slip and receipt_no in slip and "[DRAWER]" in slip
    assert "Спасибо за покупку" not in slip and "Возврат оформлен" in slip
    assert "1 x 210,00" in slip

    till.scan(f"receipt:{receipt_no}")  # scanned on the sale screen: the dialog, previewed
    dialog = refund_dialog(till)
    till.qtbot.waitUntil(lambda: dialog.preview is not None, timeout=5000)
    assert "refunded so far: 210,00" in dialog.title.text()
    dialog.select_all()
    assert dialog.amount.text() == "To give back: 210,00 ₽"
    dialog.refund_button.click()
    manager_answers(till, MANAGER_PIN)
    till.qtbot.waitUntil(lambda: f"Receipt {receipt_no} refunded." in window.banner.text(),
                         timeout=5000)  # fmt: skip
    till.printer.wait_for_jobs(3, timeout=10)

    press(till, "F11")  # the same receipt again, its short number typed: nothing left
    dialog = refund_dialog(till)
    dialog.code.setText("1")
    dialog.look_up()
    till.qtbot.waitUntil(lambda: dialog.preview is not None, timeout=5000)
    assert dialog.message.text() == "This receipt was already refunded in full."
    assert not dialog.refund_button.isEnabled() and not dialog.all_button.isEnabled()
    with till.store.unit_of_work() as uow:
        refunds = [op.payload for op in uow.outbox.pending() if op.kind == "sale.refunded"]
    assert [r["lines"] for r in refunds] == [[{"line_no": 1, "quantity": 1, "amount": 210_00}]] * 2
    assert all(r["approved_by"] == "m1" for r in refunds)


def test_an_unknown_receipt_is_said_in_the_dialog(till_factory: Any) -> None:
    till = with_manager(till_factory)
    press(till, "F11")
    dialog = refund_dialog(till)
    dialog.code.setText("T1-999999")
    dialog.look_up()
    till.qtbot.waitUntil(lambda: dialog.message.text() != "", timeout=5000)
    assert dialog.message.text() == "There is no such receipt at this till."
    assert dialog.preview is None
