"""The device settings screen: printer, scanner/card reader and sound of this terminal.

It talks only to ``DeviceSettingsService``; loading, saving, the test page and the last scan
run through the ``OpRunner`` (never on the GUI thread). The test sound is the exception on
purpose: QSoundEffect belongs to the GUI thread and ``play`` returns at once. A wrong field is
named in a clear sentence and its tab and widget get the focus.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.errors import DomainError
from pos_app.services.device_settings import (
    DeviceSettings,
    DeviceSettingsService,
    LastScan,
)
from pos_app.services.ports import StoreError
from pos_app.services.printing import PrintService
from pos_app.ui.op_runner import OpRunner
from pos_app.ui.settings.device_forms import PrinterForm, ScannerForm, SoundForm
from pos_app.ui.settings.print_queue_view import PrintQueueView


class DeviceSettingsWidget(QWidget):
    """Emits ``saved`` with the stored ``DeviceSettings`` after each successful save."""

    saved = Signal(object)

    def __init__(
        self,
        service: DeviceSettingsService,
        runner: OpRunner,
        parent: QWidget | None = None,
        *,
        print_service: PrintService | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("deviceSettings")
        self.setWindowTitle(self.tr("Devices"))
        self.service, self.runner = service, runner
        self.printer = PrinterForm(service.profiles)
        self.scanner = ScannerForm()
        self.sound = SoundForm()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.printer, self.tr("Receipt printer"))
        self.tabs.addTab(self.scanner, self.tr("Scanner and card reader"))
        self.tabs.addTab(self.sound, self.tr("Sound"))
        self.queue: PrintQueueView | None = None
        if print_service is not None:
            self.queue = PrintQueueView(print_service, runner)
            self.tabs.addTab(self.queue, self.tr("Print queue"))
        self.save_button = QPushButton(self.tr("Save"))
        self.reload_button = QPushButton(self.tr("Undo changes"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self._stored = DeviceSettings()
        self._layout()
        self.save_button.clicked.connect(self.save)
        self.reload_button.clicked.connect(self.reload)
        self.printer.test_button.clicked.connect(self.print_test_page)
        self.sound.test_button.clicked.connect(self.play_test_sound)
        self.scanner.last_scan_button.clicked.connect(self.show_last_scan)
        self.reload()

    def _layout(self) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.reload_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)

    def value(self) -> DeviceSettings:
        return DeviceSettings(self.printer.value(), self.scanner.value(), self.sound.value())

    def set_value(self, settings: DeviceSettings) -> None:
        self._stored = settings
        self.printer.set_value(settings.printer)
        self.scanner.set_value(settings.scanner)
        self.sound.set_value(settings.sound)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setProperty("error", error)
        self.message.setStyleSheet("color: #b00020;" if error else "")

    def _busy(self, busy: bool) -> None:
        for button in (self.save_button, self.reload_button, self.printer.test_button):
            button.setEnabled(not busy)

    # -- actions ----------------------------------------------------------------------------

    def reload(self) -> None:
        self._busy(True)
        self.runner.run(self.service.load, self._loaded, self._failed)

    def _loaded(self, settings: DeviceSettings) -> None:
        self._busy(False)
        self.set_value(settings)
        self._say("")

    def save(self) -> None:
        settings = self.value()
        self._busy(True)
        self.runner.run(lambda: self.service.save(settings), self._saved, self._failed)

    def _saved(self, settings: DeviceSettings) -> None:
        self._busy(False)
        self._stored = settings
        self._say(self.tr("Saved."))
        self.saved.emit(settings)

    def print_test_page(self) -> None:
        """Saves first when the form was changed: the test page goes to the saved printer."""
        settings, changed = self.value(), self.value() != self._stored

        def work() -> int:
            if changed:
                self.service.save(settings)
            return self.service.print_test_page()

        self._busy(True)
        self.runner.run(work, lambda job: self._test_page_queued(job, settings, changed),
                        self._failed)  # fmt: skip

    def _test_page_queued(self, job_id: int, settings: DeviceSettings, changed: bool) -> None:
        self._busy(False)
        if changed:
            self._stored = settings
            self.saved.emit(settings)
        self._say(
            self.tr("The test page is in the print queue (job %1).").replace("%1", str(job_id))
        )
        if self.queue is not None:
            self.queue.refresh()

    def play_test_sound(self) -> None:
        try:
            played = self.service.play_test_sound(self.sound.value())
        except DomainError as exc:
            self._failed(exc)
            return
        self._say(self.tr("Playing the test sound.") if played else self.tr("Sound is off."))

    def show_last_scan(self) -> None:
        self.runner.run(self.service.last_scan, self._show_scan, self._failed)

    def _show_scan(self, scan: LastScan | None) -> None:
        if scan is None:
            self.scanner.last_scan.setText(self.tr("Nothing scanned yet."))
            return
        kinds = {"barcode": self.tr("barcode"), "card": self.tr("card"),
                 "rejected": self.tr("not read, try again")}  # fmt: skip
        at = scan.at.astimezone().strftime("%H:%M:%S") if isinstance(scan.at, datetime) else ""
        text = f"{at} {kinds.get(scan.kind, scan.kind)} · {scan.device}\n{scan.data}"
        self.scanner.last_scan.setText(text)

    def _failed(self, exc: Exception) -> None:
        self._busy(False)
        if isinstance(exc, DomainError):
            field = str(exc.details.get("field", ""))
            self._focus(field)
            self._say(self._explain(exc.code, field, exc.message), error=True)
        elif isinstance(exc, StoreError):
            self._say(self.tr("The settings could not be stored: %1").replace("%1", str(exc)),
                      error=True)  # fmt: skip
        else:
            raise exc

    def _focus(self, field: str) -> None:
        section, _, name = field.partition(".")
        form = {"printer": self.printer, "scanner": self.scanner, "sound": self.sound}.get(section)
        if form is None:
            return
        self.tabs.setCurrentWidget(form)
        aliases = {"max_interval_ms": "max_interval", "codepage_number": "codepage",
                   "paper_mm": "paper"}  # fmt: skip
        widget = getattr(form, aliases.get(name, name), None)
        if isinstance(widget, QWidget):
            widget.setFocus()

    def _explain(self, code: str, field: str, english: str) -> str:
        """The cashier's language for the errors this screen can meet."""
        texts = {
            "printer.host": self.tr("Enter the printer's network address (e.g. 192.168.1.50)."),
            "printer.port": self.tr("The printer's TCP port must be from 1 to 65535."),
            "printer.device_path": self.tr("Enter the printer's port or device file."),
            "printer.usb_vendor_id": self.tr("Enter the printer's USB vendor id (4 hex digits)."),
            "printer.usb_product_id": self.tr("Enter the printer's USB product id (4 hex digits)."),
            "printer.columns": self.tr("This paper width takes another number of characters."),
            "scanner.port": self.tr("Enter the scanner's port (e.g. /dev/ttyACM0 or COM3)."),
            "scanner.vendor_id": self.tr("Enter the scanner's USB vendor id (4 hex digits)."),
            "scanner.product_id": self.tr("Enter the scanner's USB product id (4 hex digits)."),
            "scanner.prefix": self.tr("A prefix or suffix is at most 8 characters."),
        }
        if code == "device_test_unavailable":
            return self.tr("This device is not set up on this till.")
        return texts.get(field, english)
