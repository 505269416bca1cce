"""Who the sale is for: name, group and its discount, points total / held / available, balance,
promo code and today's limits, as the guest service reads them from the local store.

Empty until a guest is identified (card swipe, QR, phone or search). Points and balance are
the last known snapshots of the guest's accounts (the server holds the ledger).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QVBoxLayout, QWidget

from pos_app.ui.till.format import money, percent_of_bp

if TYPE_CHECKING:
    from pos_app.services.guests import GuestPanel as GuestInfo
    from pos_app.services.guests import TodayLimits


class GuestPanel(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guestPanel")
        self.guest: GuestInfo | None = None
        self.name = QLabel()
        self.name.setObjectName("guestName")
        self.hint = QLabel(self.tr("Swipe a card, scan a QR code or press F4 to find a guest"))
        self.hint.setObjectName("guestHint")
        self.hint.setWordWrap(True)
        self.group = QLabel()
        self.group.setObjectName("guestGroup")
        self.points = QLabel()
        self.points.setObjectName("guestPoints")
        self.points_detail = QLabel()
        self.balance = QLabel()
        self.today = QLabel()
        for label in (self.name, self.group, self.points, self.balance, self.today):
            label.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Group"), self.group)
        form.addRow(self.tr("Points"), self.points)
        form.addRow("", self.points_detail)
        form.addRow(self.tr("Balance"), self.balance)
        form.addRow(self.tr("Today"), self.today)
        self._details = QWidget()
        self._details.setLayout(form)
        layout = QVBoxLayout(self)
        layout.addWidget(self.name)
        layout.addWidget(self.hint)
        layout.addWidget(self._details)
        self.show_guest(None)

    def show_guest(self, guest: GuestInfo | None) -> None:
        self.guest = guest
        self._details.setVisible(guest is not None)
        self.hint.setVisible(guest is None)
        if guest is None:
            self.name.setText(self.tr("No guest"))
            return
        phone = f"  ·  {guest.phones[0]}" if guest.phones else ""
        self.name.setText(guest.name + phone)
        if guest.group is None:
            self.group.setText(self.tr("no group, no discount"))
        else:
            self.group.setText(
                self.tr("%1 — discount %2")
                .replace("%1", guest.group.name)
                .replace("%2", percent_of_bp(guest.group.discount_bp))
            )
        self.points.setText(self.tr("%1 available").replace("%1", money(guest.points_available)))
        self.points_detail.setText(
            self.tr("total %1 · held %2")
            .replace("%1", money(guest.points_total))
            .replace("%2", money(guest.points_held))
        )
        self.balance.setText(money(guest.balance) if guest.balance is not None else self.tr("none"))
        self.today.setText(self._today(guest.today))

    def _today(self, today: TodayLimits) -> str:
        if today.identification_limit is None:
            visits = self.tr("visits: %1").replace("%1", str(today.identifications))
        else:
            visits = (
                self.tr("visits: %1 of %2")
                .replace("%1", str(today.identifications))
                .replace("%2", str(today.identification_limit))
            )
        if today.points_limit is None:
            return visits
        left = today.points_remaining if today.points_remaining is not None else 0
        return visits + "; " + self.tr("points left to spend: %1").replace("%1", money(left))
