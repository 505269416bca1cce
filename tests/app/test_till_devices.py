"""The till's input devices from the command line and the saved device settings: HID ids
parsed, the wedge decoder made from the saved prefix/suffix/key interval (and it decides
differently for it), the reader the settings name started unless the command line has it, a
HID reader from the settings reading through the fake hidapi backend of the HID tests."""

from __future__ import annotations

import queue

import pytest

from pos_app.commands.till_app import parse_args
from pos_app.commands.till_devices import hid_config, parse_hid, settings_readers, wedge_config
from pos_app.devices.events import DeviceStatus, ScanEvent, ScanKind, ScanRejected
from pos_app.devices.hid_pos import HID_POS_USAGE_PAGE
from pos_app.devices.hid_reader import HidReader
from pos_app.devices.serial_reader import SerialReader
from pos_app.devices.wedge import PassThrough, WedgeDecoder
from pos_app.services.device_settings import ScannerSettings
from tests.devices.test_hid_reader import FakeBus

DIGITS = {str(d): 0x1E + (d - 1) for d in range(1, 10)} | {"0": 0x27}


def test_hid_ids_on_the_command_line() -> None:
    assert parse_hid("0C2E:0b61").match.vendor_id == 0x0C2E
    pos = parse_hid("0c2e:0b61:pos")
    assert (pos.protocol, pos.has_report_id, pos.match.usage_page) == (
        "pos", True, HID_POS_USAGE_PAGE)
    assert parse_hid("0c2e:0b61").device == "hid:0c2e:0b61"
    for bad in ("0c2e", "0c2e:0b61:kbd", "zz:01", "0:1", "10000:1"):
        with pytest.raises(ValueError):
            parse_hid(bad)
    options = parse_args(["--hid-reader", "0c2e:0b61", "--hid-reader", "05e0:1200:pos",
                          "--card-reader", "/dev/ttyUSB0"])  # fmt: skip
    assert options.hid_readers == ("0c2e:0b61", "05e0:1200:pos")
    assert options.card_readers == ("/dev/ttyUSB0",)
    with pytest.raises(SystemExit):
        parse_args(["--hid-reader", "scanner"])


def _decide(decoder: WedgeDecoder, text: str, gap_ms: int) -> list[object]:
    out: list[object] = []
    for i, char in enumerate(text):
        out += decoder.feed(char, 1_000 + i * gap_ms)
    out += decoder.tick(1_000 + len(text) * gap_ms + 2_000)
    return out


def test_the_wedge_uses_the_saved_prefix_suffix_and_key_interval() -> None:
    slow = ScannerSettings(driver="wedge", prefix="~", suffix="#", max_interval_ms=200)
    config = wedge_config(slow)
    assert (config.prefix, config.max_interval_ms) == ("~", 200)
    assert config.suffixes == ("#",)
    readings = [e for e in _decide(WedgeDecoder(config), "~4600000000041#", 120)
                if isinstance(e, ScanEvent)]  # fmt: skip
    assert [(e.kind, e.data) for e in readings] == [(ScanKind.BARCODE, "4600000000041")]
    # the same keys with the defaults (50 ms) are a person typing: nothing is a reading
    typed = _decide(WedgeDecoder(wedge_config(ScannerSettings())), "~4600000000041#", 120)
    assert not [e for e in typed if isinstance(e, ScanEvent)]
    assert "".join(e.text for e in typed if isinstance(e, PassThrough)).startswith("~46")
    # another driver leaves the wedge at its defaults (card readers still type through it)
    assert wedge_config(ScannerSettings(driver="hid", prefix="~", vendor_id=1)).prefix == ""
    assert wedge_config(ScannerSettings(suffix="")).suffixes == ()


def test_the_reader_the_settings_name_unless_the_command_line_started_it() -> None:
    def none(_: object) -> None:
        return None

    serial = ScannerSettings(driver="serial", port="/dev/ttyACM0", baudrate=115200)
    [reader] = settings_readers(serial, (), (), none, none)
    assert isinstance(reader, SerialReader) and reader.config.baudrate == 115200
    assert settings_readers(serial, ("/dev/ttyACM0",), (), none, none) == []
    hid = ScannerSettings(driver="hid", vendor_id=0x0C2E, product_id=0x0B61)
    [hid_reader] = settings_readers(hid, (), (), none, none)
    assert isinstance(hid_reader, HidReader) and hid_reader.config == hid_config(0x0C2E, 0x0B61)
    assert settings_readers(hid, (), ("0c2e:0b61",), none, none) == []
    assert settings_readers(ScannerSettings(), (), (), none, none) == []  # the wedge: no reader


def test_a_hid_scanner_from_the_settings_reads_through_hidapi() -> None:
    bus = FakeBus()
    events: queue.Queue[ScanEvent | ScanRejected] = queue.Queue()
    states: queue.Queue[DeviceStatus] = queue.Queue()
    hid = ScannerSettings(driver="hid", vendor_id=0x0C2E, product_id=0x0B61)
    [reader] = settings_readers(hid, (), (), events.put, states.put, hid_backend=bus)
    reader.start()
    try:
        for char in "4600000000041":
            bus.reports.put([0, 0, DIGITS[char], 0, 0, 0, 0, 0])
            bus.reports.put([0] * 8)
        bus.reports.put([0, 0, 0x28, 0, 0, 0, 0, 0])  # Enter
        event = events.get(timeout=3)
        assert isinstance(event, ScanEvent)
        assert (event.data, event.device) == ("4600000000041", "hid:0c2e:0b61")
    finally:
        reader.stop()
