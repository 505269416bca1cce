"""The basket: one row per line with quantity, price, discount and total; +/- and remove.

One text line per row - the line's discount has its own column, not a second line under the
name - so a 1366×768 screen shows at least 8 lines with a guest identified (amounts without
the ₽ sign, which the headers carry).

The table only shows a ``SaleView``; every change is a request (a signal) that the window
turns into one service call, and the table is redrawn from the sale the service returns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.till.format import plain

if TYPE_CHECKING:
    from pos_app.services.dto import LineView, SaleView

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
ROW_HEIGHT = 30
DISCOUNT_COLUMN = 3
DISCOUNT_COLOUR = QColor("#1d5e34")


class BasketPanel(QWidget):
    quantity_requested = Signal(int, int)  # line_no, new quantity
    removal_requested = Signal(int)  # line_no

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines: tuple[LineView, ...] = ()
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("basket")
        self.table.setHorizontalHeaderLabels([
            self.tr("Item"), self.tr("Qty"), self.tr("Price, ₽"), self.tr("Disc."),
            self.tr("Total, ₽"),
        ])  # fmt: skip
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3, 4):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        buttons = QHBoxLayout()
        for name, text, slot in (
            ("minusButton", "−", lambda: self._step(-1)),
            ("plusButton", "+", lambda: self._step(+1)),
            ("removeButton", self.tr("Remove line (Del)"), self.remove_selected),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def show_sale(self, sale: SaleView | None) -> None:
        selected = self.selected_line()
        self.lines = sale.lines if sale else ()
        self.table.setRowCount(len(self.lines))
        for row, line in enumerate(self.lines):
            discount = "−" + plain(line.discount) if line.discount else ""
            cells = (line.name, str(line.quantity), plain(line.unit_price), discount,
                     plain(line.total))  # fmt: skip
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(RIGHT)
                else:
                    item.setToolTip(text)  # a long name is elided in the cell
                if col == DISCOUNT_COLUMN:
                    item.setForeground(DISCOUNT_COLOUR)
                self.table.setItem(row, col, item)
        rows = [i for i, line in enumerate(self.lines) if selected and line.line_no == selected]
        self.table.selectRow(rows[0] if rows else len(self.lines) - 1)

    def selected_line(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.lines):
            return None
        return self.lines[rows[0].row()].line_no

    def _step(self, delta: int) -> None:
        line_no = self.selected_line()
        line = next((x for x in self.lines if x.line_no == line_no), None)
        if line is None:
            return
        if line.quantity + delta <= 0:
            self.removal_requested.emit(line.line_no)
        else:
            self.quantity_requested.emit(line.line_no, line.quantity + delta)

    def increase(self) -> None:
        self._step(+1)

    def decrease(self) -> None:
        self._step(-1)

    def remove_selected(self) -> None:
        line_no = self.selected_line()
        if line_no is not None:
            self.removal_requested.emit(line_no)
