"""``pos-app devices [--data-dir DIR] [--lang ru|en]``: the device settings screen on its own.

For installers setting up a till: the stored printer gets its print queue worker (the test
page and any receipts still waiting print), the sound player plays the test sound, and a
serial or HID scanner from the stored settings is read so "Show the last scan" shows what it
sends; saving restarts that scanner with the new settings. (Keyboard-wedge scanners are read
by the till window, which owns the keyboard.)
"""

from __future__ import annotations

import argparse
import sys
from typing import Protocol

from pos_app.commands.composition import device_settings_service
from pos_app.commands.printing import ReceiptPrinting, printer_settings_config
from pos_app.commands.store_factory import open_till_store
from pos_app.devices.hid_reader import HidConfig, HidMatch, HidReader
from pos_app.devices.scan_monitor import LastScanRecorder
from pos_app.devices.serial_reader import SerialConfig, SerialReader
from pos_app.devices.sound import SoundSettings, create_sound_player
from pos_app.services.device_settings import DeviceSettings, ScannerSettings
from pos_app.services.ports import StoreError


class _Reader(Protocol):
    def start(self) -> None: ...
    def stop(self, timeout: float = 2.0) -> None: ...


def scanner_reader(settings: ScannerSettings, scans: LastScanRecorder) -> _Reader | None:
    """The driver for a serial or HID scanner (None for a keyboard wedge)."""
    if settings.driver == "serial":
        config = SerialConfig(settings.port, device="scanner", baudrate=settings.baudrate)
        return SerialReader(config, scans.record)
    if settings.driver == "hid":
        match = HidMatch(settings.vendor_id, settings.product_id or None)
        return HidReader(HidConfig(match, device="scanner"), scans.record)
    return None


class RunningScanner:
    """The one scanner this screen reads; restarted when its settings are saved."""

    def __init__(self, scans: LastScanRecorder) -> None:
        self.scans = scans
        self.reader: _Reader | None = None

    def use(self, settings: ScannerSettings) -> None:
        self.stop()
        self.reader = scanner_reader(settings, self.scans)
        if self.reader is not None:
            self.reader.start()

    def stop(self) -> None:
        if self.reader is not None:
            self.reader.stop()
            self.reader = None


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="pos-app devices", description=__doc__)
    parser.add_argument("--data-dir", help="the till's data directory (default: $POS_DATA_DIR)")
    parser.add_argument("--lang", choices=("ru", "en"), help="UI language (default: the locale)")
    args = parser.parse_args(argv)
    try:
        store = open_till_store(args.data_dir)
    except StoreError as exc:
        print(f"pos-app devices: {exc}", file=sys.stderr)
        return 1
    from pos_app.ui.application import application
    from pos_app.ui.i18n import install_translators, pick_language
    from pos_app.ui.op_runner import OpRunner
    from pos_app.ui.settings.device_settings import DeviceSettingsWidget

    app = application()
    translators = install_translators(app, pick_language(args.lang))  # noqa: F841 - keep alive
    scans, scanner = LastScanRecorder(), None
    try:
        stored = device_settings_service(store).load()
        printing = ReceiptPrinting(store, printer_settings_config(stored.printer))
        printing.start()
        sound = create_sound_player(SoundSettings(stored.sound.enabled, stored.sound.volume))
        scanner = RunningScanner(scans)
        scanner.use(stored.scanner)

        def saved(settings: DeviceSettings) -> None:
            assert scanner is not None
            scanner.use(settings.scanner)

        service = device_settings_service(store, printing, sound=sound, scans=scans, on_saved=saved)
        runner = OpRunner()
        window = DeviceSettingsWidget(service, runner, print_service=printing.service)
        window.resize(680, 560)
        window.show()
        code = app.exec()
        runner.shutdown()
        printing.stop()
        return int(code)
    finally:
        if scanner is not None:
            scanner.stop()
        store.close()
