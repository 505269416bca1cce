"""Running totals, always visible: subtotal, discount, and the amount to pay in big type."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from pos_app.ui.till.format import money

if TYPE_CHECKING:
    from pos_app.services.dto import SaleView

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class TotalsPanel(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("totals")
        self.subtotal = QLabel()
        self.discount = QLabel()
        self.total = QLabel()
        self.total.setObjectName("grandTotal")
        self.items = QLabel()
        self.items.setObjectName("itemCount")
        grid = QGridLayout(self)
        rows = (
            (self.tr("Subtotal"), self.subtotal),
            (self.tr("Discount"), self.discount),
        )
        for row, (caption, value) in enumerate(rows):
            grid.addWidget(QLabel(caption), row, 0)
            value.setAlignment(RIGHT)
            grid.addWidget(value, row, 1)
        to_pay = QLabel(self.tr("TO PAY"))
        to_pay.setObjectName("toPayCaption")
        grid.addWidget(to_pay, 2, 0)
        self.total.setAlignment(RIGHT)
        grid.addWidget(self.total, 2, 1)
        grid.addWidget(self.items, 3, 0, 1, 2)
        self.show_sale(None)

    def show_sale(self, sale: SaleView | None) -> None:
        self.subtotal.setText(money(sale.subtotal if sale else 0))
        self.discount.setText(money(-sale.discount if sale and sale.discount else 0))
        self.total.setText(money(sale.due if sale else 0))
        count = sum(line.quantity for line in sale.lines) if sale else 0
        self.items.setText(self.tr("Items: %1").replace("%1", str(count)))
