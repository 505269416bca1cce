"""The selling screen at 1366×768 with a guest identified: a compact guest panel that expands on
demand, one row per basket line (its discount in its own column), at least 8 lines visible,
the points limit readable, the change in big type after a cash payment, refusals in red and
the previous sale's banner gone when the next sale starts. The real window and store."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel

from pos_app.commands.demo_data import card_number
from pos_app.domain.money import rub
from pos_app.ui.main_window import TillWindow
from tests.ui.test_till_manager import press
from tests.ui.test_till_window import LATTE, signed_in
from tests.ui.till_fixtures import Till

PRODUCTS = ("latte", "croissant", "cheesecake", "pc-3h", "cola", "burger", "fries", "tea-mate",
            "nachos", "syrniki")  # fmt: skip


def fully_visible_rows(window: TillWindow) -> int:
    table = window.basket.table
    table.scrollToTop()
    bottom = table.viewport().height()
    return sum(1 for row in range(table.rowCount())
               if table.rowViewportPosition(row) >= 0
               and table.rowViewportPosition(row) + table.rowHeight(row) <= bottom)  # fmt: skip


def fits(label: QLabel) -> bool:
    """The label shows all its text: no wider than it is (a label that does not wrap wants
    its whole line), and wrapped no taller than it is."""
    return (label.isVisible() and label.sizeHint().width() <= label.width()
            and label.heightForWidth(label.width()) <= label.height())  # fmt: skip


def guest_and_lines(till_factory: Any, **kw: Any) -> Till:
    till = signed_in(till_factory, **kw)
    window = till.window
    till.scan(f";{card_number(1)}?")  # Анна Смирнова, the 10 % group, 860 points
    till.qtbot.waitUntil(lambda: window.guest_panel.guest is not None, timeout=5000)
    for product in PRODUCTS:
        window.controller.add_product(product)
    till.qtbot.waitUntil(lambda: window.controller.sale is not None
                         and len(window.controller.sale.lines) == len(PRODUCTS),
                         timeout=10000)  # fmt: skip
    return till


def test_eight_basket_lines_stay_visible_with_a_guest_identified(till_factory: Any) -> None:
    till = guest_and_lines(till_factory)
    window = till.window
    assert (window.width(), window.height()) == (1366, 768)
    panel = window.guest_panel
    assert not panel.expanded and panel.summary.isVisible()
    summary = panel.summary.text()
    assert "discount 10 %" in summary and "860,00 pts available" in summary
    table = window.basket.table
    heights = {table.rowHeight(row) for row in range(table.rowCount())}
    assert len(heights) == 1  # a discount never makes a row two lines high
    discounted = [table.item(row, 3).text() for row in range(table.rowCount())]
    assert discounted[0] == "−21,00"  # the latte's 10 % in the line's own row
    assert fully_visible_rows(window) >= 8
    window.show_message("No product has the code 300.")  # a message does not push lines out
    till.qtbot.waitUntil(window.banner.isVisible, timeout=2000)
    assert fully_visible_rows(window) >= 8
    panel.toggle.click()  # the details on demand, and back
    assert panel.expanded and panel.points_detail.isVisible()
    assert "total 860,00 pts" in panel.points_detail.text()
    press(till, "Ctrl+I")  # the same from the keyboard
    assert not panel.expanded and not panel.points_detail.isVisible()


def test_the_points_limit_of_the_day_is_readable_in_full(till_factory: Any) -> None:
    def limit(store: Any) -> None:
        with store.unit_of_work() as uow:
            group = uow.groups.get("g10")
            uow.groups.add(replace(group, daily_points_spend_limit=rub(300),
                                   offline_allowance=rub(1_000)))  # this till has no server
            uow.commit()

    till = guest_and_lines(till_factory, before=limit)
    panel = till.window.guest_panel
    assert "today up to 300,00 pts in points" in panel.summary.text()
    till.qtbot.waitUntil(lambda: fits(panel.summary), timeout=2000)
    assert fully_visible_rows(till.window) >= 8
    window = till.window
    window.payment.pay()
    till.qtbot.waitUntil(lambda: window.payment.dialog is not None
                         and window.payment.dialog.isVisible(), timeout=5000)  # fmt: skip
    dialog = window.payment.dialog
    assert dialog is not None
    dialog.choose("points")
    dialog.edit.setText("2000")
    assert dialog.hint.text().startswith("At most 300,00 pts in points")
    till.qtbot.waitUntil(lambda: fits(dialog.hint), timeout=2000)
    assert dialog.hint.geometry().right() <= dialog.width()
    dialog.reject()


def test_errors_are_red_and_change_is_green(till_factory: Any) -> None:
    till = signed_in(till_factory)
    window = till.window
    till.scan(LATTE)
    till.qtbot.waitUntil(lambda: window.controller.sale is not None, timeout=5000)
    window.payment.pay()
    till.qtbot.waitUntil(lambda: window.payment.dialog is not None
                         and window.payment.dialog.isVisible(), timeout=5000)  # fmt: skip
    dialog = window.payment.dialog
    assert dialog is not None
    dialog.choose("card")
    dialog.edit.setText("500")
    assert dialog.hint.text() == "More than is due"
    red = dialog.hint.palette().color(QPalette.ColorRole.WindowText)
    assert red.red() > 150 and red.green() < 80, red.name()
    dialog.choose("cash")
    dialog.edit.setText("500")
    assert dialog.hint.text().startswith("Change 290,00")
    green = dialog.hint.palette().color(QPalette.ColorRole.WindowText)
    assert green.green() > green.red(), green.name()
    dialog.reject()


def test_the_change_is_shown_large_until_the_next_sale_starts(till_factory: Any) -> None:
    till = signed_in(till_factory)
    window = till.window
    till.scan(LATTE)
    till.qtbot.waitUntil(lambda: window.controller.sale is not None, timeout=5000)
    window.controller.pay("cash", 100_00)  # in two parts: the guest finds more coins
    till.qtbot.waitUntil(lambda: window.controller.sale is not None
                         and window.controller.sale.due == 110_00, timeout=5000)  # fmt: skip
    window.controller.pay("cash", 200_00)
    till.qtbot.waitUntil(lambda: window.controller.sale is None, timeout=5000)
    totals = window.totals
    assert totals.caption.text() == "CHANGE"
    assert totals.total.text() == "90,00 ₽"
    assert "Received 300,00" in totals.discount.text()
    assert totals.total.font().pixelSize() >= 40  # bigger than the amount to pay
    assert window.banner.isVisible() and "Sale T1-" in window.banner.text()
    window.controller.add_product("croissant")  # the next guest: a tile, not a scan
    till.qtbot.waitUntil(lambda: window.controller.sale is not None, timeout=5000)
    assert not window.banner.isVisible()
    assert totals.caption.text() == "TO PAY" and totals.total.text() == "140,00 ₽"
    assert totals.total.font().pixelSize() < 40


def test_the_russian_screen_fits_1366_wide_with_the_connection_badge(till_factory: Any) -> None:
    till = guest_and_lines(till_factory, lang="ru")
    window = till.window
    till.qtbot.waitUntil(window.connection_banner.isVisible, timeout=5000)  # not enrolled
    assert window.minimumSizeHint().width() <= 1366
    assert window.width() == 1366
    for widget in (window.clock, window.pay_button, window.basket.table, window.guest_panel):
        right = widget.mapTo(window, widget.rect().topRight()).x()
        assert right < window.width(), widget.objectName()
    assert fully_visible_rows(window) >= 8
