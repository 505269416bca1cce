"""Factory fixtures for the till window: a real store with the demo shop, a real printer
emulator on loopback, a card reader on a pseudo-terminal, the real composition root."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from pos_app.commands.demo_data import fill_catalogue, fill_guests
from pos_app.commands.store_factory import open_till_store
from pos_app.commands.till_app import TillOptions, TillRuntime, build_till
from pos_app.db import Store
from pos_app.db.uow import SystemClock
from pos_app.devices.acquiring import FakeCardTerminal
from pos_app.devices.emulators.printer import PrinterEmulator
from pos_app.devices.emulators.serial_device import PtyDevice
from pos_app.services.staff import StaffService
from pos_app.ui.main_window import TillWindow

CASHIER_PIN = "1111"


@dataclass
class Till:
    runtime: TillRuntime
    store: Store
    printer: PrinterEmulator
    reader: PtyDevice
    terminal: FakeCardTerminal
    qtbot: QtBot

    @property
    def window(self) -> TillWindow:
        return self.runtime.window

    def stop(self) -> None:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self.runtime.stop(app)

    def sign_in(self, pin: str = CASHIER_PIN) -> None:
        self.qtbot.waitUntil(lambda: self.window.sign_in_dialog is not None)
        dialog = self.window.sign_in_dialog
        assert dialog is not None
        self.qtbot.waitUntil(dialog.isVisible)
        self.qtbot.keyClicks(dialog.pin, pin, delay=80)  # a person typing: passed through
        self.qtbot.waitUntil(lambda: dialog.pin.text() == pin, timeout=2000)
        dialog.submit()

    def scan(self, text: str, gap_ms: int = 4) -> None:
        """A keyboard-wedge scanner: the whole reading in a burst, ended by CR."""
        self.keys(text + "\r", gap_ms)

    def type(self, text: str, target: QWidget | None = None) -> None:
        """A person typing: keys 150 ms apart by their timestamps."""
        self.keys(text, 150, target)

    def keys(self, text: str, gap_ms: int, target: QWidget | None = None) -> None:
        target = target or QApplication.focusWidget() or self.window
        stamp = 1_000_000 + _next_burst()
        for i, char in enumerate(text):
            key = Qt.Key.Key_Return if char == "\r" else ord(char.upper()) & 0xFFFF
            event = QKeyEvent(QEvent.Type.KeyPress, int(key), Qt.KeyboardModifier.NoModifier, char)
            event.setTimestamp(stamp + i * gap_ms)
            QApplication.sendEvent(target, event)


_bursts = [0]


def _next_burst() -> int:
    _bursts[0] += 100_000  # each reading far apart from the previous one
    return _bursts[0]


@pytest.fixture
def till_factory(qtbot: QtBot, tmp_path: Path) -> Iterator[object]:
    made: list[Till] = []

    def make(*, staff: bool = True, lang: str = "en", before: Callable[[Store], object] | None
             = None, **options: Any) -> Till:  # fmt: skip
        """``before(store)`` runs before the till is built (saved settings); ``options`` are
        more ``TillOptions`` fields."""
        store = open_till_store(tmp_path / "till", terminal_id="T1", receipt_prefix="T1")
        with store.unit_of_work() as uow:
            fill_catalogue(uow)
            fill_guests(uow, datetime.now(UTC))
            uow.commit()
        if before is not None:
            before(store)
        if staff:
            service = StaffService(store.unit_of_work, SystemClock())
            service.add_staff("s1", "Olga Cashier", "cashier", CASHIER_PIN, b"salt-s1")
        printer = PrinterEmulator(tmp_path / "printer", port=0)
        port = printer.start()
        reader = PtyDevice()
        terminal = FakeCardTerminal()
        terminal_port = terminal.start()
        options = TillOptions(**{
            "data_dir": str(tmp_path / "till"),
            "lang": lang,
            "printer": f"127.0.0.1:{port}",
            "card_readers": (reader.path,),
            "card_terminal": f"127.0.0.1:{terminal_port}",
            **options,  # e.g. printer=None: a till without a printer
        })  # fmt: skip
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        runtime = build_till(options, app, store)
        qtbot.addWidget(runtime.window)
        runtime.window.resize(1366, 768)
        runtime.window.show()
        runtime.window.start()
        till = Till(runtime, store, printer, reader, terminal, qtbot)
        made.append(till)
        return till

    yield make
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    for till in made:
        till.runtime.stop(app)
        till.printer.stop()
        till.terminal.stop()
        till.reader.close()
        till.store.close()


def started_till(store: Store, options: TillOptions, qtbot: QtBot, **build: Any) -> Till:
    """The till window built on ``store`` by the real composition root, shown and started,
    for a test that brings its own store (an enrolled one) and no devices."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    runtime = build_till(options, app, store, **build)
    qtbot.addWidget(runtime.window)
    runtime.window.show()
    runtime.window.start()
    return Till(runtime, store, None, None, None, qtbot)  # type: ignore[arg-type]

