"""What the receipt printer receives (decoded by the TCP printer emulator) after a sale paid at
the real till window: one line per payment method, the cash handed over and the change, and
the guest's points spent, earned and balance after, in the one points unit (б.)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from pos_app.commands.demo_data import card_number
from pos_app.domain.money import rub
from tests.ui.test_till_payments import _pay_with
from tests.ui.test_till_window import LATTE, signed_in


def rows(text: str, label: str) -> list[str]:
    """The values of the receipt's rows that start with ``label``."""
    return [line[len(label):].strip() for line in text.splitlines()
            if re.match(rf"{re.escape(label)}\s{{2,}}\S", line)]  # fmt: skip


def test_points_then_cash_in_two_parts_print_one_line_per_method(till_factory: Any) -> None:
    till = signed_in(till_factory)
    with till.store.unit_of_work() as uow:  # the 10 % group may spend 300 ₽ of points offline
        group = uow.groups.get("g10")
        assert group is not None
        uow.groups.add(replace(group, offline_allowance=rub(300)))
        uow.commit()
    window = till.window
    till.scan(LATTE)
    till.scan(LATTE)
    till.scan(f";{card_number(6)}?")  # guest 6: 10 %, 2 310 points
    till.qtbot.waitUntil(lambda: window.controller.sale is not None
                         and window.controller.sale.total == 378_00, timeout=5000)  # fmt: skip
    window.payment.pay()
    _pay_with(till, "points", "189")
    till.qtbot.waitUntil(lambda: window.controller.sale is not None
                         and window.controller.sale.due == 189_00, timeout=5000)  # fmt: skip
    _pay_with(till, "cash", "100")  # the guest hands over 100, then finds a 200 note
    till.qtbot.waitUntil(lambda: window.controller.sale is not None
                         and window.controller.sale.due == 89_00, timeout=5000)  # fmt: skip
    _pay_with(till, "cash", "200")
    till.qtbot.waitUntil(lambda: window.controller.sale is None, timeout=5000)
    text = till.printer.wait_for_jobs(1, timeout=10)[0].read_text(encoding="utf-8")
    assert rows(text, "Наличные") == ["189,00"], text  # one line for both cash parts
    assert rows(text, "Баллы") == ["189,00"], text
    assert rows(text, "Получено") == ["300,00"], text
    assert rows(text, "Сдача") == ["111,00"], text
    assert rows(text, "Списано баллов") == ["189,00 б."], text
    assert rows(text, "Начислено баллов") == ["9,45 б."], text  # 5 % of the 189 ₽ in money
    # 2 310 cached - 189 held by this sale (not in the snapshot yet) + 9,45 earned
    assert rows(text, "Баланс баллов") == ["2 130,45 б."], text
    assert "₽" not in text


def test_a_sale_without_a_guest_prints_no_points_and_change_even_when_zero(
    till_factory: Any,
) -> None:
    till = signed_in(till_factory)
    window = till.window
    till.scan(LATTE)
    till.qtbot.waitUntil(lambda: window.controller.sale is not None, timeout=5000)
    window.payment.pay()
    _pay_with(till, "cash", "210")  # exact
    till.qtbot.waitUntil(lambda: window.controller.sale is None, timeout=5000)
    text = till.printer.wait_for_jobs(1, timeout=10)[0].read_text(encoding="utf-8")
    assert rows(text, "Наличные") == ["210,00"], text
    assert rows(text, "Получено") == ["210,00"] and rows(text, "Сдача") == ["0,00"], text
    assert "баллов" not in text
