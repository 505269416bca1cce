"""Payment: the amount due in big type; cash (with change), bank card or the guest's balance.

One dialog takes one payment. A payment smaller than what is due leaves the sale open and the
window opens the dialog again for the rest, so any mix (card + cash, balance + card) is a
sequence of plain steps. The dialog only collects method and amount; the window takes the
payment through the payment service, off the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.money import rub
from pos_app.ui.till.controller import PaymentOptions
from pos_app.ui.till.format import money, parse_amount, percent_of_bp, points

NOTES = (100, 500, 1_000, 2_000, 5_000)
METHODS = ("cash", "card", "balance", "points")


def suggested_notes(due: int) -> list[int]:
    """Exact, then the amounts a guest is likely to hand over for ``due`` kopecks."""
    out = [due]
    for note in NOTES:
        amount = -(-due // rub(note)) * rub(note)
        if amount not in out:
            out.append(amount)
    return out[:5]


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
        self.setMinimumWidth(560)
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
        self.edit.textChanged.connect(self._update)
        self.edit.returnPressed.connect(self._take)
        self.hint = QLabel()
        self.hint.setObjectName("paymentChange")
        self.hint.setWordWrap(True)  # a long refusal (the points limit) wraps, never cut off
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Back"))
        self.buttons.accepted.connect(self._take)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(QLabel(self.tr("Due")))
        layout.addWidget(self.due_label)
        layout.addLayout(self._method_row())
        layout.addWidget(self.field_caption)
        layout.addWidget(self.edit)
        self.notes = QWidget()
        layout.addWidget(self.notes)
        self._note_buttons()
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self.choose("cash")

    def _method_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.method_buttons = QButtonGroup(self)
        names = {
            "cash": self.tr("Cash"),
            "card": self.tr("Bank card"),
            "balance": self.tr("Balance"),
            "points": self.tr("Points"),
        }
        for method in METHODS:
            button = QPushButton(names[method])
            button.setObjectName("methodButton")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setEnabled(self._limit(method) != 0)
            button.clicked.connect(lambda _=False, m=method: self.choose(m))
            self.method_buttons.addButton(button)
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
        grid = QGridLayout(self.notes)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, amount in enumerate(suggested_notes(self.due)):
            button = QPushButton(money(amount))
            button.setObjectName("noteButton")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, a=amount: self._note(a))
            grid.addWidget(button, 0, i)

    def choose(self, method: str) -> None:
        """Switch the method; the amount field starts at what that method can pay."""
        self.method = method
        getattr(self, f"{method}_button").setChecked(True)
        self.notes.setVisible(method == "cash")
        if method == "cash":
            self.field_caption.setText(self.tr("Cash received"))
            self.ok.setText(self.tr("Take cash"))
            start = self.due
        else:
            self.field_caption.setText(self.tr("Amount"))
            self.ok.setText(self.tr("Pay by card") if method == "card" else self.tr("Pay"))
            limit = self._limit(method)
            start = self.due if limit is None else min(self.due, limit)
        self.edit.setText(_plain(start))
        self.edit.selectAll()
        self.edit.setFocus()
        self._update()

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
