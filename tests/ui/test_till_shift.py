"""The shift at the till: opened at sign-in with the drawer's count (the dialog then closes),
cash in and out, the X report on screen, a blind count, closing (Z) with operations not yet
sent needs a manager's PIN and a count that differs a reason, the report printed with the
till's name."""

from __future__ import annotations

from typing import Any

from pos_app.db.uow import SystemClock
from pos_app.services.shifts import TERMINAL_NAME_KEY
from pos_app.services.staff import StaffService
from tests.ui.test_till_window import LATTE, signed_in


def _named(store: Any) -> None:
    with store.unit_of_work() as uow:
        uow.settings.set(TERMINAL_NAME_KEY, "Бар у окна")
        uow.commit()


def test_a_blind_count_cash_moves_and_a_z_with_a_reason_printed(till_factory: Any) -> None:
    till = signed_in(till_factory, before=_named)  # the shift was opened with 1 000 ₽
    window = till.window
    assert window.shift.dialog is not None and not window.shift.dialog.isVisible()
    assert window.statusBar().currentMessage() == "Shift 1 opened."  # back to selling
    StaffService(till.store.unit_of_work, SystemClock()).add_staff(
        "m1", "Oleg Manager", "manager", "9999", b"salt-m1"
    )
    till.scan(LATTE)
    till.qtbot.waitUntil(lambda: window.controller.sale is not None, timeout=5000)
    window.controller.pay("cash", 500_00)
    till.qtbot.waitUntil(lambda: window.controller.sale is None, timeout=5000)

    window.shift.show()
    till.qtbot.waitUntil(lambda: window.shift.dialog is not None
                         and window.shift.dialog.isVisible()
                         and window.shift.dialog.shift is not None, timeout=5000)  # fmt: skip
    dialog = window.shift.dialog
    assert dialog is not None
    assert "Shift 1 is open since" in dialog.state.text()
    assert "1\u00a0210" not in dialog.state.text()  # blind: the expected cash is not shown
    assert not dialog.cash_in_button.isEnabled()
    dialog.move_amount.setText("100")
    dialog.move_reason.setText("размен")
    dialog.cash_in_button.click()
    till.qtbot.waitUntil(lambda: dialog.message.text() == "Cash in: 100,00 ₽", timeout=5000)
    assert dialog.move_amount.text() == ""
    dialog.move_amount.setText("50")
    dialog.move_reason.setText("в банк")
    dialog.cash_out_button.click()
    till.qtbot.waitUntil(lambda: dialog.message.text() == "Cash out: 50,00 ₽", timeout=5000)
    dialog.x_button.click()
    till.qtbot.waitUntil(lambda: "X-ОТЧЁТ" in dialog.report.toPlainText(), timeout=5000)
    x = dialog.report.toPlainText()
    assert "Продаж" in x and "касса Бар у окна" in x and "размен" in x and "в банк" in x
    assert "Ожидается в кассе" not in x  # blind: the X report keeps the expected cash unsaid

    dialog.cash.setText("1200")  # 1 260 ₽ expected: 60 ₽ short
    dialog.close_button.click()  # the sale's operation is still in the outbox: not yet
    till.qtbot.waitUntil(dialog.manager_pin.isVisible, timeout=5000)
    assert "have not reached the server yet" in dialog.message.text()
    dialog.manager_pin.setText("9999")
    dialog.close_button.click()
    till.qtbot.waitUntil(dialog.reason.isVisible, timeout=5000)  # the count differs: why?
    assert dialog.message.text() == (
        "Expected 1\u00a0260,00 ₽, counted 1\u00a0200,00 ₽: 60,00 ₽ short.")
    assert dialog.shift is not None and not dialog.close_button.isEnabled()
    dialog.reason.setText("сдача без монет")
    assert dialog.close_button.isEnabled()
    dialog.close_button.click()
    till.qtbot.waitUntil(lambda: dialog.shift is None, timeout=5000)
    report = dialog.report.toPlainText()
    assert "Z-ОТЧЁТ" in report and "-60,00 ₽" in report and "Причина: сдача без монет" in report
    dialog.print_button.click()
    jobs = till.printer.wait_for_jobs(2, timeout=10)  # the sale's receipt, then the report
    printed = jobs[-1].read_text(encoding="utf-8")
    assert "Z-ОТЧЁТ" in printed and "касса Бар у окна" in printed
    with till.store.unit_of_work() as uow:
        closed = [op.payload for op in uow.outbox.pending() if op.kind == "shift.closed"]
    assert closed[0]["difference_reason"] == "сдача без монет"
    assert [m["kind"] for m in closed[0]["movements"]] == ["in", "out"]


def test_a_till_without_a_printer_says_so_when_the_report_is_printed(till_factory: Any) -> None:
    till = signed_in(till_factory, printer=None)
    window = till.window
    window.shift.show()
    till.qtbot.waitUntil(lambda: window.shift.dialog is not None
                         and window.shift.dialog.isVisible()
                         and window.shift.dialog.shift is not None, timeout=5000)  # fmt: skip
    dialog = window.shift.dialog
    assert dialog is not None
    dialog.x_button.click()
    till.qtbot.waitUntil(lambda: "X-ОТЧЁТ" in dialog.report.toPlainText(), timeout=5000)
    dialog.print_button.click()
    till.qtbot.waitUntil(
        lambda: dialog.message.text() == "No printer is set up on this till.", timeout=5000
    )
    assert till.printer.printed == []  # the emulator on loopback was never told of


def test_voiding_a_part_paid_sale_needs_a_managers_pin(till_factory: Any) -> None:
    till = signed_in(till_factory)
    StaffService(till.store.unit_of_work, SystemClock()).add_staff(
        "m1", "Oleg Manager", "manager", "9999", b"salt-m1"
    )
    window = till.window
    till.scan(LATTE)
    till.qtbot.waitUntil(lambda: window.controller.sale is not None, timeout=5000)
    window.controller.pay("cash", 100_00)  # part paid (the dialog for the rest comes up)
    till.qtbot.waitUntil(lambda: window.controller.sale is not None
                         and window.controller.sale.due == 110_00, timeout=5000)  # fmt: skip
    till.qtbot.waitUntil(lambda: window.payment.dialog is not None, timeout=5000)
    assert window.payment.dialog is not None
    window.payment.dialog.reject()  # the guest changed their mind: the sale is voided
    window.payment.cancel_sale()
    dialog = window.manager.pin_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.setTextValue("1111")  # the cashier's own PIN does not void
    dialog.accept()
    till.qtbot.waitUntil(
        lambda: window.banner.text() == "A manager's PIN is needed for this.", timeout=5000
    )
    assert window.controller.sale is not None
    window.payment.cancel_sale()
    dialog = window.manager.pin_dialog
    assert dialog is not None
    dialog.setTextValue("9999")
    dialog.accept()
    till.qtbot.waitUntil(lambda: window.controller.sale is None, timeout=5000)
    with till.store.unit_of_work() as uow:
        assert "sale.cancelled" in [op.kind for op in uow.outbox.pending()]


def test_the_next_cashier_signs_in_and_the_open_sale_stays(till_factory: Any) -> None:
    till = signed_in(till_factory)
    StaffService(till.store.unit_of_work, SystemClock()).add_staff(
        "m1", "Oleg Manager", "manager", "9999", b"salt-m1"
    )
    window = till.window
    till.scan(LATTE)
    till.qtbot.waitUntil(lambda: window.controller.sale is not None, timeout=5000)
    window.sign_out_button.click()
    assert window.staff is None and window.cashier.text() == ""
    till.scan(LATTE)  # nobody signed in: a reading is not a sale line
    till.sign_in("9999")
    till.qtbot.waitUntil(lambda: window.staff is not None, timeout=20000)
    assert "Oleg Manager" in window.cashier.text()
    sale = window.controller.sale
    assert sale is not None and [line.quantity for line in sale.lines] == [1]
