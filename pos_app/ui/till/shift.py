"""The shift: open it with the cash in the drawer, see the X report, close it with a Z report.

The dialog collects counts and shows reports (the printable lines the shift service makes,
in a fixed-width font, as the printer will print them); the controller makes the service
calls off the GUI thread. Closing with operations not yet sent asks for a manager's PIN
(DESIGN.md: sales lost before sync are the field's top complaint).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.key_hook import mark_typing_field
from pos_app.ui.till.format import money, parse_amount

if TYPE_CHECKING:
    from pos_app.services.shifts import ShiftView


class ShiftDialog(QDialog):
    """``open_requested(cash)``, ``x_requested()``, ``close_requested(counted)``,
    ``print_requested()`` - the window wires them to the controller."""

    open_requested = Signal(int)
    x_requested = Signal()
    close_requested = Signal(int, str)  # counted cash, manager's PIN ("" = none)
    print_requested = Signal()

    def __init__(
        self, shift: ShiftView | None, parent: QWidget | None = None, zone: tzinfo | None = None
    ) -> None:
        super().__init__(parent)
        self.zone = zone  # the venue's time zone: the same clock as the window and the report
        self.setObjectName("shift")
        self.setWindowTitle(self.tr("Shift"))
        self.setMinimumWidth(700)
        self.shift = shift
        self.state = QLabel()
        self.state.setObjectName("shiftState")
        self.state.setWordWrap(True)
        self.cash = QLineEdit()
        self.cash.setObjectName("shiftCash")
        mark_typing_field(self.cash)  # a count typed fast and ended by Enter is not a scan
        self.cash.textChanged.connect(self._update)
        self.report = QPlainTextEdit()
        self.report.setObjectName("shiftReport")
        self.report.setReadOnly(True)
        self.report.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.report.setMinimumHeight(260)
        self.report.hide()
        self.manager_pin = QLineEdit()
        self.manager_pin.setObjectName("managerPin")
        self.manager_pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.manager_pin.setPlaceholderText(self.tr("Manager's PIN"))
        self.manager_pin.hide()
        self.message = QLabel()
        self.message.setObjectName("signInError")
        self.message.setWordWrap(True)
        self.open_button = QPushButton(self.tr("Open shift"))
        self.x_button = QPushButton(self.tr("X report"))
        self.close_button = QPushButton(self.tr("Close shift (Z report)"))
        self.print_button = QPushButton(self.tr("Print"))
        self.print_button.hide()
        done = QPushButton(self.tr("Done"))
        self.open_button.clicked.connect(lambda: self._emit_amount(self.open_requested))
        self.close_button.clicked.connect(self._close)
        self.x_button.clicked.connect(self.x_requested.emit)
        self.print_button.clicked.connect(self.print_requested.emit)
        done.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for button in (self.open_button, self.x_button, self.close_button, self.print_button,
                       done):  # fmt: skip
            buttons.addWidget(button)
        self.cash_caption = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        for widget in (self.state, self.cash_caption, self.cash, self.report, self.message,
                       self.manager_pin):  # fmt: skip
            layout.addWidget(widget)
        layout.addLayout(buttons)
        self.show_shift(shift)

    def show_shift(self, shift: ShiftView | None) -> None:
        self.shift = shift
        is_open = shift is not None
        self.open_button.setVisible(not is_open)
        self.x_button.setVisible(is_open)
        self.close_button.setVisible(is_open)
        if shift is None:
            self.state.setText(self.tr("No shift is open. Count the cash in the drawer."))
            self.cash_caption.setText(self.tr("Cash in the drawer"))
        else:
            self.state.setText(
                self.tr("Shift %1 is open since %2; %3 expected in the drawer.")
                .replace("%1", str(shift.number))
                .replace("%2", shift.opened_at.astimezone(self.zone).strftime("%d.%m.%Y %H:%M"))
                .replace("%3", money(shift.expected_cash))
            )
            self.cash_caption.setText(self.tr("Cash counted (to close the shift)"))
        self._update()

    def show_report(self, lines: Sequence[str]) -> None:
        self.report.setPlainText("\n".join(lines))
        self.report.show()
        self.print_button.show()

    def show_problem(self, text: str) -> None:
        self.message.setText(text)

    def _update(self) -> None:
        amount = parse_amount(self.cash.text())
        self.open_button.setEnabled(amount is not None)
        self.close_button.setEnabled(amount is not None)

    def ask_manager(self, text: str) -> None:
        """Operations wait to be sent: closing needs a manager's PIN."""
        self.message.setText(text)
        self.manager_pin.show()
        self.manager_pin.setFocus()

    def _close(self) -> None:
        amount = parse_amount(self.cash.text())
        if amount is not None:
            self.message.setText("")
            self.close_requested.emit(amount, self.manager_pin.text())

    def _emit_amount(self, signal: Any) -> None:
        amount = parse_amount(self.cash.text())
        if amount is not None:
            self.message.setText("")
            signal.emit(amount)
