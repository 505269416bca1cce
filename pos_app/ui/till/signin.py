"""Sign-in by PIN: a keypad dialog; the PIN is checked by the staff service off the GUI thread.

The PIN check is a slow hash on purpose (PBKDF2), so it runs through the op runner; the dialog
stays responsive and shows the service's sentence for a wrong PIN or a pause.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.op_runner import OpRunner
from pos_app.ui.till.messages import cashier_text
from pos_app.ui.till.ports import SignedInStaff, SignIn


class SignInDialog(QDialog):
    """Asks for a PIN until the staff service accepts one; ``staff`` is then who signed in."""

    signed_in = Signal(object)  # SignedInStaff

    def __init__(self, auth: SignIn, runner: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signIn")
        self.setWindowTitle(self.tr("Sign in"))
        self.setModal(True)
        self._auth = auth
        self._runner = runner
        self.staff: SignedInStaff | None = None
        self.title = QLabel(self.tr("Enter your PIN"))
        self.title.setObjectName("signInTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin = QLineEdit()
        self.pin.setObjectName("pinEdit")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(8)
        self.pin.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin.returnPressed.connect(self.submit)
        self.error = QLabel("")
        self.error.setObjectName("signInError")
        self.error.setWordWrap(True)
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(self.title)
        layout.addWidget(self.pin)
        layout.addLayout(self._keypad())
        layout.addWidget(self.error)
        self.pin.setFocus()

    def _keypad(self) -> QGridLayout:
        grid = QGridLayout()
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK"]
        for i, key in enumerate(keys):
            button = QPushButton(self.tr("OK") if key == "OK" else key)
            button.setObjectName("keypadButton")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumSize(72, 56)
            button.clicked.connect(lambda _=False, k=key: self._press(k))
            grid.addWidget(button, i // 3, i % 3)
        return grid

    def _press(self, key: str) -> None:
        if key == "OK":
            self.submit()
        elif key == "⌫":
            self.pin.backspace()
        else:
            self.pin.insert(key)

    def submit(self) -> None:
        """Check the PIN off the GUI thread."""
        pin = self.pin.text()
        self.pin.setEnabled(False)
        self.error.setText(self.tr("Checking…"))
        self._runner.run(lambda: self._auth.sign_in(pin), self._accepted, self._refused)

    def _accepted(self, staff: SignedInStaff) -> None:
        self.staff = staff
        self.signed_in.emit(staff)
        self.accept()

    def _refused(self, error: Exception) -> None:
        self.error.setText(cashier_text(error))
        self.pin.clear()
        self.pin.setEnabled(True)
        self.pin.setFocus()
