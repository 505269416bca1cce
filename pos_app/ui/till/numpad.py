"""An on-screen numpad for amounts and quantities, and a small dialog asking for a number.

The keys never take the focus: each one types into its field (digits, "00", the comma), ⌫
takes the last character, C empties the field - so a cashier with a touch screen and no
keyboard can count cash, take a payment, set a quantity or a price. The payment dialog and
the shift's count carry one; ``NumberDialog`` is the till's way to ask for a number (a line's
quantity, a price, a discount) with a numpad, answering like ``QInputDialog``
(``textValueSelected``, ``setTextValue``), so a scan or a test answers it the same way.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

KEYS = (("7", "8", "9", "⌫"), ("4", "5", "6", "C"), ("1", "2", "3", ","), ("0", "00"))
BACKSPACE, CLEAR = "⌫", "C"


class Numpad(QWidget):
    def __init__(self, field: QLineEdit, parent: QWidget | None = None, *,
                 decimals: bool = True) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("numpad")
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Maximum)  # compact
        self.field = field
        self.keys: dict[str, QPushButton] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        for row, keys in enumerate(KEYS):
            for col, key in enumerate(keys):
                if key == "," and not decimals:
                    continue
                button = QPushButton(key)
                button.setObjectName("numpadKey")
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the field keeps the focus
                button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
                button.clicked.connect(lambda _=False, k=key: self.press(k))
                span = 2 if key == "00" else 1
                grid.addWidget(button, row, col if key != "00" else 1, 1, span)
                self.keys[key] = button

    def press(self, key: str) -> None:
        field = self.field
        if key == CLEAR:
            field.clear()
        elif key == BACKSPACE:
            field.backspace()
        else:
            if field.hasSelectedText():  # a pre-filled amount is replaced, as typing would
                field.del_()
            field.insert(key)
        field.setFocus(Qt.FocusReason.OtherFocusReason)


class NumberDialog(QDialog):
    """A number asked for with a numpad; ``textValueSelected`` carries the text on OK."""

    textValueSelected = Signal(str)  # QInputDialog's names, so callers treat both alike

    def __init__(self, title: str, label: str, parent: QWidget | None = None, *,
                 decimals: bool = True, value: str = "") -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("numberDialog")
        self.setWindowTitle(title)
        self.label = QLabel(label)
        self.label.setWordWrap(True)
        self.edit = QLineEdit(value)
        self.edit.setObjectName("numberEdit")
        self.edit.selectAll()
        self.numpad = Numpad(self.edit, self, decimals=decimals)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.edit)
        layout.addWidget(self.numpad)
        layout.addWidget(buttons)
        self.setMinimumWidth(360)

    def labelText(self) -> str:
        return self.label.text()

    def setLabelText(self, text: str) -> None:
        self.label.setText(text)

    def textValue(self) -> str:
        return self.edit.text()

    def setTextValue(self, text: str) -> None:
        self.edit.setText(text)

    def accept(self) -> None:
        super().accept()
        self.textValueSelected.emit(self.edit.text())
