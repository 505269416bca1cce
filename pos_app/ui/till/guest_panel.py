"""Who the sale is for: name, group and its discount, points total / held / available, balance,
promo code and today's limits, as the guest service reads them from the local store.

Compact by default, so the basket keeps its room on a 1366×768 screen: one line with the name
and a details button, one wrapped line with the discount, the available points, the balance
and (when the group limits it) what may still be spent in points today. The button (or
Ctrl+I in the window) expands the full form with points total / held and today's visits.
Points and balance are the last known snapshots of the guest's accounts (the server holds
the ledger).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.till.format import money, percent_of_bp, points

if TYPE_CHECKING:
    from pos_app.services.guests import GuestPanel as GuestInfo
    from pos_app.services.guests import TodayLimits
    from pos_app.ui.till.changes import OpChanges, Session


class GuestPanel(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guestPanel")
        self.guest: GuestInfo | None = None
        self.name = QLabel()
        self.name.setObjectName("guestName")
        self.toggle = QPushButton()
        self.toggle.setObjectName("guestDetailsButton")
        self.toggle.setCheckable(True)
        self.toggle.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.toggle.toggled.connect(self._expand)
        self.card_button = QPushButton(self.tr("Card (Ctrl+G)"))
        self.card_button.setObjectName("guestCardButton")
        self.card_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hint = QLabel(self.tr("Swipe a card, scan a QR code or press F4 to find a guest"))
        self.hint.setObjectName("guestHint")
        self.hint.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setObjectName("guestSummary")
        self.summary.setWordWrap(True)
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
        form.setContentsMargins(0, 4, 0, 0)
        form.addRow(self.tr("Group"), self.group)
        form.addRow(self.tr("Points"), self.points)
        form.addRow("", self.points_detail)
        form.addRow(self.tr("Balance"), self.balance)
        form.addRow(self.tr("Today"), self.today)
        self._details = QWidget()
        self._details.setLayout(form)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.name, 1)
        top.addWidget(self.card_button)
        top.addWidget(self.toggle)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.hint)
        layout.addWidget(self.summary)
        layout.addWidget(self._details)
        self.show_guest(None)

    @property
    def expanded(self) -> bool:
        return self.toggle.isChecked()

    def toggle_details(self) -> None:
        if self.guest is not None:
            self.toggle.setChecked(not self.toggle.isChecked())

    def _expand(self, on: bool) -> None:
        self.toggle.setText(self.tr("Less ▴") if on else self.tr("More ▾"))
        known = self.guest is not None
        self._details.setVisible(known and on)
        self.summary.setVisible(known and not on)

    def op_executed(self, changes: OpChanges, session: Session) -> None:
        if changes.guest:
            self.show_guest(session.guest)

    def show_guest(self, guest: GuestInfo | None) -> None:
        if guest is None or self.guest is None or guest.guest_id != self.guest.guest_id:
            self.toggle.setChecked(False)  # a new guest starts compact
        self.guest = guest
        self.hint.setVisible(guest is None)
        self.toggle.setVisible(guest is not None)
        self.card_button.setVisible(guest is not None)
        self._expand(self.toggle.isChecked())
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
        self.points.setText(self.tr("%1 available").replace("%1", points(guest.points_available)))
        self.points_detail.setText(
            self.tr("total %1 · held %2")
            .replace("%1", points(guest.points_total))
            .replace("%2", points(guest.points_held))
        )
        self.balance.setText(self._balance(guest.balance))
        self.today.setText(self._today(guest.today))
        self.summary.setText(self._summary(guest))

    def _balance(self, balance: int | None) -> str:
        """A negative balance is a debt (a guest order completed unpaid, issue 20): "owed"."""
        if balance is None:
            return self.tr("none")
        if balance < 0:
            return self.tr("%1 owed").replace("%1", money(-balance))
        return money(balance)

    def _summary(self, guest: GuestInfo) -> str:
        """The compact line: discount, points, balance, today's points limit."""
        parts = [
            self.tr("discount %1").replace("%1", percent_of_bp(guest.group.discount_bp))
            if guest.group is not None
            else self.tr("no discount"),
            self.tr("%1 available").replace("%1", points(guest.points_available)),
        ]
        if guest.balance is not None:
            parts.append(self.tr("balance %1").replace("%1", self._balance(guest.balance)))
        limit = guest.today.points_limit
        if limit is not None:
            left = guest.today.points_remaining if guest.today.points_remaining is not None else 0
            parts.append(self.tr("today up to %1 in points").replace("%1", points(left)))
        return "  ·  ".join(parts)

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
        return visits + "; " + self.tr("points left to spend: %1").replace("%1", points(left))
