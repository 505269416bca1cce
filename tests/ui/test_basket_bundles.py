"""The basket shows a time package with its minutes and a bundle's parts in its tooltip, the
customer display both in the line (issue 18 point 6), in Russian with the till's translations."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtWidgets import QApplication

from pos_app.domain.catalog import BundlePart, Product
from pos_app.domain.sale import Sale
from pos_app.services.dto import SaleView
from pos_app.ui.i18n import install_translators
from pos_app.ui.till.basket import BasketPanel
from pos_app.ui.till.customer_display import CustomerDisplay
from pos_app.ui.till.line_text import line_title

HOUR = Product("hour", "Игровое время", 30000, minutes=60)
BREAKFAST = Product("breakfast", "Завтрак", 27000,
                    components=(BundlePart("latte", "Латте", 1),
                                BundlePart("croissant", "Круассан", 2)))  # fmt: skip
LATTE = Product("latte", "Латте", 21000)


def test_a_time_package_shows_its_minutes_and_a_bundle_its_parts(qapp: QApplication) -> None:
    sale = Sale.open("s1", "T1", datetime(2026, 12, 7, 12, 0, tzinfo=UTC))
    for product in (HOUR, BREAKFAST, LATTE):
        sale.add_line(product)
    translators = install_translators(qapp, "ru")
    try:
        panel = BasketPanel()
        panel.show_sale(SaleView.of(sale))
        names = [panel.table.item(row, 0).text() for row in range(3)]
        assert names == ["Игровое время, 60 мин", "Завтрак", "Латте"]
        assert panel.table.item(1, 0).toolTip() == "Завтрак\n  Латте × 1\n  Круассан × 2"
        assert panel.table.item(2, 0).toolTip() == "Латте"
        assert [panel.table.item(row, 4).text() for row in range(3)] == [
            "300,00",
            "270,00",
            "210,00",
        ]  # one line each, at its own price
        panel.deleteLater()
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)


def test_the_customer_display_names_them_as_the_basket_does(qapp: QApplication) -> None:
    """The guest sees the package's minutes and the bundle's parts in the line itself (no
    tooltip on a screen nobody points at), worded as the basket words them."""
    sale = Sale.open("s1", "T1", datetime(2026, 12, 7, 12, 0, tzinfo=UTC))
    for product in (HOUR, BREAKFAST, LATTE):
        sale.add_line(product)
    translators = install_translators(qapp, "ru")
    try:
        display = CustomerDisplay("Клуб")
        view = SaleView.of(sale)
        display.show_sale(view)
        names = [display.lines.item(row, 0).text() for row in range(3)]
        assert names == ["Игровое время, 60 мин", "Завтрак\n  Латте × 1\n  Круассан × 2", "Латте"]
        assert names[0] == line_title(view.lines[0])  # the basket's own wording
        assert display.lines.rowHeight(1) > display.lines.rowHeight(2)  # the parts fit
        display.deleteLater()
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
