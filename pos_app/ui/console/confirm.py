"""Asking before an action that cannot be taken back (issue 20 point 4): cancel, void, pay and
complete name the order's short number, the guest and the amount, so a busy operator confirms
the order they mean, not the one the list happens to show.

The dialog is window-modal and opened with ``open()`` (never ``exec()``): the event loop keeps
running, the stream keeps updating the screen, and the window's buttons stay disabled until the
dialog is answered. "Back" is the default button, so a second click or a stray Enter that lands
on the dialog does nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from pos_app.domain.orders import OrderAction, PaymentMethod
from pos_app.services.orders import OrderView
from pos_app.ui.console.orders_model import method_text, money, state_text

CONFIRMED = frozenset({OrderAction.CANCEL, OrderAction.VOID, OrderAction.PAY,
                       OrderAction.COMPLETE})  # fmt: skip


def question(action: OrderAction, order: OrderView) -> str:
    translate = QCoreApplication.translate
    return {
        OrderAction.CANCEL: translate("ActionConfirmation", "Cancel order {0}?"),
        OrderAction.VOID: translate("ActionConfirmation", "Void order {0}?"),
        OrderAction.PAY: translate("ActionConfirmation", "Record payment for order {0}?"),
        OrderAction.COMPLETE: translate("ActionConfirmation", "Complete order {0}?"),
    }[action].format(order.label)


def confirm_text(action: OrderAction) -> str:
    translate = QCoreApplication.translate
    return {
        OrderAction.CANCEL: translate("ActionConfirmation", "Cancel the order"),
        OrderAction.VOID: translate("ActionConfirmation", "Void the order"),
        OrderAction.PAY: translate("ActionConfirmation", "Paid"),
        OrderAction.COMPLETE: translate("ActionConfirmation", "Complete"),
    }[action]


def due(order: OrderView) -> int:
    """What is still to be paid (money and points together, 1 point = 1 rouble)."""
    return max(order.total - order.paid_money - order.paid_points, 0)


def details(action: OrderAction, order: OrderView, method: PaymentMethod | None) -> list[str]:
    """The lines under the question: guest, amount, and what the action does with money."""
    translate = QCoreApplication.translate
    lines = [
        translate("ActionConfirmation", "Guest: {0}").format(order.guest_label),
        translate("ActionConfirmation", "Amount: {0}").format(money(order.total)),
    ]
    how = method_text(method or order.method).lower()
    if action is OrderAction.PAY:
        text = translate("ActionConfirmation", "To pay now: {0}, {1}")
        lines.append(text.format(money(due(order)), how))
    elif action is OrderAction.COMPLETE and due(order) and order.paid_money == 0:
        text = translate("ActionConfirmation", "Not paid: {0} becomes the guest's debt.")
        lines.append(text.format(money(due(order))))
    elif action is OrderAction.VOID and (order.paid_money or order.paid_points):
        lines.append(translate("ActionConfirmation", "What was paid is given back."))
    elif action is OrderAction.CANCEL:
        lines.append(translate("ActionConfirmation", "The guest is told the order is rejected."))
    return lines


class ActionConfirmation(QDialog):
    """``accepted``: go ahead; ``rejected``: the operator stepped back (Esc, Back, closed)."""

    def __init__(
        self, action: OrderAction, order: OrderView, method: PaymentMethod | None,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.action, self.order_id = action, order.order_id
        self.setObjectName("actionConfirmation")
        self.setWindowTitle(question(action, order))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        title = QLabel(question(action, order))
        title.setObjectName("confirmQuestion")
        self.text = QLabel("\n".join(details(action, order, method)))
        self.text.setObjectName("confirmDetails")
        self.text.setWordWrap(True)
        self.setMinimumWidth(380)
        self.confirm = QPushButton(confirm_text(action))
        self.confirm.setObjectName("confirmAction")
        self.back = QPushButton(QCoreApplication.translate("ActionConfirmation", "Back"))
        self.back.setObjectName("confirmBack")
        self.back.setDefault(True)
        self.confirm.setAutoDefault(False)
        self.confirm.clicked.connect(self.accept)
        self.back.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.back)
        buttons.addWidget(self.confirm)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        self.back.setFocus()


def lost_race_text(current: OrderView) -> str:
    """Another console (or a till) acted first: who, and what the order is now."""
    translate = QCoreApplication.translate
    state = state_text(current.state).lower()
    if not current.updated_by_name:
        text = translate(
            "ActionConfirmation",
            "Another console got there first: order {0} is now {1}. Nothing was applied twice.",
        )
        return text.format(current.label, state)
    text = translate(
        "ActionConfirmation",
        "{0} got there first: order {1} is now {2}. Nothing was applied twice.",
    )
    return text.format(current.updated_by_name, current.label, state)
