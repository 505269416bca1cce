"""The first-run wizard: server and code -> the venue -> the devices, then the till opens.

Every step talks to the ``TillSetup`` port through the op runner, so the network and the store
are never touched on the GUI thread; each failure is a sentence in the window
(``ui/setup/texts.py``). ``completed`` says whether the till should open (True) or the
installer closed the window (False).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from pos_app.services.first_run import Enrolled, TillSetup
from pos_app.ui.op_runner import OpRunner
from pos_app.ui.setup.connect_page import ConnectPage
from pos_app.ui.setup.devices_page import DevicesPage
from pos_app.ui.setup.venue_page import VenuePage


class SetupWizard(QWidget):
    completed = Signal(bool)

    def __init__(self, setup: TillSetup, runner: OpRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("setupWizard")
        self.setWindowTitle(self.tr("Set up this till"))
        self.setup, self.runner = setup, runner
        self.title = QLabel()
        self.title.setObjectName("setupTitle")
        self.title.setStyleSheet("font-size: 20px; font-weight: 600;")
        self.connect_page = ConnectPage(setup, runner)
        self.venue_page = VenuePage(setup, runner)
        self.devices_page = DevicesPage(setup, runner)
        self.pages = QStackedWidget()
        for page in (self.connect_page, self.venue_page, self.devices_page):
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.pages, 1)
        self._done = False
        self.connect_page.enrolled.connect(self._enrolled)
        self.connect_page.offline_chosen.connect(self._offline)
        self.venue_page.done.connect(self._to_devices)
        self.devices_page.finished.connect(self._finish)
        self._show_step(0)

    def start(self) -> None:
        self.connect_page.start()

    def _show_step(self, index: int) -> None:
        titles = [self.tr("Step 1 of 3: connect to the server"),
                  self.tr("Step 2 of 3: the venue"),
                  self.tr("Step 3 of 3: printer and scanner")]  # fmt: skip
        self.title.setText(titles[index])
        self.pages.setCurrentIndex(index)

    def _enrolled(self, enrolled: Enrolled) -> None:
        self._show_step(1)
        self.venue_page.start(enrolled)

    def _offline(self) -> None:
        def chosen(_result: object) -> None:
            self._show_step(1)
            self.venue_page.start(None)

        self.connect_page.busy(True)
        self.runner.run(self.setup.work_offline, chosen, self.connect_page.failed)

    def _to_devices(self) -> None:
        self._show_step(2)
        self.devices_page.start()

    def _finish(self) -> None:
        self._done = True
        self.completed.emit(True)
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._done:
            self._done = True
            self.completed.emit(False)
        super().closeEvent(event)
