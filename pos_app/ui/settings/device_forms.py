"""The three forms of the device settings screen: printer, scanner/card reader, sound.

Each form shows one settings dataclass and reads it back (``set_value`` / ``value``); it does
no I/O. Fields that do not apply to the chosen connection are disabled, not hidden, so the
layout does not jump while an installer clicks through the drivers.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QSpinBox,
    QWidget,
)

from pos_app.services.device_settings import (
    BAUD_RATES,
    PAPER_WIDTHS,
    PRINTER_DRIVERS,
    SCANNER_DRIVERS,
    PrinterSettings,
    ScannerSettings,
    SoundPrefs,
)

SUFFIXES = (("\r", "Enter"), ("\t", "Tab"), ("\r\n", "Enter + LF"), ("", "—"))


def _hex(value: int) -> str:
    return f"{value:04X}" if value else ""


def _parse_hex(text: str) -> int:
    """``04b8``, ``0x04B8`` -> 0x04B8; anything else -> 0 (the service names the field)."""
    try:
        return int(text.strip().removeprefix("0x").removeprefix("0X") or "0", 16)
    except ValueError:
        return 0


def _select(combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    combo.setCurrentIndex(max(index, 0))


def _baud_combo() -> QComboBox:
    combo = QComboBox()
    for rate in BAUD_RATES:
        combo.addItem(str(rate), rate)
    return combo


class PrinterForm(QWidget):
    def __init__(self, profiles: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.driver = QComboBox()
        names = {"network": self.tr("Network (TCP 9100)"), "serial": self.tr("Serial port"),
                 "usb": self.tr("USB"), "file": self.tr("Device file")}  # fmt: skip
        for driver in PRINTER_DRIVERS:
            self.driver.addItem(names[driver], driver)
        self.host, self.device_path = QLineEdit(), QLineEdit()
        self.device_path.setPlaceholderText("/dev/ttyUSB0, COM3, /dev/usb/lp0")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.baudrate = _baud_combo()
        self.usb_vendor_id, self.usb_product_id = QLineEdit(), QLineEdit()
        self.usb_vendor_id.setPlaceholderText("04B8")
        self.profile = QComboBox()
        for name in profiles or ("epson",):
            self.profile.addItem(name, name)
        self.codepage = QSpinBox()
        self.codepage.setRange(-1, 255)
        self.codepage.setSpecialValueText(self.tr("as the profile says"))
        self.paper = QComboBox()
        for mm in PAPER_WIDTHS:
            self.paper.addItem(self.tr("%1 mm").replace("%1", str(mm)), mm)
        self.columns = QComboBox()
        self.test_button = QPushButton(self.tr("Print a test page"))
        self._layout()
        self.driver.currentIndexChanged.connect(self._driver_changed)
        self.paper.currentIndexChanged.connect(self._paper_changed)
        self.set_value(PrinterSettings())

    def _layout(self) -> None:
        form = QFormLayout(self)
        form.addRow(self.tr("Connection"), self.driver)
        form.addRow(self.tr("Address"), self.host)
        form.addRow(self.tr("TCP port"), self.port)
        form.addRow(self.tr("Port or file"), self.device_path)
        form.addRow(self.tr("Line speed (baud)"), self.baudrate)
        form.addRow(self.tr("USB vendor id (hex)"), self.usb_vendor_id)
        form.addRow(self.tr("USB product id (hex)"), self.usb_product_id)
        form.addRow(self.tr("Printer profile"), self.profile)
        form.addRow(self.tr("Code page number"), self.codepage)
        form.addRow(self.tr("Paper width"), self.paper)
        form.addRow(self.tr("Characters per line"), self.columns)
        form.addRow("", self.test_button)

    def _driver_changed(self) -> None:
        driver = self.driver.currentData()
        self.host.setEnabled(driver == "network")
        self.port.setEnabled(driver == "network")
        self.device_path.setEnabled(driver in ("serial", "file"))
        self.baudrate.setEnabled(driver == "serial")
        self.usb_vendor_id.setEnabled(driver == "usb")
        self.usb_product_id.setEnabled(driver == "usb")

    def _paper_changed(self) -> None:
        keep = self.columns.currentData()
        self.columns.clear()
        for columns in PAPER_WIDTHS.get(self.paper.currentData(), (48,)):
            self.columns.addItem(str(columns), columns)
        _select(self.columns, keep)
        if keep not in PAPER_WIDTHS.get(self.paper.currentData(), ()):
            self.columns.setCurrentIndex(self.columns.count() - 1)

    def set_value(self, p: PrinterSettings) -> None:
        _select(self.driver, p.driver)
        self.host.setText(p.host)
        self.port.setValue(p.port)
        self.device_path.setText(p.device_path)
        _select(self.baudrate, p.baudrate)
        self.usb_vendor_id.setText(_hex(p.usb_vendor_id))
        self.usb_product_id.setText(_hex(p.usb_product_id))
        _select(self.profile, p.profile)
        self.codepage.setValue(-1 if p.codepage_number is None else p.codepage_number)
        _select(self.paper, p.paper_mm)
        self._paper_changed()
        _select(self.columns, p.columns)
        self._driver_changed()

    def value(self) -> PrinterSettings:
        codepage = self.codepage.value()
        return PrinterSettings(
            driver=self.driver.currentData(),
            host=self.host.text().strip(),
            port=self.port.value(),
            device_path=self.device_path.text().strip(),
            baudrate=self.baudrate.currentData(),
            usb_vendor_id=_parse_hex(self.usb_vendor_id.text()),
            usb_product_id=_parse_hex(self.usb_product_id.text()),
            profile=self.profile.currentData(),
            codepage_number=None if codepage < 0 else codepage,
            paper_mm=self.paper.currentData(),
            columns=self.columns.currentData(),
        )


class ScannerForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.driver = QComboBox()
        names = {"wedge": self.tr("Keyboard (wedge)"), "serial": self.tr("Serial port"),
                 "hid": self.tr("USB HID")}  # fmt: skip
        for driver in SCANNER_DRIVERS:
            self.driver.addItem(names[driver], driver)
        self.prefix = QLineEdit()
        self.suffix = QComboBox()
        for value, label in SUFFIXES:
            self.suffix.addItem(label, value)
        self.max_interval = QSpinBox()
        self.max_interval.setRange(5, 1000)
        self.max_interval.setSuffix(self.tr(" ms"))
        self.port = QLineEdit()
        self.port.setPlaceholderText("/dev/ttyACM0, COM3")
        self.baudrate = _baud_combo()
        self.vendor_id, self.product_id = QLineEdit(), QLineEdit()
        self.last_scan_button = QPushButton(self.tr("Show the last scan"))
        self.last_scan = QLabel(self.tr("Nothing scanned yet."))
        self.last_scan.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout(self)
        form.addRow(self.tr("Connection"), self.driver)
        form.addRow(self.tr("Prefix"), self.prefix)
        form.addRow(self.tr("Suffix"), self.suffix)
        form.addRow(self.tr("Longest pause between keys"), self.max_interval)
        form.addRow(self.tr("Port"), self.port)
        form.addRow(self.tr("Line speed (baud)"), self.baudrate)
        form.addRow(self.tr("USB vendor id (hex)"), self.vendor_id)
        form.addRow(self.tr("USB product id (hex)"), self.product_id)
        form.addRow(self.last_scan_button, self.last_scan)
        self.driver.currentIndexChanged.connect(self._driver_changed)
        self.set_value(ScannerSettings())

    def _driver_changed(self) -> None:
        driver = self.driver.currentData()
        for widget in (self.prefix, self.suffix, self.max_interval):
            widget.setEnabled(driver == "wedge")
        self.port.setEnabled(driver == "serial")
        self.baudrate.setEnabled(driver == "serial")
        self.vendor_id.setEnabled(driver == "hid")
        self.product_id.setEnabled(driver == "hid")

    def set_value(self, s: ScannerSettings) -> None:
        _select(self.driver, s.driver)
        self.prefix.setText(s.prefix)
        _select(self.suffix, s.suffix)
        self.max_interval.setValue(s.max_interval_ms)
        self.port.setText(s.port)
        _select(self.baudrate, s.baudrate)
        self.vendor_id.setText(_hex(s.vendor_id))
        self.product_id.setText(_hex(s.product_id))
        self._driver_changed()

    def value(self) -> ScannerSettings:
        return ScannerSettings(
            driver=self.driver.currentData(),
            prefix=self.prefix.text(),
            suffix=self.suffix.currentData(),
            max_interval_ms=self.max_interval.value(),
            port=self.port.text().strip(),
            baudrate=self.baudrate.currentData(),
            vendor_id=_parse_hex(self.vendor_id.text()),
            product_id=_parse_hex(self.product_id.text()),
        )


class SoundForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.enabled = QCheckBox(self.tr("Play sounds"))
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(0, 100)
        self.volume_label = QLabel()
        self.volume.valueChanged.connect(lambda v: self.volume_label.setText(f"{v} %"))
        self.test_button = QPushButton(self.tr("Play a test sound"))
        row = QHBoxLayout()
        row.addWidget(self.volume, 1)
        row.addWidget(self.volume_label)
        form = QFormLayout(self)
        form.addRow("", self.enabled)
        form.addRow(self.tr("Volume"), row)
        form.addRow("", self.test_button)
        self.set_value(SoundPrefs())

    def set_value(self, s: SoundPrefs) -> None:
        self.enabled.setChecked(s.enabled)
        self.volume.setValue(s.volume)
        self.volume_label.setText(f"{s.volume} %")

    def value(self) -> SoundPrefs:
        return SoundPrefs(enabled=self.enabled.isChecked(), volume=self.volume.value())
