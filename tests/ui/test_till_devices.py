"""The till window's input devices (issue 7): the wedge follows the saved scanner settings, a
HID reader named on the command line that is not plugged in is a state on the status bar, and
a HID scanner's readings reach the same scan router as the serial reader's."""

from __future__ import annotations

from typing import Any

from pos_app.commands.composition import device_settings_service
from pos_app.commands.till_devices import hid_config
from pos_app.db import Store
from pos_app.devices.hid_reader import HIDAPI_AVAILABLE, HidReader
from pos_app.services.device_settings import DeviceSettings, ScannerSettings
from tests.app.test_till_devices import DIGITS
from tests.devices.test_hid_reader import FakeBus
from tests.ui.test_till_window import LATTE, open_shift


def _slow_scanner(store: Store) -> None:
    """The settings screen saved a wedge scanner with a prefix that types 120 ms a key."""
    scanner = ScannerSettings(driver="wedge", prefix="~", suffix="\r", max_interval_ms=200)
    device_settings_service(store).save(DeviceSettings(scanner=scanner))


def _sale_lines(till: Any) -> int:
    sale = till.window.controller.sale
    return sum(line.quantity for line in sale.lines) if sale is not None else 0


def test_the_wedge_reads_a_slow_scanner_with_the_saved_prefix(till_factory: Any) -> None:
    till = till_factory(before=_slow_scanner)
    till.sign_in()
    till.qtbot.waitUntil(lambda: till.window.staff is not None, timeout=20000)
    open_shift(till)
    till.keys("~" + LATTE + "\r", 120)  # far slower than the default 50 ms
    till.qtbot.waitUntil(lambda: _sale_lines(till) == 1, timeout=5000)


def test_hid_readers_absent_or_reading(till_factory: Any) -> None:
    till = till_factory(hid_readers=("0c2e:0b62",))
    window = till.window
    absent = "hid:0c2e:0b62: " + ("disconnected" if HIDAPI_AVAILABLE else "off")
    till.qtbot.waitUntil(lambda: absent in window.device_status.text(), timeout=5000)
    why = "not plugged in" if HIDAPI_AVAILABLE else "the hidapi library is not installed"
    assert f"{absent} ({why})" in window.device_status.toolTip()  # the reason, for a technician
    till.sign_in()
    till.qtbot.waitUntil(lambda: window.staff is not None, timeout=20000)
    open_shift(till)

    bus = FakeBus()  # a HID keyboard-mode scanner 0c2e:0b61 on the fake hidapi
    bridge = till.runtime.bridge
    reader = HidReader(hid_config(0x0C2E, 0x0B61), bridge.on_device_event,
                       bridge.on_device_status, backend=bus)  # fmt: skip
    till.runtime.readers.append(reader)  # stopped with the till
    reader.start()
    till.qtbot.waitUntil(lambda: "hid:0c2e:0b61: connected" in window.device_status.text(),
                         timeout=5000)  # fmt: skip
    for char in LATTE:
        bus.reports.put([0, 0, DIGITS[char], 0, 0, 0, 0, 0])
        bus.reports.put([0] * 8)
    bus.reports.put([0, 0, 0x28, 0, 0, 0, 0, 0])
    till.qtbot.waitUntil(lambda: _sale_lines(till) == 1, timeout=5000)
