"""Serial readers over real pseudo-terminals: readings, framing, unplug and replug."""

from __future__ import annotations

import queue
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.devices.events import DeviceState, DeviceStatus, ScanEvent, ScanKind, ScanRejected
from pos_app.devices.frames import FrameMode
from pos_app.devices.serial_reader import SerialConfig, SerialReader, StreamFramer
from tests.devices.ptys import PtyPair, link

WAIT_S = 3.0


class Collector:
    def __init__(self) -> None:
        self.events: queue.Queue[ScanEvent | ScanRejected] = queue.Queue()
        self.states: queue.Queue[DeviceState] = queue.Queue()

    def on_event(self, event: ScanEvent | ScanRejected) -> None:
        self.events.put(event)

    def on_status(self, status: DeviceStatus) -> None:
        self.states.put(status.state)

    def next_event(self) -> ScanEvent | ScanRejected:
        return self.events.get(timeout=WAIT_S)

    def wait_state(self, state: DeviceState) -> None:
        while True:
            if self.states.get(timeout=WAIT_S) is state:
                return


@pytest.fixture
def pty_pair() -> Iterator[PtyPair]:
    pair = PtyPair.open()
    yield pair
    pair.unplug()


def start(config: SerialConfig) -> tuple[SerialReader, Collector]:
    sink = Collector()
    reader = SerialReader(config, sink.on_event, sink.on_status)
    reader.start()
    return reader, sink


def test_given_scanner_on_pty_when_barcode_sent_then_scan_event(pty_pair: PtyPair) -> None:
    reader, sink = start(SerialConfig(pty_pair.path, device="s1"))
    try:
        sink.wait_state(DeviceState.CONNECTED)
        pty_pair.send(b"4601234567893\r")
        assert sink.next_event() == ScanEvent(
            ScanKind.BARCODE, "ean13", "4601234567893", "s1", "4601234567893\r"
        )
    finally:
        reader.stop()


def test_line_parameters_are_applied_to_the_port(pty_pair: PtyPair) -> None:
    config = SerialConfig(pty_pair.path, baudrate=19200, bytesize=7, parity="E")
    reader, sink = start(config)
    try:
        sink.wait_state(DeviceState.CONNECTED)
        attrs = termios.tcgetattr(pty_pair.slave)
        # Linux ptys force CS8 without parity (drivers/tty/pty.c), so only the speed of the
        # configured 7E1 line can be observed here.
        assert attrs[4] == attrs[5] == termios.B19200
    finally:
        reader.stop()


def test_card_reader_tracks_each_ending_in_cr_are_one_swipe(pty_pair: PtyPair) -> None:
    reader, sink = start(SerialConfig(pty_pair.path, device="msr", mode=FrameMode.AUTO))
    try:
        sink.wait_state(DeviceState.CONNECTED)
        pty_pair.send(b"%E?\r;700123=?\r")
        event = sink.next_event()
        assert isinstance(event, ScanEvent)
        assert (event.kind, event.data) == (ScanKind.MSR, "700123")
        pty_pair.send(b";12A?\r")
        rejected = sink.next_event()
        assert isinstance(rejected, ScanRejected) and "swipe again" in rejected.message
    finally:
        reader.stop()


def test_reader_without_terminator_ends_reading_by_silence(pty_pair: PtyPair) -> None:
    reader, sink = start(SerialConfig(pty_pair.path, terminator=None, gap_s=0.05))
    try:
        sink.wait_state(DeviceState.CONNECTED)
        pty_pair.send(b"ABC-")
        pty_pair.send(b"42")
        event = sink.next_event()
        assert isinstance(event, ScanEvent) and event.data == "ABC-42"
    finally:
        reader.stop()


def test_unplug_is_a_state_and_replug_reconnects(tmp_path: Path) -> None:
    first = PtyPair.open()
    stable = str(tmp_path / "ttyScanner")
    link(first.path, stable)
    reader, sink = start(SerialConfig(stable, reconnect_s=0.05))
    second: PtyPair | None = None
    try:
        sink.wait_state(DeviceState.CONNECTED)
        first.unplug()
        sink.wait_state(DeviceState.DISCONNECTED)
        second = PtyPair.open()
        link(second.path, stable)
        sink.wait_state(DeviceState.CONNECTED)
        second.send(b"12345670\r")
        event = sink.next_event()
        assert isinstance(event, ScanEvent) and event.data == "12345670"
    finally:
        reader.stop()
        if second:
            second.unplug()


def test_missing_port_is_disconnected_not_an_exception(tmp_path: Path) -> None:
    reader, sink = start(SerialConfig(str(tmp_path / "nope"), reconnect_s=0.05))
    try:
        sink.wait_state(DeviceState.DISCONNECTED)
        assert reader.state is DeviceState.DISCONNECTED
    finally:
        reader.stop()
    assert not reader._worker.running


def test_a_failing_consumer_does_not_stop_the_reader(pty_pair: PtyPair) -> None:
    seen: list[str] = []

    def flaky(event: ScanEvent | ScanRejected) -> None:
        seen.append(event.raw)
        if len(seen) == 1:
            raise RuntimeError("consumer bug")

    states: queue.Queue[DeviceState] = queue.Queue()
    reader = SerialReader(SerialConfig(pty_pair.path), flaky, lambda s: states.put(s.state))
    reader.start()
    try:
        assert states.get(timeout=WAIT_S) is DeviceState.CONNECTED
        pty_pair.send(b"111\r")
        pty_pair.send(b"222\r")
        deadline = time.monotonic() + WAIT_S
        while len(seen) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert seen == ["111\r", "222\r"]
    finally:
        reader.stop()


def test_framer_drops_runaway_noise_and_keeps_working() -> None:
    framer = StreamFramer(b"\r", gap_s=0.05, max_frame=16)
    assert framer.feed(b"x" * 40, now=0.0) == []
    assert framer.feed(b"OK\r", now=0.01) == [b"OK\r"]
