"""The shift: open it with the cash in the drawer, put cash in or take it out, see the X
report, close it with a Z report.

The dialog collects counts and shows reports (the printable lines the shift service makes,
in a fixed-width font, as the printer will print them, with a Print button); the window makes
the service calls off the GUI thread. The count is blind: the expected cash is not shown
while the shift is open, only once the cashier has typed the count - a count that differs
shows the expected amount and the shortage or surplus and asks for a reason before the Z
report (``services/shifts.py``). Closing with operations not yet sent asks for a manager's PIN
(DESIGN.md: sales lost before sync are the field's top complaint). The dialog closes once a
shift is opened: the cashier sells next.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
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
from pos_app.ui.till.numpad import Numpad

if TYPE_CHECKING:
    from pos_app.services.shifts import ShiftView


class ShiftDialog(QDialog):
    """``open_requested(cash)``, ``x_requested()``, ``close_requested(counted, pin, reason)``,
    ``move_requested(kind, amount, reason)``, ``print_requested()`` - the window wires them to
    the services."""

    open_requested = Signal(int)
    x_requested = Signal()
    close_requested = Signal(int, str, str)  # counted cash, manager's PIN ("" = none), reason
    move_requested = Signal(str, int, str)  # "in" | "out", amount, reason
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
        self.reason = self._reason_field()
        self.moves = self._moves_row()
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
        self._lay_out(buttons)
        self.show_shift(shift)

    def _lay_out(self, buttons: QHBoxLayout) -> None:
        """The count's field, then the report with the numpad beside it (the count on a
        touch screen), the messages and the buttons."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        self.numpad = Numpad(self.cash, self)
        beside = QHBoxLayout()
        beside.addWidget(self.report, 1)
        beside.addWidget(self.numpad, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        for widget in (self.state, self.moves, self.cash_caption, self.cash):
            layout.addWidget(widget)
        layout.addLayout(beside, 1)
        for widget in (self.message, self.reason, self.manager_pin):
            layout.addWidget(widget)
        layout.addLayout(buttons)

    def _reason_field(self) -> QLineEdit:
        """Asked only when the count differs from the expected cash."""
        reason = QLineEdit()
        reason.setObjectName("differenceReason")
        reason.setPlaceholderText(self.tr("Why the cash differs (required)"))
        reason.setMaxLength(200)
        reason.textChanged.connect(self._update)
        reason.hide()
        return reason

    def _moves_row(self) -> QWidget:
        """Amount, reason, Cash in, Cash out: money put in or taken out during the shift."""
        self.move_amount = QLineEdit()
        self.move_amount.setObjectName("moveAmount")
        self.move_amount.setPlaceholderText(self.tr("Amount"))
        self.move_amount.textChanged.connect(self._update)
        self.move_reason = QLineEdit()
        self.move_reason.setObjectName("moveReason")
        self.move_reason.setPlaceholderText(self.tr("Reason, e.g. change or to the bank"))
        self.move_reason.setMaxLength(200)
        self.cash_in_button = QPushButton(self.tr("Cash in"))
        self.cash_in_button.setObjectName("cashInButton")
        self.cash_out_button = QPushButton(self.tr("Cash out"))
        self.cash_out_button.setObjectName("cashOutButton")
        self.cash_in_button.clicked.connect(lambda: self._move("in"))
        self.cash_out_button.clicked.connect(lambda: self._move("out"))
        row = QWidget()
        moves = QHBoxLayout(row)
        moves.setContentsMargins(0, 0, 0, 0)
        moves.addWidget(self.move_amount, 1)
        moves.addWidget(self.move_reason, 2)
        moves.addWidget(self.cash_in_button)
        moves.addWidget(self.cash_out_button)
        return row

    def show_shift(self, shift: ShiftView | None) -> None:
        self.shift = shift
        is_open = shift is not None
        self.open_button.setVisible(not is_open)
        self.x_button.setVisible(is_open)
        self.close_button.setVisible(is_open)
        self.moves.setVisible(is_open)
        self.reason.hide()
        self.reason.clear()
        self.close_button.setText(self.tr("Close shift (Z report)"))
        if shift is None:
            self.state.setText(self.tr("No shift is open. Count the cash in the drawer."))
            self.cash_caption.setText(self.tr("Cash in the drawer"))
        else:  # a blind count: what the drawer should hold is shown after the count
            self.state.setText(
                self.tr("Shift %1 is open since %2.")
                .replace("%1", str(shift.number))
                .replace("%2", shift.opened_at.astimezone(self.zone).strftime("%d.%m.%Y %H:%M"))
            )
            self.cash_caption.setText(self.tr("Cash counted (to close the shift)"))
        self._update()

    def show_moved(self, kind: str, amount: int) -> None:
        """A cash in / out was recorded (the drawer's expected total stays unshown)."""
        text = self.tr("Cash in: %1") if kind == "in" else self.tr("Cash out: %1")
        self.show_problem(text.replace("%1", money(amount)), "info")
        self.move_amount.clear()
        self.move_reason.clear()

    def ask_reason(self, text: str) -> None:
        """The count differs: show by how much and ask why before the Z report."""
        self.show_problem(text)
        self.reason.show()
        self.reason.setFocus()
        self.close_button.setText(self.tr("Confirm and close (Z report)"))
        self._update()

    def show_report(self, lines: Sequence[str]) -> None:
        self.report.setPlainText("\n".join(lines))
        self.report.show()
        self.print_button.show()

    def show_problem(self, text: str, level: str = "error") -> None:
        self.message.setText(text)
        self.message.setObjectName("signInError" if level == "error" else "shiftInfo")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    def _update(self) -> None:
        amount = parse_amount(self.cash.text())
        self.open_button.setEnabled(amount is not None)
        needs_reason = self.reason.isVisible() and not self.reason.text().strip()
        self.close_button.setEnabled(amount is not None and not needs_reason)
        moved = parse_amount(self.move_amount.text())
        for button in (self.cash_in_button, self.cash_out_button):
            button.setEnabled(moved is not None and moved > 0)

    def _move(self, kind: str) -> None:
        amount = parse_amount(self.move_amount.text())
        if amount:
            self.message.setText("")
            self.move_requested.emit(kind, amount, self.move_reason.text().strip())

    def ask_manager(self, text: str) -> None:
        """Operations wait to be sent: closing needs a manager's PIN."""
        self.message.setText(text)
        self.manager_pin.show()
        self.manager_pin.setFocus()

    def _close(self) -> None:
        amount = parse_amount(self.cash.text())
        if amount is not None:
            self.message.setText("")
            reason = self.reason.text().strip() if self.reason.isVisible() else ""
            self.close_requested.emit(amount, self.manager_pin.text(), reason)

    def _emit_amount(self, signal: Any) -> None:
        amount = parse_amount(self.cash.text())
        if amount is not None:
            self.message.setText("")
            signal.emit(amount)
