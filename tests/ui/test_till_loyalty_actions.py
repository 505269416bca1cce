"""The till window's loyalty actions (issue 7 point 1): Shift+F7 sets one order's bonus
settings - a cashier needs a manager's PIN, then the payment screen's points cap and the
sale.closed payload follow; Shift+F4 resets the guest's holds - asked only for an identified
guest, a reason and a manager's PIN, and a till without a server says so. The real window,
store and services (the server side: tests/sync/test_hold_reset.py)."""

from __future__ import annotations

from typing import Any

from pos_app.commands.demo_data import card_number
from tests.ui.test_till_manager import MANAGER_PIN, answer, manager_answers, press, with_manager
from tests.ui.test_till_window import LATTE
from tests.ui.till_fixtures import Till


def _guest_sale(till: Till) -> None:
    window = till.window
    till.scan(LATTE)
    till.scan(LATTE)
    till.scan(f";{card_number(6)}?")  # guest 6: group 10 %, 2 310 points
    till.qtbot.waitUntil(lambda: window.controller.sale is not None
                         and window.controller.sale.total == 378_00
                         and window.guest_panel.guest is not None, timeout=5000)  # fmt: skip


def _bonus_dialog(till: Till) -> Any:
    window = till.window
    till.qtbot.waitUntil(lambda: window.loyalty.dialog is not None
                         and window.loyalty.dialog.isVisible(), timeout=5000)  # fmt: skip
    return window.loyalty.dialog


def test_a_managers_bonus_settings_change_the_points_cap_and_travel_with_the_sale(
    till_factory: Any,
) -> None:
    till = with_manager(till_factory)
    window = till.window
    press(till, "Shift+F7")  # no sale yet
    assert "Add something to the basket first" in window.banner.text()
    _guest_sale(till)

    press(till, "Shift+F7")
    dialog = _bonus_dialog(till)
    assert "points accrued 5 %, at most 50 %" in dialog.current.text()
    dialog.redemption.setText("150")  # not a percentage: the dialog stays and says so
    dialog._accept()
    assert dialog.isVisible() and "from 0 to 100" in dialog.problem.text()
    dialog.redemption.setText("10")
    dialog.accrual.setText("20")
    dialog._accept()
    manager_answers(till, MANAGER_PIN)  # Olga is a cashier
    till.qtbot.waitUntil(lambda: "This order: points accrued 20 %, at most 10 %"
                         in window.banner.text(), timeout=5000)  # fmt: skip

    window.payment.pay()
    till.qtbot.waitUntil(lambda: window.payment.dialog is not None
                         and window.payment.dialog.isVisible(), timeout=5000)  # fmt: skip
    payment = window.payment.dialog
    assert payment is not None and payment.options.points_online == 37_80  # 10 % of 378 ₽
    payment.reject()
    window.controller.pay("cash", 378_00)
    till.qtbot.waitUntil(lambda: window.controller.sale is None, timeout=5000)
    assert "Points to the guest: 75,60" in window.banner.text()  # 20 % of 378 ₽
    with till.store.unit_of_work() as uow:
        [closed] = [op.payload for op in uow.outbox.pending() if op.kind == "sale.closed"]
    assert closed["loyalty_override"] == {"accrual_bp": 2_000, "max_redemption_bp": 1_000,
                                          "approved_by": "m1"}  # fmt: skip


def test_reset_holds_needs_a_guest_a_reason_and_a_server(till_factory: Any) -> None:
    till = with_manager(till_factory)
    window = till.window
    press(till, "Shift+F4")
    assert window.banner.text() == "Identify the guest first."
    _guest_sale(till)
    press(till, "Shift+F4")
    answer(till, "the till crashed mid-payment")
    till.qtbot.waitUntil(lambda: window.manager.pin_dialog is not None
                         and window.manager.pin_dialog.isVisible(), timeout=5000)  # fmt: skip
    pin_dialog = window.manager.pin_dialog
    assert pin_dialog is not None and "releases the holds of" in pin_dialog.labelText()
    pin_dialog.setTextValue("1234")  # a wrong PIN is refused before any server call
    pin_dialog.accept()
    till.qtbot.waitUntil(lambda: "Wrong PIN" in window.banner.text(), timeout=5000)

    press(till, "Shift+F4")
    answer(till, "the till crashed mid-payment")
    till.qtbot.waitUntil(lambda: window.manager.pin_dialog is not None
                         and window.manager.pin_dialog.isVisible(), timeout=5000)  # fmt: skip
    window.manager.pin_dialog.setTextValue(MANAGER_PIN)
    window.manager.pin_dialog.accept()
    till.qtbot.waitUntil(lambda: "not enrolled with a server" in window.banner.text(),
                         timeout=5000)  # fmt: skip
