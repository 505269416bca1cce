"""Running totals, always visible: subtotal, discount and item count on one small line, and the
amount to pay in big type.

After a sale paid in cash the big figure becomes the change to hand back (``show_change``),
in green, until the next sale starts: it is what the cashier must read at that moment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from pos_app.ui.till.format import money

if TYPE_CHECKING:
    from pos_app.services.dto import SaleView
    from pos_app.services.payments import PaymentResult
    from pos_app.ui.till.changes import OpChanges, Session

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class TotalsPanel(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("totals")
        self.subtotal = QLabel()
        self.discount = QLabel()
        self.items = QLabel()
        self.items.setObjectName("itemCount")
        self.caption = QLabel()
        self.caption.setObjectName("toPayCaption")
        self.total = QLabel()
        self.total.setObjectName("grandTotal")
        self.total.setAlignment(RIGHT)
        self.showing_change = False
        grid = QGridLayout(self)
        grid.setContentsMargins(10, 4, 10, 4)
        grid.setVerticalSpacing(0)
        grid.addWidget(self.subtotal, 0, 0)
        grid.addWidget(self.discount, 0, 1, Qt.AlignmentFlag.AlignCenter)
        self.items.setAlignment(RIGHT)
        grid.addWidget(self.items, 0, 2)
        grid.addWidget(self.caption, 1, 0)
        grid.addWidget(self.total, 1, 1, 1, 2)
        self.show_sale(None)

    def op_executed(self, changes: OpChanges, session: Session) -> None:
        if changes.sale:
            self.show_sale(session.sale)

    def show_sale(self, sale: SaleView | None) -> None:
        """The open sale's figures; with no sale, a change just shown stays on screen."""
        if sale is None and self.showing_change:
            return
        self._set_mode(change=False)
        self.subtotal.setText(self.tr("Subtotal %1").replace(
            "%1", money(sale.subtotal if sale else 0)))  # fmt: skip
        self.discount.setText(self.tr("Discount %1").replace(
            "%1", money(-sale.discount if sale and sale.discount else 0)))  # fmt: skip
        self.total.setText(money(sale.due if sale else 0))
        count = sum(line.quantity for line in sale.lines) if sale else 0
        self.items.setText(self.tr("Items: %1").replace("%1", str(count)))

    def sale_closed(self, result: PaymentResult) -> None:
        """A sale paid (partly) in cash closed: the change in big type where the due was."""
        sale = result.sale
        cash = [p for p in sale.payments if p.method == "cash"]
        if cash:
            self.show_change(sale.change, sum(p.tendered for p in cash), sale.total)

    def show_change(self, change: int, received: int, total: int) -> None:
        """The sale closed with ``change`` to hand back from ``received`` cash."""
        self._set_mode(change=True)
        self.subtotal.setText(self.tr("Total %1").replace("%1", money(total)))
        self.discount.setText(self.tr("Received %1").replace("%1", money(received)))
        self.items.setText("")
        self.total.setText(money(change))

    def clear_change(self) -> None:
        if self.showing_change:
            self.showing_change = False
            self.show_sale(None)

    def _set_mode(self, *, change: bool) -> None:
        self.showing_change = change
        self.caption.setText(self.tr("CHANGE") if change else self.tr("TO PAY"))
        self.total.setProperty("change", change)
        self.caption.setProperty("change", change)
        for label in (self.total, self.caption):
            label.style().unpolish(label)
            label.style().polish(label)
