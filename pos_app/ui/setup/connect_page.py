"""Step 1 of the first run: the server and the enrolment code, typed or scanned as a QR code.

A keyboard-wedge scanner types the QR code's text (``pos_app.domain.enrol_link``) into the
focused field and presses Enter: the link field reads it, fills in the server and the code and
connects. A link scanned into the server field by mistake is read the same way. The page says
before the code is spent where the till's token will be kept (the keyring, or a 0600 file).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.enrol_link import EnrolLink
from pos_app.services.first_run import Enrolled, SetupFailed, TillSetup, TokenPlace
from pos_app.ui.op_runner import OpRunner
from pos_app.ui.setup.texts import failure_text


class ConnectPage(QWidget):
    enrolled = Signal(object)  # Enrolled
    offline_chosen = Signal()

    def __init__(self, setup: TillSetup, runner: OpRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setup, self.runner = setup, runner
        self.intro = QLabel(self.tr(
            "Connect this till to the venue's server. Scan the QR code the back office shows "
            "for this till, or type the server's address and the enrolment code."))  # fmt: skip
        self.intro.setWordWrap(True)
        self.link = QLineEdit()
        self.link.setObjectName("enrolLink")
        self.link.setPlaceholderText(self.tr("Scan the QR code here (or paste it)"))
        self.server = QLineEdit()
        self.server.setPlaceholderText("https://server.example:8765")
        self.code = QLineEdit()
        self.ca_cert = QLineEdit()
        self.ca_cert.setPlaceholderText(self.tr("optional: the server's CA certificate (.pem)"))
        self.insecure = QCheckBox(self.tr("Allow unencrypted http:// to another computer "
                                          "(only on a network you trust)"))  # fmt: skip
        self.token_note = QLabel()
        self.token_note.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("setupMessage")
        self.message.setWordWrap(True)
        self.connect_button = QPushButton(self.tr("Connect"))
        self.connect_button.setDefault(True)
        self.offline_button = QPushButton(self.tr("Work without a server for now"))
        self._layout()
        self.link.returnPressed.connect(self.read_link)
        self.server.returnPressed.connect(self.connect_to_server)
        self.code.returnPressed.connect(self.connect_to_server)
        self.connect_button.clicked.connect(self.connect_to_server)
        self.offline_button.clicked.connect(self.offline_chosen.emit)

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow(self.tr("QR code"), self.link)
        form.addRow(self.tr("Server"), self.server)
        form.addRow(self.tr("Enrolment code"), self.code)
        form.addRow(self.tr("CA certificate"), self.ca_cert)
        form.addRow("", self.insecure)
        buttons = QHBoxLayout()
        buttons.addWidget(self.offline_button)
        buttons.addStretch(1)
        buttons.addWidget(self.connect_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.token_note)
        layout.addWidget(self.message, 1)
        layout.addLayout(buttons)

    def start(self) -> None:
        self.link.setFocus()
        self.runner.run(self.setup.token_place, self._show_place, self.failed)

    def _show_place(self, place: TokenPlace) -> None:
        if place.in_keyring:
            self.token_note.setText(self.tr("The till's token will be kept in this computer's "
                                            "keyring."))  # fmt: skip
            return
        self.token_note.setText(self.tr(
            "This computer has no usable keyring, so the till's token will be kept in the file "
            "%1, readable only by this computer's user of the till (mode 0600). Whoever can "
            "sign in as that user can read it.").replace("%1", place.path))  # fmt: skip

    def read_link(self) -> None:
        text = self.link.text()
        if not text.strip():
            return
        self.busy(True)
        self.runner.run(lambda: self.setup.read_link(text), self._link_read, self.failed)

    def _link_read(self, link: EnrolLink) -> None:
        self.busy(False)
        self.link.clear()
        self.server.setText(link.server)
        self.code.setText(link.code)
        self.connect_to_server()

    def connect_to_server(self) -> None:
        server, code = self.server.text().strip(), self.code.text().strip()
        if not code and _scanned_link(server):
            self.link.setText(server)  # a QR code scanned into the server field
            self.server.clear()
            self.read_link()
            return
        ca_cert, insecure = self.ca_cert.text(), self.insecure.isChecked()
        self.busy(True)
        self.say(self.tr("Connecting to %1…").replace("%1", server))
        self.runner.run(
            lambda: self.setup.enrol(server, code, ca_cert=ca_cert, insecure=insecure),
            self._enrolled, self.failed,
        )  # fmt: skip

    def _enrolled(self, enrolled: Enrolled) -> None:
        self.busy(False)
        self.say("")
        self.enrolled.emit(enrolled)

    def busy(self, busy: bool) -> None:
        for widget in (self.connect_button, self.offline_button, self.link, self.server,
                       self.code):  # fmt: skip
            widget.setEnabled(not busy)

    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setProperty("error", error)
        self.message.setStyleSheet("color: #b00020;" if error else "")

    def failed(self, exc: Exception) -> None:
        self.busy(False)
        if isinstance(exc, SetupFailed):
            self.say(failure_text(exc.reason, exc.message), error=True)
            focus = {
                "bad_link": self.link,
                "bad_url": self.server,
                "plain_http": self.server,
                "unreachable": self.server,
                "tls": self.ca_cert,
                "ca_missing": self.ca_cert,
                "code_unknown": self.code,
                "code_expired": self.code,
            }.get(exc.reason)
            if focus is not None:
                focus.setFocus()
                focus.selectAll()
        else:
            self.say(failure_text("", str(exc)), error=True)


def _scanned_link(text: str) -> bool:
    """A link, not an address: a scheme other than http(s), or typed in a Russian layout."""
    lowered = text.lower()
    cyrillic = any("\u0400" <= ch <= "\u04ff" for ch in text)
    return bool(text) and not lowered.startswith("http") and (":" in text or cyrillic)
