"""The refund dialog (F11): find the receipt first, look at it, then give back all or some.

A receipt is found by its number (``T1-000042``), its short number (``42``), its QR scanned
(``receipt:T1-000042``) or picked from today's list; the preview shows each line with what was
sold, what earlier refunds took and a quantity to give back now, and the amount that makes
(``RefundPreview``: the same rule as the service). The dialog only collects; the window makes
the service calls off the GUI thread and asks a manager's PIN only when the cashier's role
lacks the refund right (``ui/till/manager_flow.py``).
"""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.till.format import money

if TYPE_CHECKING:
    from pos_app.services.refunds import ReceiptSummary, RefundPreview

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class RefundDialog(QDialog):
    """``find_requested(code)``, ``preview_requested(sale_id)``,
    ``refund_requested(sale_id, {line_no: quantity}, reason)``."""

    find_requested = Signal(str)
    preview_requested = Signal(str)
    refund_requested = Signal(str, object, str)

    def __init__(self, parent: QWidget | None = None, zone: tzinfo | None = None) -> None:
        super().__init__(parent)
        self.zone = zone
        self.setObjectName("refund")
        self.setWindowTitle(self.tr("Refund"))
        self.setMinimumSize(760, 600)
        self.preview: RefundPreview | None = None
        self.receipts: list[ReceiptSummary] = []
        hint = QLabel(self.tr("Type the receipt's number (or just its last digits), scan the "
                              "QR on the receipt, or pick it from today's list."))  # fmt: skip
        hint.setWordWrap(True)
        self.code = QLineEdit()
        self.code.setObjectName("refundCode")
        self.code.setPlaceholderText(self.tr("Receipt number"))
        self.code.returnPressed.connect(self.look_up)
        find = QPushButton(self.tr("Find"))
        find.clicked.connect(self.look_up)
        row = QHBoxLayout()
        row.addWidget(self.code, 1)
        row.addWidget(find)
        self.today = QTableWidget(0, 4)
        self.today.setObjectName("todayReceipts")
        self.today.setHorizontalHeaderLabels(
            [self.tr("Receipt"), self.tr("Time"), self.tr("Total"), self.tr("Refunded")])
        _table(self.today)
        self.today.setMaximumHeight(170)
        self.today.cellActivated.connect(self._picked)
        self.today.cellDoubleClicked.connect(self._picked)
        self.title = QLabel(self.tr("No receipt chosen yet."))
        self.title.setObjectName("refundTitle")
        self.title.setWordWrap(True)
        self.lines = QTableWidget(0, 5)
        self.lines.setObjectName("refundLines")
        self.lines.setHorizontalHeaderLabels([self.tr("Item"), self.tr("Sold"),
                                              self.tr("Refunded"), self.tr("Paid"),
                                              self.tr("Give back")])  # fmt: skip
        _table(self.lines)
        self.spins: list[QSpinBox] = []
        bottom = self._bottom_row()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addWidget(hint)
        layout.addLayout(row)
        layout.addWidget(self.today)
        layout.addWidget(self.title)
        layout.addWidget(self.lines, 1)
        layout.addWidget(self.message)
        layout.addLayout(bottom)
        self._update()
        self.code.setFocus()

    def _bottom_row(self) -> QHBoxLayout:
        """Reason, the amount chosen, Everything left, Refund, Close; and the message line."""
        self.reason = QLineEdit()
        self.reason.setObjectName("refundReason")
        self.reason.setPlaceholderText(self.tr("Reason (optional)"))
        self.reason.setMaxLength(200)
        self.amount = QLabel()
        self.amount.setObjectName("refundAmount")
        self.all_button = QPushButton(self.tr("Everything left"))
        self.all_button.clicked.connect(self.select_all)
        self.refund_button = QPushButton(self.tr("Refund"))
        self.refund_button.setObjectName("refundButton")
        self.refund_button.clicked.connect(self._refund)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        self.message = QLabel()
        self.message.setObjectName("signInError")
        self.message.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.reason, 1)
        bottom.addWidget(self.amount)
        bottom.addWidget(self.all_button)
        bottom.addWidget(self.refund_button)
        bottom.addWidget(close)
        return bottom

    # --- what the window shows -----------------------------------------------------------

    def show_today(self, receipts: list[ReceiptSummary]) -> None:
        self.receipts = list(receipts)
        self.today.setRowCount(len(self.receipts))
        for row, r in enumerate(self.receipts):
            cells = (r.receipt_no, r.closed_at.astimezone(self.zone).strftime("%H:%M"),
                     money(r.total), money(r.refunded) if r.refunded else "")  # fmt: skip
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col >= 2:
                    item.setTextAlignment(RIGHT)
                self.today.setItem(row, col, item)

    def show_preview(self, preview: RefundPreview) -> None:
        self.preview = preview
        self.message.clear()
        title = self.tr("Receipt %1 of %2, %3").replace("%1", preview.receipt_no).replace(
            "%2", preview.closed_at.astimezone(self.zone).strftime("%d.%m.%Y %H:%M")
        ).replace("%3", money(preview.total))
        if preview.guest_name:
            title += " · " + preview.guest_name
        if preview.refunded:
            title += " · " + self.tr("refunded so far: %1").replace("%1", money(preview.refunded))
        self.title.setText(title)
        self.lines.setRowCount(len(preview.lines))
        self.spins = []
        for row, line in enumerate(preview.lines):
            cells = (line.name, str(line.quantity), str(line.refunded_quantity or ""),
                     money(line.total))  # fmt: skip
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col >= 1:
                    item.setTextAlignment(RIGHT)
                self.lines.setItem(row, col, item)
            spin = QSpinBox()
            spin.setRange(0, line.left_quantity)
            spin.setEnabled(line.left_quantity > 0)
            spin.valueChanged.connect(self._update)
            self.lines.setCellWidget(row, 4, spin)
            self.spins.append(spin)
        if preview.fully_refunded:
            self.show_problem(self.tr("This receipt was already refunded in full."))
        self._update()

    def show_problem(self, text: str) -> None:
        self.message.setText(text)

    def take_scan(self, data: str) -> None:
        """A receipt's QR (``receipt:T1-000042``) or number scanned while the dialog is open."""
        prefix = "receipt:"
        self.code.setText(data[len(prefix):] if data.lower().startswith(prefix) else data)
        self.look_up()

    # --- the cashier's choices -----------------------------------------------------------

    def quantities(self) -> dict[int, int]:
        if self.preview is None:
            return {}
        return {line.line_no: spin.value() for line, spin in zip(self.preview.lines, self.spins,
                                                                 strict=True) if spin.value()}

    def refund_amount(self) -> int:
        if self.preview is None:
            return 0
        return sum(line.amount_for(spin.value())
                   for line, spin in zip(self.preview.lines, self.spins, strict=True))

    def set_quantity(self, line_no: int, quantity: int) -> None:
        if self.preview is not None:
            for line, spin in zip(self.preview.lines, self.spins, strict=True):
                if line.line_no == line_no:
                    spin.setValue(quantity)

    def select_all(self) -> None:
        for spin in self.spins:
            spin.setValue(spin.maximum())

    def look_up(self) -> None:
        code = self.code.text().strip()
        if code:
            self.message.clear()
            self.find_requested.emit(code)

    def _picked(self, row: int, _column: int = 0) -> None:
        if 0 <= row < len(self.receipts):
            self.message.clear()
            self.preview_requested.emit(self.receipts[row].sale_id)

    def _update(self) -> None:
        amount = self.refund_amount()
        self.amount.setText(self.tr("To give back: %1").replace("%1", money(amount)))
        chosen = bool(self.quantities())
        self.refund_button.setEnabled(chosen)
        self.all_button.setEnabled(self.preview is not None and not self.preview.fully_refunded)

    def _refund(self) -> None:
        if self.preview is not None and self.quantities():
            self.message.clear()
            self.refund_requested.emit(self.preview.sale_id, self.quantities(),
                                       self.reason.text().strip())  # fmt: skip


def _table(table: QTableWidget) -> None:
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for col in range(1, table.columnCount()):
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
