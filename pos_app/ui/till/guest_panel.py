"""Who the sale is for: name, group and its discount, points and balance from the local store.

Empty until a guest is identified (card swipe, QR, phone or search); "Points" shows the last
known snapshot of the guest's bonus account, since the server holds the ledger.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QVBoxLayout, QWidget

from pos_app.services.dto import GuestView
from pos_app.ui.till.format import money, percent_of_bp


class GuestPanel(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guestPanel")
        self.guest: GuestView | None = None
        self.name = QLabel()
        self.name.setObjectName("guestName")
        self.hint = QLabel(self.tr("Swipe a card, scan a QR code or press F4 to find a guest"))
        self.hint.setObjectName("guestHint")
        self.hint.setWordWrap(True)
        self.group = QLabel()
        self.points = QLabel()
        self.balance = QLabel()
        self.phone = QLabel()
        self._form = QFormLayout()
        self._form.addRow(self.tr("Group"), self.group)
        self._form.addRow(self.tr("Points available"), self.points)
        self._form.addRow(self.tr("Balance"), self.balance)
        self._form.addRow(self.tr("Phone"), self.phone)
        self._details = QWidget()
        self._details.setLayout(self._form)
        layout = QVBoxLayout(self)
        layout.addWidget(self.name)
        layout.addWidget(self.hint)
        layout.addWidget(self._details)
        self.show_guest(None)

    def show_guest(self, guest: GuestView | None) -> None:
        self.guest = guest
        self._details.setVisible(guest is not None)
        self.hint.setVisible(guest is None)
        if guest is None:
            self.name.setText(self.tr("No guest"))
            return
        self.name.setText(guest.name)
        if guest.group is None:
            self.group.setText(self.tr("no group"))
        else:
            self.group.setText(
                self.tr("%1 — discount %2")
                .replace("%1", guest.group.name)
                .replace("%2", percent_of_bp(guest.group.discount_bp))
            )
        self.points.setText(money(guest.bonus_available))
        self.balance.setText(money(guest.balance))
        self.phone.setText(", ".join(guest.phones) or "—")
