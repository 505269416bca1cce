"""Create a guest and bind the card just read, in one dialog (an unknown card or code)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)


class NewGuestDialog(QDialog):
    def __init__(self, identifier: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newGuest")
        self.setWindowTitle(self.tr("New guest"))
        intro = QLabel(
            self.tr("No guest has the card %1. Create a guest and bind this card?").replace(
                "%1", identifier
            )
        )
        intro.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setObjectName("newGuestName")
        self.phone = QLineEdit()
        self.phone.setObjectName("newGuestPhone")
        self.phone.setPlaceholderText("+7 …")
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Phone"), self.phone)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Create and bind the card"))
        self.ok.setEnabled(False)
        self.name.textChanged.connect(lambda t: self.ok.setEnabled(bool(t.strip())))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.name.setFocus()
