"""Step 2 of the first run: what the server told the till about its venue, and its name.

After enrolment the till pulls the change feed (catalogue, guest groups, staff, guests, the
shop's time zone) and shows what arrived, so the installer sees at once that it is the right
venue. The venue's name on the screen and the receipts is the till's own setting (the server
publishes none): it is asked here.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.services.first_run import Enrolled, SetupFailed, TillSetup, VenueDetails
from pos_app.ui.op_runner import OpRunner
from pos_app.ui.setup.texts import failure_text


class VenuePage(QWidget):
    done = Signal()

    def __init__(self, setup: TillSetup, runner: OpRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setup, self.runner = setup, runner
        self.enrolment = QLabel()
        self.enrolment.setWordWrap(True)
        self.details = QLabel()
        self.details.setObjectName("venueDetails")
        self.details.setWordWrap(True)
        self.venue_name = QLineEdit()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.retry_button = QPushButton(self.tr("Retry"))
        self.retry_button.hide()
        self.next_button = QPushButton(self.tr("Next"))
        self.next_button.setDefault(True)
        form = QFormLayout()
        form.addRow(self.tr("Venue name (on the screen and receipts)"), self.venue_name)
        buttons = QHBoxLayout()
        buttons.addWidget(self.retry_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.enrolment)
        layout.addWidget(self.details)
        layout.addLayout(form)
        layout.addWidget(self.message, 1)
        layout.addLayout(buttons)
        self.retry_button.clicked.connect(self.fetch)
        self.next_button.clicked.connect(self.save)
        self.venue_name.returnPressed.connect(self.save)

    def start(self, enrolled: Enrolled | None) -> None:
        if enrolled is None:
            self.enrolment.setText(
                self.tr(
                    "This till works without a server for now: its "
                    "sales wait on this computer. To connect it later, "
                    "start it with --server URL --enrol-code CODE."
                )
            )
            self.runner.run(self.setup.venue, self._shown, self.failed)
            return
        name = enrolled.terminal_name or enrolled.terminal_id
        text = self.tr("Enrolled as terminal “%1” with %2.").replace("%1", name)
        text = text.replace("%2", enrolled.server_url)
        place = enrolled.token_place
        if place.in_keyring:
            text += " " + self.tr("Its token is kept in this computer's keyring.")
        else:
            text += " " + self.tr("Its token is kept in the file %1 (readable only by this "
                                  "user).").replace("%1", place.path)  # fmt: skip
        self.enrolment.setText(text)
        self.fetch()

    def fetch(self) -> None:
        self.retry_button.hide()
        self.next_button.setEnabled(False)
        self.say(self.tr("Fetching the venue's data from the server…"))
        self.runner.run(self.setup.fetch_venue, self._shown, self.failed)

    def _shown(self, venue: VenueDetails) -> None:
        self.next_button.setEnabled(True)
        self.say("")
        lines = [self.tr("Time zone: %1").replace("%1", venue.timezone),
                 self.tr("Products: %1 · guest groups: %2 · staff: %3 · guests: %4")
                 .replace("%1", str(venue.products)).replace("%2", str(venue.groups))
                 .replace("%3", str(venue.staff)).replace("%4", str(venue.guests))]  # fmt: skip
        if venue.terminal_name:
            lines.insert(0, self.tr("Terminal: %1").replace("%1", venue.terminal_name))
        self.details.setText("\n".join(lines))
        if not self.venue_name.text():
            self.venue_name.setText(venue.venue_name)
        self.venue_name.setFocus()

    def save(self) -> None:
        if not self.next_button.isEnabled():
            return
        name = self.venue_name.text()
        self.next_button.setEnabled(False)
        self.runner.run(lambda: self.setup.save_venue_name(name), self._saved, self.failed)

    def _saved(self, _result: object) -> None:
        self.next_button.setEnabled(True)
        self.done.emit()

    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b00020;" if error else "")

    def failed(self, exc: Exception) -> None:
        self.next_button.setEnabled(True)  # the venue's data also arrives once the till runs
        if isinstance(exc, SetupFailed):
            self.say(failure_text(exc.reason, exc.message), error=True)
            self.retry_button.setVisible(exc.reason == "feed_failed")
        else:
            self.say(failure_text("", str(exc)), error=True)
