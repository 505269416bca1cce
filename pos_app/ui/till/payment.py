"""Payment: the amount due in big type; cash (with change), bank card or the guest's balance.

One dialog takes one payment. A payment smaller than what is due leaves the sale open and the
window opens the dialog again for the rest, so any mix (card + cash, balance + card) is a
sequence of plain steps. The dialog only collects method and amount; the window takes the
payment through the payment service, off the GUI thread.

An on-screen numpad (``numpad.py``) types the amount on a touch screen.
Keyboard first: F1-F4 choose the method, F5-F9 take the quick-cash amounts (each button shows
its key), Enter takes the typed amount, Esc goes back; Tab reaches every button. While it is
open the sale may still change (a guest's card or a promo code scanned into it): ``set_due``
makes the amount due, the quick-cash amounts and the limits follow, and ``show_notice`` says
why a scan was not taken.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.money import rub
from pos_app.ui.key_hook import mark_typing_field
from pos_app.ui.till.controller import PaymentOptions
from pos_app.ui.till.format import money, parse_amount, percent_of_bp, points
from pos_app.ui.till.numpad import Numpad

NOTES = (100, 500, 1_000, 2_000, 5_000)
LEFT_MIN_WIDTH = 720  # the due, methods, amount and quick cash; the numpad on their right
METHODS = ("cash", "card", "balance", "points")
METHOD_KEYS = ("F1", "F2", "F3", "F4")  # in the order of METHODS
NOTE_KEYS = ("F5", "F6", "F7", "F8", "F9")  # the quick-cash amounts, left to right


def suggested_notes(due: int) -> list[int]:
    """Exact, then the amounts a guest is likely to hand over for ``due`` kopecks."""
    out = [due]
    for note in NOTES:
        amount = -(-due // rub(note)) * rub(note)
        if amount not in out:
            out.append(amount)
    return out[:5]


def _wrapped(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


def _plain(amount: int) -> str:
    return money(amount).replace(" ₽", "")


class PaymentDialog(QDialog):
    """``method`` and ``amount`` (tendered cash, or the card/balance part) once accepted."""

    def __init__(
        self, due: int, options: PaymentOptions | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("payment")
        self.setWindowTitle(self.tr("Payment"))
        self.due = due
        self.options = options or PaymentOptions()
        self.balance_available = self.options.balance
        self.points_allowed = self.options.points
        self.method = "cash"
        self.amount: int | None = None
        self.due_label = QLabel(money(due))
        self.due_label.setObjectName("paymentDue")
        self.field_caption = QLabel()
        self.edit = QLineEdit()
        self.edit.setObjectName("amountEdit")
        mark_typing_field(self.edit)  # "300" and Enter typed fast is an amount, not a scan
        self.edit.textChanged.connect(self._update)
        self.edit.returnPressed.connect(self._take)
        self.hint = _wrapped("paymentChange")  # a long refusal wraps, never cut off
        self.points_room = _wrapped("pointsRoom")
        self.notice = QLabel()
        self.notice.setObjectName("paymentNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            self.tr("Back") + " (Esc)"
        )
        self._connect_buttons()
        self._lay_out()
        self._tab_order()
        self._keys()
        self._show_points_room()
        self.choose("cash")

    def _lay_out(self) -> None:
        """The due, methods, amount and quick cash on the left, the numpad on their right."""
        outer = QHBoxLayout(self)  # the numpad beside the rest: the dialog fits 768 px high
        outer.setContentsMargins(24, 20, 24, 20)
        outer.setSpacing(20)
        left = QWidget()
        left.setMinimumWidth(LEFT_MIN_WIDTH)  # the method and quick-cash labels never cut
        layout = QVBoxLayout(left)
        layout.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(left, 1)
        self.numpad = Numpad(self.edit, self)  # a touch screen without a keyboard
        self.numpad.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Maximum)
        outer.addWidget(self.numpad, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addWidget(QLabel(self.tr("Due")))
        layout.addWidget(self.due_label)
        layout.addLayout(self._method_row())
        layout.addWidget(self.points_room)
        layout.addWidget(self.field_caption)
        layout.addWidget(self.edit)
        self.notes = QWidget()
        self.note_amounts: list[int] = []
        QGridLayout(self.notes).setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.notes)
        self._note_buttons()
        layout.addWidget(self.hint)
        layout.addWidget(self.notice)
        layout.addWidget(self.buttons)

    def _connect_buttons(self) -> None:
        self.buttons.accepted.connect(self._take)
        self.buttons.rejected.connect(self.reject)

    def _show_points_room(self) -> None:
        """What may be paid with points online and offline, before anything is typed."""
        o = self.options
        if o.points_online is None or o.points_offline is None:
            self.points_room.hide()
            return
        if not o.connected:
            text = self.tr("Points: up to %1 (this till has no server; its own limit).")
        elif o.online:
            text = self.tr("Points: up to %1 now, confirmed by the server; up to %2 if the "
                           "server cannot be reached.")  # fmt: skip
        else:
            text = self.tr("The server cannot be reached: points up to %1 now (the till's own "
                           "limit; up to %2 with the server).")  # fmt: skip
        first = o.points_online if o.connected and o.online else o.points_offline
        second = o.points_offline if o.online else o.points_online
        self.points_room.setText(text.replace("%1", points(first)).replace("%2", points(second)))
        self.points_room.show()

    def _method_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        # A plain list, not an exclusive QButtonGroup: Tab stops at each (choose() checks one)
        self.method_buttons: list[QPushButton] = []
        names = {
            "cash": self.tr("Cash"),
            "card": self.tr("Bank card"),
            "balance": self.tr("Balance"),
            "points": self.tr("Points"),
        }
        for method, key in zip(METHODS, METHOD_KEYS, strict=True):
            button = QPushButton(f"{names[method]} ({key})")
            button.setObjectName("methodButton")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setEnabled(self._limit(method) != 0)
            button.clicked.connect(lambda _=False, m=method: self.choose(m))  # re-checks it
            self.method_buttons.append(button)
            setattr(self, f"{method}_button", button)
            row.addWidget(button)
        return row

    def _limit(self, method: str) -> int | None:
        """The most ``method`` can pay now (None: no limit of its own)."""
        if method == "balance":
            return self.balance_available or 0
        if method == "points":
            return self.points_allowed or 0
        return None

    def _note_buttons(self) -> None:
        """The quick-cash buttons for the amount due now (made again when it changes)."""
        grid = self.notes.layout()
        assert isinstance(grid, QGridLayout)
        while grid.count():
            item = grid.takeAt(0)
            old = item.widget() if item is not None else None
            if old is not None:
                old.hide()
                old.deleteLater()
        self.note_amounts = suggested_notes(self.due)
        self.note_buttons: list[QPushButton] = []
        for i, (amount, key) in enumerate(zip(self.note_amounts, NOTE_KEYS, strict=False)):
            button = QPushButton(f"{money(amount)} ({key})")
            button.setObjectName("noteButton")
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.clicked.connect(lambda _=False, a=amount: self._note(a))
            grid.addWidget(button, 0, i)
            self.note_buttons.append(button)
        if self.buttons.parent() is self:  # made again for a new due: keep the Tab order
            self._tab_order()

    def _keys(self) -> None:
        """F1-F4 the methods, F5-F9 the quick-cash amounts (the buttons show the keys)."""
        for method, key in zip(METHODS, METHOD_KEYS, strict=True):
            QShortcut(QKeySequence(key), self, lambda m=method: self._method_key(m))
        for i, key in enumerate(NOTE_KEYS):
            QShortcut(QKeySequence(key), self, lambda i=i: self._note_key(i))

    def _method_key(self, method: str) -> None:
        if getattr(self, f"{method}_button").isEnabled():
            self.choose(method)

    def _note_key(self, index: int) -> None:
        if self.method == "cash" and index < len(self.note_amounts):
            self._note(self.note_amounts[index])

    def _tab_order(self) -> None:
        """Methods, the amount, the quick-cash amounts, then OK and Back."""
        chain = [*self.method_buttons, self.edit, *self.note_buttons,
                 *self.buttons.buttons()]  # fmt: skip
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _start(self, method: str) -> int:
        """What the amount field starts at for ``method``: the due, within its limit."""
        limit = self._limit(method)
        return self.due if limit is None else min(self.due, limit)

    def choose(self, method: str) -> None:
        """Switch the method; the amount field starts at what that method can pay."""
        self.method = method
        for name in METHODS:
            getattr(self, f"{name}_button").setChecked(name == method)
        self.notes.setVisible(method == "cash")
        if method == "cash":
            self.field_caption.setText(self.tr("Cash received"))
            self.ok.setText(self.tr("Take cash") + " (Enter)")
        else:
            self.field_caption.setText(self.tr("Amount"))
            text = self.tr("Pay by card") if method == "card" else self.tr("Pay")
            self.ok.setText(text + " (Enter)")
        self.edit.setText(_plain(self._start(method)))
        self.edit.selectAll()
        self.edit.setFocus()
        self._update()

    def set_due(self, due: int, options: PaymentOptions | None = None) -> None:
        """The sale changed while the dialog is open: the amount due, the quick-cash amounts
        and (with ``options``) the balance and points limits follow. An amount the cashier
        has not changed follows too; one they typed stays, judged against the new due."""
        untouched = parse_amount(self.edit.text()) == self._start(self.method)
        self.due = due
        if options is not None:
            self.options = options
            self.balance_available = options.balance
            self.points_allowed = options.points
            self._show_points_room()
            for method in METHODS:
                getattr(self, f"{method}_button").setEnabled(self._limit(method) != 0)
        self.due_label.setText(money(due))
        self.notice.hide()
        self._note_buttons()
        self.notes.setVisible(self.method == "cash")
        if not getattr(self, f"{self.method}_button").isEnabled():
            self.choose("cash")
            return
        if untouched:
            self.edit.setText(_plain(self._start(self.method)))
            self.edit.selectAll()
        self._update()

    def show_notice(self, text: str) -> None:
        """Say in the dialog why something did not happen (a scan held back)."""
        self.notice.setText(text)
        self.notice.show()

    def _note(self, amount: int) -> None:
        self.edit.setText(_plain(amount))
        self._take()

    def _check(self, amount: int | None) -> str | None:
        """Why ``amount`` cannot be taken, or None."""
        if amount is None or amount <= 0:
            return self.tr("Type the amount")
        if self.method == "cash":
            return None
        if amount > self.due:
            return self.tr("More than is due")
        if self.method == "balance" and amount > (self.balance_available or 0):
            return self.tr("Only %1 on the balance").replace(
                "%1", money(self.balance_available or 0)
            )
        if self.method == "points" and amount > (self.points_allowed or 0):
            o = self.options
            if not o.online and (self.points_allowed or 0) < (o.points_online or 0):
                return self.tr("Without the server at most %1 in points").replace(
                    "%1", points(self.points_allowed or 0))  # fmt: skip
            return (
                self.tr("At most %1 in points (%2 of the order)")
                .replace("%1", points(self.points_allowed or 0))
                .replace("%2", percent_of_bp(self.options.max_redemption_bp or 0))
            )
        return None

    def _update(self) -> None:
        amount = parse_amount(self.edit.text())
        problem = self._check(amount)
        self.ok.setEnabled(problem is None)
        self._level("error" if problem is not None else "info")
        if problem is not None or amount is None:
            self.hint.setText(problem or "")
        elif self.method == "cash" and amount >= self.due:
            self.hint.setText(self.tr("Change %1").replace("%1", money(amount - self.due)))
        elif amount < self.due:
            self.hint.setText(self.tr("Left to pay after this: %1").replace(
                "%1", money(self.due - amount)))  # fmt: skip
        else:
            self.hint.setText("")

    def _level(self, level: str) -> None:
        """A refusal in red, change and what is left in green."""
        if self.hint.property("level") != level:
            self.hint.setProperty("level", level)
            self.hint.style().unpolish(self.hint)
            self.hint.style().polish(self.hint)

    def _take(self) -> None:
        amount = parse_amount(self.edit.text())
        if self._check(amount) is not None:
            return
        self.amount = amount
        self.accept()
