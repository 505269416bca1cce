"""A new guest at the till: name, phone and card in one form (issue 17, point 6) - for an
unknown card just read (the card is given), or from the till window (Ctrl+N; the card typed,
or swiped/scanned into the form). The phone is checked for duplicates as soon as it is typed
(``GuestService.phone_check`` through ``check_phone``: this till's guests, and the server's
verdict when it answers); a phone another guest has keeps the form from being sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from pos_app.services.guests import PhoneCheck

# (the typed phone, then called on the GUI thread with the check, or None if it failed)
PhoneChecker = Callable[[str, Callable[["PhoneCheck | None"], None]], None]


class NewGuestDialog(QDialog):
    def __init__(self, identifier: str | None = None, parent: QWidget | None = None, *,
                 check_phone: PhoneChecker | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("newGuest")
        self.setWindowTitle(self.tr("New guest"))
        self._check_phone = check_phone
        self.phone_taken = False
        if identifier is not None:
            intro = QLabel(
                self.tr("No guest has the card %1. Create a guest and bind this card?").replace(
                    "%1", identifier
                )
            )
        else:
            intro = QLabel(self.tr("Name, and a phone or a card: swipe or scan it, or type it."))
        intro.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setObjectName("newGuestName")
        self.phone = QLineEdit()
        self.phone.setObjectName("newGuestPhone")
        self.phone.setPlaceholderText("+7 …")
        self.card = QLineEdit(identifier or "")
        self.card.setObjectName("newGuestCard")
        self.card.setReadOnly(identifier is not None)
        self.card_method = "manual"  # a swipe or scan into the form sets it
        self.phone_note = QLabel("")
        self.phone_note.setObjectName("newGuestPhoneNote")
        self.phone_note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Phone"), self.phone)
        form.addRow("", self.phone_note)
        form.addRow(self.tr("Card"), self.card)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(
            self.tr("Create and bind the card") if identifier else self.tr("Create the guest")
        )
        self.ok.setEnabled(False)
        for field in (self.name, self.phone, self.card):
            field.textChanged.connect(self._enable)
        self.phone.textChanged.connect(self._phone_edited)
        self.phone.editingFinished.connect(self.check)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)  # the phone's note reads whole
        self.name.setFocus()

    def take_reading(self, kind: str, data: str) -> None:
        """A card swiped (``msr``) or scanned (``barcode``) while the form is open."""
        if not self.card.isReadOnly():
            self.card.setText(data)
            self.card_method = kind

    def identifier(self) -> str | None:
        return self.card.text().strip() or None

    def method(self) -> str:
        return self.card_method if self.card.text().strip() else "manual"

    def _enable(self) -> None:
        has_way = bool(self.phone.text().strip() or self.card.text().strip())
        self.ok.setEnabled(bool(self.name.text().strip()) and has_way and not self.phone_taken)

    def _phone_edited(self) -> None:
        self.phone_taken = False
        self.phone_note.setText("")
        self._enable()

    def check(self) -> None:
        """Ask whether the typed phone is someone's already."""
        phone = self.phone.text().strip()
        if not phone or self._check_phone is None:
            return
        self.phone_note.setText(self.tr("Checking the phone…"))
        self._check_phone(phone, lambda result: self.show_check(phone, result))

    def show_check(self, phone: str, check: PhoneCheck | None) -> None:
        if phone != self.phone.text().strip():
            return  # typed on meanwhile
        if check is None:
            self.phone_note.setText(self.tr("This is not a phone number."))
            self.phone_taken = True
        elif check.taken_by is not None:
            self.phone_note.setText(self.tr("%1 already has this phone: find that guest "
                                            "instead.").replace("%1", check.taken_by))  # fmt: skip
            self.phone_taken = True
        elif check.server_asked:
            self.phone_note.setText(self.tr("No guest has this phone (checked on the server)."))
        else:
            self.phone_note.setText(self.tr("No guest of this till has this phone; the server "
                                            "cannot be asked now."))  # fmt: skip
        self.phone_note.setProperty("problem", self.phone_taken)
        self.phone_note.setStyleSheet("color: #a61b1b;" if self.phone_taken else "")
        self._enable()
