"""Step 3 of the first run: the printer and the scanner found and tested.

The page lists what this computer sees (serial ports, USB HID devices), embeds the device
settings screen (its "Print test page" prints through the real print queue, "Show the last
scan" shows a serial or HID scanner's reading) and has a field a keyboard-wedge scanner types
into: "scan something now".
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.services.first_run import FoundDevices, SetupDevices, SetupFailed, TillSetup
from pos_app.ui.op_runner import OpRunner
from pos_app.ui.settings.device_settings import DeviceSettingsWidget
from pos_app.ui.setup.texts import failure_text


class DevicesPage(QWidget):
    finished = Signal()

    def __init__(self, setup: TillSetup, runner: OpRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setup, self.runner = setup, runner
        self.found = QLabel(self.tr("Looking for devices…"))
        self.found.setObjectName("foundDevices")
        self.found.setWordWrap(True)
        self.settings: DeviceSettingsWidget | None = None
        self.scan_field = QLineEdit()
        self.scan_field.setObjectName("scanTest")
        self.scan_field.setPlaceholderText(self.tr("Scan something now: a keyboard scanner "
                                                   "types it here"))  # fmt: skip
        self.scan_result = QLabel()
        self.scan_result.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.finish_button = QPushButton(self.tr("Finish and open the till"))
        self._settings_slot = QVBoxLayout()
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.finish_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.found)
        layout.addLayout(self._settings_slot, 1)
        layout.addWidget(self.scan_field)
        layout.addWidget(self.scan_result)
        layout.addLayout(buttons)
        self.scan_field.returnPressed.connect(self._scanned)
        self.finish_button.clicked.connect(self.finished.emit)

    def start(self) -> None:
        self.runner.run(self.setup.found_devices, self._show_found, self.failed)
        self.runner.run(self.setup.devices, self._show_settings, self.failed)

    def _show_found(self, found: FoundDevices) -> None:
        ports = (
            self.tr("Serial ports: %1").replace("%1", "; ".join(found.serial_ports))
            if found.serial_ports
            else self.tr("No serial ports found on this computer.")
        )
        usb = (self.tr("USB devices: %1").replace("%1", "; ".join(found.hid_devices))
               if found.hid_devices else self.tr("No USB scanners or card readers found "
                                                 "(or they cannot be listed)."))  # fmt: skip
        hint = self.tr("Set the receipt printer below (a network printer by its address) and "
                       "press “Print a test page”; a serial or USB scanner's reading shows under "
                       "“Show the last scan”.")  # fmt: skip
        self.found.setText("\n".join([ports, usb, hint]))

    def _show_settings(self, devices: SetupDevices) -> None:
        self.settings = DeviceSettingsWidget(devices.settings, self.runner,
                                             print_service=devices.printing)  # fmt: skip
        self._settings_slot.addWidget(self.settings)

    def _scanned(self) -> None:
        text = self.scan_field.text()
        self.scan_field.clear()
        if text:
            self.scan_result.setText(
                self.tr("Read: %1 (%2 characters). The scanner works.")
                .replace("%1", text)
                .replace("%2", str(len(text)))
            )

    def failed(self, exc: Exception) -> None:
        reason = exc.reason if isinstance(exc, SetupFailed) else ""
        detail = exc.message if isinstance(exc, SetupFailed) else str(exc)
        self.message.setText(failure_text(reason, detail))
        self.message.setStyleSheet("color: #b00020;")
