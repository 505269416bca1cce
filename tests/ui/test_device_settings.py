"""The device settings screen, driven offscreen: real store, print queue, TCP printer emulator,
fallback sound player and the wedge decoder's events."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from pos_app.commands.composition import device_settings_service
from pos_app.commands.printing import ReceiptPrinting, printer_config
from pos_app.db import Store, open_store
from pos_app.devices.emulators.printer import PrinterEmulator
from pos_app.devices.escpos_printer import PrinterState, PrintResult
from pos_app.devices.events import ScanEvent
from pos_app.devices.scan_monitor import LastScanRecorder
from pos_app.devices.sound import BeepPlayer, SoundSettings
from pos_app.devices.wedge import WedgeConfig, WedgeDecoder
from pos_app.services.device_settings import DeviceSettingsService
from pos_app.services.printing import Backoff
from pos_app.ui.op_runner import OpRunner
from pos_app.ui.settings.device_settings import DeviceSettingsWidget
from pos_app.ui.settings.print_queue_view import PrintQueueView


@dataclass
class Screen:
    widget: DeviceSettingsWidget
    service: DeviceSettingsService
    emulator: PrinterEmulator
    printing: ReceiptPrinting
    bell: io.StringIO
    scans: LastScanRecorder
    store: Store


@pytest.fixture
def screen(qtbot: QtBot, tmp_path: Path) -> Iterator[Screen]:
    emulator = PrinterEmulator(tmp_path / "jobs", port=0)
    emulator.start()
    store = open_store(tmp_path / "till.sqlite3", terminal_id="T1")
    printing = ReceiptPrinting(store, printer_config({"port": 1, "timeout_s": 1.0}),
                               backoff=Backoff(0.05, 0.2), idle_poll_s=0.1)  # fmt: skip
    printing.start()
    bell, scans = io.StringIO(), LastScanRecorder()
    service = device_settings_service(
        store, printing, sound=BeepPlayer(SoundSettings(), bell), scans=scans
    )
    runner = OpRunner()
    widget = DeviceSettingsWidget(service, runner, print_service=printing.service)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(widget.save_button.isEnabled)  # loaded
    yield Screen(widget, service, emulator, printing, bell, scans, store)
    runner.shutdown()
    printing.stop()
    store.close()
    emulator.stop()


def test_test_page_is_saved_and_printed_through_the_queue(qtbot: QtBot, screen: Screen) -> None:
    w = screen.widget
    assert w.printer.host.text() == "127.0.0.1" and w.printer.driver.currentData() == "network"
    w.printer.port.setValue(screen.emulator.port)
    w.printer.paper.setCurrentIndex(w.printer.paper.findData(58))
    assert w.printer.columns.currentData() == 32  # 58 mm paper offers 32 characters only
    w.printer.test_button.click()
    qtbot.waitUntil(lambda: "print queue" in w.message.text(), timeout=3000)
    [page] = screen.emulator.wait_for_jobs(1)
    text = page.read_text("utf-8")
    assert "ТЕСТОВАЯ" in text and "12345678901234567890123456789012\n" in text
    stored = screen.service.load()
    assert stored.printer.port == screen.emulator.port and stored.printer.columns == 32


def test_a_wrong_field_is_named_and_focused_and_not_stored(qtbot: QtBot, screen: Screen) -> None:
    w = screen.widget
    w.tabs.setCurrentWidget(w.sound)
    w.printer.driver.setCurrentIndex(w.printer.driver.findData("serial"))
    assert not w.printer.host.isEnabled() and w.printer.device_path.isEnabled()
    w.save_button.click()
    qtbot.waitUntil(lambda: w.message.property("error") is True, timeout=3000)
    assert w.message.text() == "Enter the printer's port or device file."
    assert w.tabs.currentWidget() is w.printer
    assert screen.service.load().printer.driver == "network"
    w.printer.device_path.setText("/dev/ttyUSB0")
    w.save_button.click()
    qtbot.waitUntil(lambda: w.message.text() == "Saved.", timeout=3000)
    assert screen.service.load().printer.device_path == "/dev/ttyUSB0"


def test_sound_test_plays_with_the_shown_volume(qtbot: QtBot, screen: Screen) -> None:
    w = screen.widget
    w.sound.volume.setValue(30)
    w.sound.test_button.click()
    assert screen.bell.getvalue() == "\a" and w.message.text() == "Playing the test sound."
    w.sound.enabled.setChecked(False)
    w.sound.test_button.click()
    assert screen.bell.getvalue() == "\a" and w.message.text() == "Sound is off."


def test_last_scan_shows_what_the_scanner_read(qtbot: QtBot, screen: Screen) -> None:
    w = screen.widget
    w.scanner.last_scan_button.click()
    qtbot.waitUntil(lambda: w.scanner.last_scan.text() == "Nothing scanned yet.", timeout=3000)
    decoder = WedgeDecoder(WedgeConfig(device="wedge"))
    for i, char in enumerate("4600000000017\r"):  # a scanner's burst of keys
        for event in decoder.feed(char, 1000 + 5 * i):
            assert isinstance(event, ScanEvent)
            screen.scans.record(event)
    w.scanner.last_scan_button.click()
    qtbot.waitUntil(lambda: "4600000000017" in w.scanner.last_scan.text(), timeout=3000)
    assert "barcode · wedge" in w.scanner.last_scan.text()


def test_the_screen_speaks_russian_with_its_translation(qtbot: QtBot, screen: Screen) -> None:
    from PySide6.QtCore import QCoreApplication, QTranslator

    from pos_app.ui.i18n import TRANSLATIONS_DIR

    app = QCoreApplication.instance()
    assert app is not None
    translator = QTranslator()
    assert translator.load(str(TRANSLATIONS_DIR / "device_settings_ru.qm"))
    app.installTranslator(translator)
    try:
        runner = OpRunner()
        widget = DeviceSettingsWidget(screen.service, runner)
        qtbot.addWidget(widget)
        assert widget.tabs.tabText(0) == "Чековый принтер"
        assert widget.printer.test_button.text() == "Напечатать тестовую страницу"
        assert widget.sound.enabled.text() == "Воспроизводить звуки"
        qtbot.waitUntil(widget.save_button.isEnabled)
        queue = PrintQueueView(screen.printing.service, runner)
        qtbot.addWidget(queue)
        for state in PrinterState:  # every sentence the printer adapter may say is translated
            said = queue.printer_said(PrintResult.of(state, detail="errno 111").message)
            assert said.endswith(" (errno 111)") and not said.isascii(), state
        qtbot.waitUntil(lambda: queue.summary.text() == "Всё напечатано.")
        runner.shutdown()
    finally:
        app.removeTranslator(translator)


def state_cell(table: QTableWidget) -> str:
    item = table.item(0, 2)
    return "" if item is None else item.text()


def test_print_queue_tab_shows_the_wait_retries_and_reprints(qtbot: QtBot, screen: Screen) -> None:
    w, emulator = screen.widget, screen.emulator
    queue = w.queue
    assert queue is not None and w.tabs.tabText(3) == "Print queue"
    emulator.paper_out = True
    w.printer.port.setValue(emulator.port)
    w.printer.test_button.click()
    qtbot.waitUntil(lambda: screen.printing.service.state().waiting, timeout=3000)

    def shown(text: str) -> bool:
        queue.refresh_button.click()
        qtbot.wait(50)
        return text in queue.summary.text()

    qtbot.waitUntil(lambda: shown("1 waiting to print. The printer is out of paper"), timeout=3000)
    assert state_cell(queue.table) == "waiting for the printer"
    emulator.paper_out = False
    queue.retry_button.click()
    qtbot.waitUntil(lambda: shown("Everything is printed."), timeout=3000)
    assert state_cell(queue.table) == "printed"
    queue.table.selectRow(0)
    queue.reprint_button.click()
    assert len(emulator.wait_for_jobs(2)) == 2
    qtbot.waitUntil(lambda: shown("Everything is printed.") and queue.table.rowCount() == 2)
