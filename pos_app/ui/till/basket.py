"""The basket: one row per line with quantity, price, discount and total; +/- and remove.

One text line per row - the line's discount has its own column, not a second line under the
name - so a 1366×768 screen shows at least 8 lines with a guest identified (amounts without
the ₽ sign, which the headers carry).

The table only shows a ``SaleView``; every change is a request (a signal) that the window
turns into one service call, and the table is redrawn from the sale the service returns
whenever an operation says the sale changed (``op_executed``).
The line a change added (a scan, a tile, the search's Enter) - or whose quantity it raised -
is selected and scrolled into view, so Del, + and − act on what the cashier just added.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
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
from pos_app.ui.till.line_text import line_parts, line_title
from pos_app.ui.till.numpad import NumberDialog

if TYPE_CHECKING:
    from pos_app.services.dto import LineView, SaleView
    from pos_app.ui.till.changes import OpChanges, Session

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
ROW_HEIGHT = 30
DISCOUNT_COLUMN = 3
DISCOUNT_COLOUR = QColor("#1d5e34")


class BasketPanel(QWidget):
    step_requested = Signal(int, int)  # line_no, +1 / -1 (read against the sale on the worker)
    quantity_requested = Signal(int, int)  # line_no, new quantity
    removal_requested = Signal(int)  # line_no

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines: tuple[LineView, ...] = ()
        self._sale_id: str | None = None
        self.quantity_dialog: NumberDialog | None = None
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
        self.table.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (Up/Down move in it)
        buttons = QHBoxLayout()
        for name, text, slot in (
            ("minusButton", "−", lambda: self._step(-1)),
            ("plusButton", "+", lambda: self._step(+1)),
            ("quantityButton", self.tr("Qty (F2)"), self.ask_quantity),
            ("removeButton", self.tr("Remove line (Del)"), self.remove_selected),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def set_row_height(self, height: int) -> None:
        """Taller rows in touch mode (a finger picks a line)."""
        self.table.verticalHeader().setDefaultSectionSize(height)

    def op_executed(self, changes: OpChanges, session: Session) -> None:
        if changes.sale:
            self.show_sale(session.sale)

    def show_sale(self, sale: SaleView | None) -> None:
        selected = self.selected_line()
        if sale is not None and sale.sale_id == self._sale_id:
            selected = _added(self.lines, sale.lines) or selected
        self._sale_id = sale.sale_id if sale else None
        self.lines = sale.lines if sale else ()
        self.table.setRowCount(len(self.lines))
        for row, line in enumerate(self.lines):
            discount = "−" + plain(line.discount) if line.discount else ""
            cells = (line_title(line), str(line.quantity), plain(line.unit_price),
                     discount, plain(line.total))  # fmt: skip
            for col, text in enumerate(cells):
                self._set_cell(row, col, text)
            name_cell = self.table.item(row, 0)
            if line.parts and name_cell is not None:  # a bundle: its parts under the name
                name_cell.setToolTip(f"{cells[0]}\n{line_parts(line)}")
        rows = [i for i, line in enumerate(self.lines) if selected and line.line_no == selected]
        self.select_row(rows[0] if rows else len(self.lines) - 1)

    def _set_cell(self, row: int, col: int, text: str) -> None:
        """Reuse the cell's item (a redraw of a long basket changes few cells; rows have one
        fixed height, so nothing is measured - python -m bench till)."""
        item = self.table.item(row, col)
        if item is None:
            item = QTableWidgetItem(text)
            if col:
                item.setTextAlignment(RIGHT)
            if col == DISCOUNT_COLUMN:
                item.setForeground(DISCOUNT_COLOUR)
            self.table.setItem(row, col, item)
        elif item.text() != text:
            item.setText(text)
        if not col:
            item.setToolTip(text)  # a long name is elided in the cell

    def select_row(self, row: int) -> None:
        if 0 <= row < len(self.lines):
            self.table.selectRow(row)
            self.table.scrollTo(self.table.model().index(row, 0))
            # and again once Qt has laid out rows just added (the scroll range lags behind)
            QTimer.singleShot(0, self._scroll_to_selected)

    def _scroll_to_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.table.scrollTo(rows[0])

    def select_previous(self) -> None:
        self._move(-1)

    def select_next(self) -> None:
        self._move(+1)

    def _move(self, step: int) -> None:
        rows = self.table.selectionModel().selectedRows()
        row = rows[0].row() + step if rows else 0
        self.select_row(min(max(row, 0), len(self.lines) - 1))

    def selected_line(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.lines):
            return None
        return self.lines[rows[0].row()].line_no

    def _step(self, delta: int) -> None:
        """A step, not a new quantity: two quick presses are two steps, even before the
        first one's result is drawn."""
        line_no = self.selected_line()
        if line_no is not None:
            self.step_requested.emit(line_no, delta)

    def increase(self) -> None:
        self._step(+1)

    def decrease(self) -> None:
        self._step(-1)

    def ask_quantity(self) -> None:
        """The selected line's quantity typed or tapped on the numpad (``numpad.py``)."""
        line = next((x for x in self.lines if x.line_no == self.selected_line()), None)
        if line is None:
            return
        dialog = self.quantity_dialog = NumberDialog(
            self.tr("Quantity"), self.tr("Quantity of %1:").replace("%1", line.name),
            self.window(), decimals=False, value=str(line.quantity),
        )  # fmt: skip

        def chosen(text: str) -> None:
            if text.strip().isdigit() and int(text) > 0:
                self.quantity_requested.emit(line.line_no, int(text))

        dialog.textValueSelected.connect(chosen)
        dialog.open()

    def remove_selected(self) -> None:
        line_no = self.selected_line()
        if line_no is not None:
            self.removal_requested.emit(line_no)


def _added(before: tuple[LineView, ...], after: tuple[LineView, ...]) -> int | None:
    """The line a change added, or whose quantity it raised (one line only), else None."""
    old = {line.line_no: line.quantity for line in before}
    grown = [x.line_no for x in after if x.line_no not in old or x.quantity > old[x.line_no]]
    return grown[0] if len(grown) == 1 else None
