"""Cash payment: the amount due in big type, what the guest hands over, the change live.

Quick buttons give the usual notes; Enter takes the payment. The dialog only collects the
amount; the window takes the payment through the sale service (off the GUI thread).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.money import rub
from pos_app.ui.till.format import money, parse_amount

NOTES = (100, 500, 1_000, 2_000, 5_000)


def suggested_notes(due: int) -> list[int]:
    """Exact, then the amounts a guest is likely to hand over for ``due`` kopecks."""
    out = [due]
    for note in NOTES:
        amount = -(-due // rub(note)) * rub(note)
        if amount not in out:
            out.append(amount)
    return out[:5]


class CashPaymentDialog(QDialog):
    def __init__(self, due: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cashPayment")
        self.setWindowTitle(self.tr("Cash payment"))
        self.due = due
        self.tendered: int | None = None
        caption = QLabel(self.tr("Due"))
        self.due_label = QLabel(money(due))
        self.due_label.setObjectName("paymentDue")
        self.amount = QLineEdit(money(due).replace(" ₽", ""))
        self.amount.setObjectName("tenderedEdit")
        self.amount.selectAll()
        self.amount.textChanged.connect(self._update)
        self.change = QLabel()
        self.change.setObjectName("paymentChange")
        notes = QGridLayout()
        for i, amount in enumerate(suggested_notes(due)):
            button = QPushButton(money(amount))
            button.setObjectName("noteButton")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, a=amount: self._choose(a))
            notes.addWidget(button, 0, i)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Take cash"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Back"))
        self.buttons.accepted.connect(self._take)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(caption)
        layout.addWidget(self.due_label)
        layout.addWidget(QLabel(self.tr("Cash received")))
        layout.addWidget(self.amount)
        layout.addLayout(notes)
        layout.addWidget(self.change)
        layout.addWidget(self.buttons)
        self._update()

    def _choose(self, amount: int) -> None:
        self.amount.setText(money(amount).replace(" ₽", ""))
        self._take()

    def _update(self) -> None:
        tendered = parse_amount(self.amount.text())
        ok = tendered is not None and tendered >= self.due
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        if tendered is None:
            self.change.setText(self.tr("Type the amount received"))
        elif tendered < self.due:
            self.change.setText(self.tr("Short by %1").replace("%1", money(self.due - tendered)))
        else:
            self.change.setText(self.tr("Change %1").replace("%1", money(tendered - self.due)))

    def _take(self) -> None:
        tendered = parse_amount(self.amount.text())
        if tendered is None or tendered < self.due:
            return
        self.tendered = tendered
        self.accept()
