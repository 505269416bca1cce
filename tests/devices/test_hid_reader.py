"""HID readers: report decoding, matching, the guarded import and hot-plug states.

No HID hardware in CI, so the reader runs against a fake backend implementing the same
``HidBackend`` port that wraps hidapi; the real backend is exercised where it can be
(enumeration works without devices).
"""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
from typing import Any

from pos_app.devices.events import DeviceState, DeviceStatus, ScanEvent, ScanKind, ScanRejected
from pos_app.devices.hid_reader import (
    HIDAPI_AVAILABLE,
    HidapiBackend,
    HidConfig,
    HidHandle,
    HidMatch,
    HidReader,
    KeyboardReportDecoder,
)

WAIT_S = 3.0
A, SHIFT, ENTER, ONE, TWO = 0x04, 0x02, 0x28, 0x1E, 0x1F


def press(key: int, mod: int = 0) -> list[int]:
    return [mod, 0, key, 0, 0, 0, 0, 0]


RELEASE = [0] * 8


def reports_for(text: str) -> list[list[int]]:
    table = {"1": ONE, "2": TWO, "\r": ENTER, "a": A, "?": 0x38, ";": 0x33}
    out: list[list[int]] = []
    for ch in text:
        mod = SHIFT if ch == "?" else 0
        out += [press(table[ch], mod), RELEASE]
    return out


def test_decoder_turns_press_release_reports_into_characters() -> None:
    decoder = KeyboardReportDecoder()
    typed = "".join(decoder.feed(r) for r in reports_for("11a2\r"))
    assert typed == "11a2\r"


def test_decoder_applies_shift_and_ignores_held_keys_and_rollover() -> None:
    decoder = KeyboardReportDecoder()
    assert decoder.feed(press(A, SHIFT)) == "A"
    assert decoder.feed(press(A, SHIFT)) == ""  # still held, not a new press
    assert decoder.feed([0, 0, A, ONE, 0, 0, 0, 0]) == "1"
    assert decoder.feed([0, 0, 1, 1, 1, 1, 1, 1]) == ""  # phantom/rollover state
    assert decoder.feed(press(0x38, 0x20)) == "?"  # right shift


def test_decoder_with_report_id_and_short_reports() -> None:
    decoder = KeyboardReportDecoder(has_report_id=True)
    assert decoder.feed([1, *press(TWO)]) == "2"
    assert decoder.feed([1, 0]) == ""


def test_match_by_vendor_and_optionally_product_serial_interface() -> None:
    info = {"vendor_id": 0x0C2E, "product_id": 0x0B61, "serial_number": "X1", "interface_number": 0}
    assert HidMatch(0x0C2E).matches(info)
    assert HidMatch(0x0C2E, 0x0B61, "X1", 0).matches(info)
    assert not HidMatch(0x0C2E, 0x0B62).matches(info)
    assert not HidMatch(0x05E0).matches(info)
    assert not HidMatch(0x0C2E, serial_number="X2").matches(info)


class FakeHandle:
    def __init__(self, bus: FakeBus) -> None:
        self.bus = bus

    def read(self, max_length: int, timeout_ms: int) -> list[int]:
        if not self.bus.plugged:
            raise OSError("read error")
        try:
            return self.bus.reports.get(timeout=timeout_ms / 1000)[:max_length]
        except queue.Empty:
            return []

    def close(self) -> None:
        self.bus.closed += 1


class FakeBus:
    """A HidBackend fake: one scanner that can be plugged, unplugged and fed reports."""

    def __init__(self) -> None:
        self.plugged = True
        self.reports: queue.Queue[list[int]] = queue.Queue()
        self.closed = 0
        self.threads: set[str] = set()

    def enumerate(self) -> list[dict[str, Any]]:
        self.threads.add(threading.current_thread().name)
        if not self.plugged:
            return [{"vendor_id": 0x1111, "product_id": 1, "path": b"other"}]
        return [
            {"vendor_id": 0x1111, "product_id": 1, "path": b"other"},
            {"vendor_id": 0x0C2E, "product_id": 0x0B61, "path": b"scanner"},
        ]

    def open_path(self, path: bytes) -> HidHandle:
        self.threads.add(threading.current_thread().name)
        assert path == b"scanner"
        return FakeHandle(self)

    def type(self, text: str) -> None:
        for report in reports_for(text):
            self.reports.put(report)


def start(bus: FakeBus) -> tuple[HidReader, queue.Queue[Any], queue.Queue[DeviceState]]:
    events: queue.Queue[ScanEvent | ScanRejected] = queue.Queue()
    states: queue.Queue[DeviceState] = queue.Queue()

    def on_status(status: DeviceStatus) -> None:
        states.put(status.state)

    config = HidConfig(HidMatch(0x0C2E, 0x0B61), device="hid1", reconnect_s=0.02)
    reader = HidReader(config, events.put, on_status, backend=bus)
    reader.start()
    return reader, events, states


def wait_state(states: queue.Queue[DeviceState], wanted: DeviceState) -> None:
    while states.get(timeout=WAIT_S) is not wanted:
        pass


def test_given_matching_scanner_when_it_types_then_scan_event() -> None:
    bus = FakeBus()
    reader, events, states = start(bus)
    try:
        wait_state(states, DeviceState.CONNECTED)
        bus.type("1212\r")
        event = events.get(timeout=WAIT_S)
        assert (event.kind, event.data, event.device) == (ScanKind.BARCODE, "1212", "hid1")
        assert bus.threads == {"hid:hid1"}  # every hidapi call on the one worker thread
    finally:
        reader.stop()


def test_unplug_then_replug_are_states_and_reading_resumes() -> None:
    bus = FakeBus()
    reader, events, states = start(bus)
    try:
        wait_state(states, DeviceState.CONNECTED)
        bus.plugged = False
        wait_state(states, DeviceState.DISCONNECTED)
        assert bus.closed >= 1
        bus.plugged = True
        wait_state(states, DeviceState.CONNECTED)
        bus.type(";12?\r")
        event = events.get(timeout=WAIT_S)
        assert (event.kind, event.data) == (ScanKind.MSR, "12")
    finally:
        reader.stop()


def test_real_hidapi_backend_enumerates_without_hardware() -> None:
    assert HIDAPI_AVAILABLE
    devices = HidapiBackend().enumerate()
    assert isinstance(devices, list)


def test_missing_hidapi_disables_the_driver_only() -> None:
    script = (
        "import sys; sys.modules['hid'] = None\n"
        "from pos_app.devices.hid_reader import HIDAPI_AVAILABLE, HidReader, HidConfig, HidMatch\n"
        "seen = []\n"
        "r = HidReader(HidConfig(HidMatch(1)), print, seen.append); r.start()\n"
        "print(HIDAPI_AVAILABLE, r.state.value, seen[0].detail)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=30, check=True
    )
    assert done.stdout.strip() == "False disabled hidapi is not installed"
