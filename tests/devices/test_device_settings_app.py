"""``pos-app devices``: the scanner it reads for "last scan" follows the saved settings."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pos_app.commands.device_settings_app import RunningScanner, main, scanner_reader
from pos_app.commands.till_devices import wedge_config
from pos_app.devices.events import ScanEvent
from pos_app.devices.hid_reader import HidReader
from pos_app.devices.scan_monitor import LastScanRecorder
from pos_app.devices.serial_reader import SerialReader
from pos_app.devices.wedge import PassThrough, WedgeDecoder
from pos_app.services.device_settings import ScannerSettings
from tests.devices.ptys import PtyPair


def test_the_stored_serial_scanner_is_read_and_restarted_on_save() -> None:
    first, second = PtyPair.open(), PtyPair.open()
    scans = LastScanRecorder()
    scanner = RunningScanner(scans)
    try:
        scanner.use(ScannerSettings(driver="serial", port=first.path, baudrate=9600))
        time.sleep(0.2)
        first.send(b"4600000000017\r")
        deadline = time.monotonic() + 3
        while scans.last() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        last = scans.last()
        assert last is not None and isinstance(last[0], ScanEvent)
        assert last[0].data == "4600000000017"
        scanner.use(ScannerSettings(driver="serial", port=second.path, baudrate=9600))
        time.sleep(0.2)
        second.send(b"ABC-1\r")
        deadline = time.monotonic() + 3
        while (scans.last() or last)[0] == last[0] and time.monotonic() < deadline:
            time.sleep(0.02)
        newest = scans.last()
        assert newest is not None and isinstance(newest[0], ScanEvent)
        assert newest[0].data == "ABC-1"
    finally:
        scanner.stop()
        first.unplug()
        second.unplug()


def test_driver_choice() -> None:
    scans = LastScanRecorder()
    assert scanner_reader(ScannerSettings(), scans) is None  # the wedge is the till window's
    assert isinstance(scanner_reader(ScannerSettings(driver="serial", port="x"), scans),
                      SerialReader)  # fmt: skip
    hid = ScannerSettings(driver="hid", vendor_id=0x0C2E)
    assert isinstance(scanner_reader(hid, scans), HidReader)


def test_an_unusable_data_dir_is_a_message_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["--data-dir", str(blocker / "sub")]) == 1
    assert capsys.readouterr().err.startswith("pos-app devices: ")


def test_the_screen_opens_on_a_store_and_closes_cleanly(tmp_path: Path) -> None:
    """A process of its own: the app's QApplication, sound player and event loop stay out of
    the test session's."""
    script = (
        "import sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from pos_app.commands.device_settings_app import main\n"
        "app = QApplication([])\n"
        "def look():\n"
        "    [w] = [w for w in app.topLevelWidgets() if w.objectName() == 'deviceSettings']\n"
        "    print('|'.join(w.tabs.tabText(i) for i in range(w.tabs.count())), flush=True)\n"
        "    app.quit()\n"
        "QTimer.singleShot(500, look)\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "--data-dir", str(tmp_path), "--lang", "en"],
        capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    tabs = done.stdout.strip().splitlines()[-1]
    assert tabs == "Receipt printer|Scanner and card reader|Sound|Print queue"
    assert (tmp_path / "till.sqlite3").exists()


def test_wedge_settings_drive_the_wedge_decoder() -> None:
    config = wedge_config(ScannerSettings(prefix="~", suffix="\r\n", max_interval_ms=30))
    assert config.prefix == "~" and config.suffixes == ("\r", "\n")
    decoder = WedgeDecoder(config)
    out = [o for i, ch in enumerate("~12345\r") for o in decoder.feed(ch, 100 + 10 * i)]
    assert [getattr(o, "data", None) for o in out] == ["12345"]
    slow = [o for i, ch in enumerate("~12345\r") for o in decoder.feed(ch, 1000 + 40 * i)]
    assert all(isinstance(o, PassThrough) for o in slow)  # 40 ms apart: a person typing
