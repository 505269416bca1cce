"""HID POS scanners (usage page 0x8C): scanned-data reports, reassembly, the reader's mode.

No HID hardware (and no /dev/uhid) on CI, so the reader runs against a fake of the same
``HidBackend`` port as the keyboard-mode tests; the reports are built byte by byte as the
Honeywell / Access-IS manuals lay them out.
"""

from __future__ import annotations

import queue
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.devices.events import ScanEvent, ScanKind, ScanRejected
from pos_app.devices.hid_pos import HID_POS_USAGE_PAGE, PosReportDecoder, PosScan
from pos_app.devices.hid_reader import HidConfig, HidHandle, HidMatch, HidReader


def pos_reports(data: bytes, aim: bytes = b"]E0", report_id: int = 2) -> list[list[int]]:
    """The 64-byte reports a HID POS scanner sends for one reading."""
    chunks = [data[i : i + 56] for i in range(0, len(data), 56)] or [b""]
    reports = []
    for n, chunk in enumerate(chunks):
        report = [report_id, len(chunk), *aim, *chunk.ljust(56, b"\0"), 0x73, 0, 0]
        report[63] = 1 if n < len(chunks) - 1 else 0
        reports.append(report)
    return reports


def feed_all(decoder: PosReportDecoder, reports: list[list[int]]) -> list[PosScan]:
    return [scan for r in reports if (scan := decoder.feed(r)) is not None]


def test_one_report_gives_the_aim_id_and_the_data() -> None:
    [scan] = feed_all(PosReportDecoder(), pos_reports(b"4600000000017"))
    assert scan == PosScan("]E0", "4600000000017") and scan.frame == "]E04600000000017"


def test_a_long_code_over_several_reports_is_reassembled() -> None:
    boarding_pass = b"M1GATHERGOOD/MICHAEL YABCDEF LHRDURAK 3542 052Y003D23  " + b"X" * 30
    reports = pos_reports(boarding_pass, aim=b"]Q0")
    assert len(reports) == 2 and reports[0][63] == 1
    [scan] = feed_all(PosReportDecoder(), reports)
    assert scan.aim == "]Q0" and scan.data == boarding_pass.decode()


def test_no_aim_id_other_reports_and_utf8_data() -> None:
    decoder = PosReportDecoder()
    assert decoder.feed([4, 1, 2, 3, 4, 5, 6]) is None  # not a scanned-data report
    assert decoder.feed([2, 0]) is None  # too short to be one
    [scan] = feed_all(decoder, pos_reports("Заказ №5".encode(), aim=b"\0\0\0"))
    assert scan == PosScan("", "Заказ №5")
    gs1 = b"0104600000000017\x1d10ABC"
    [scan] = feed_all(decoder, pos_reports(gs1, aim=b"]C1"))
    assert scan.data == gs1.decode()  # the group separator survives: no keyboard in between


def test_reports_without_a_report_id_byte() -> None:
    reports = [r[1:] for r in pos_reports(b"12345670")]
    [scan] = feed_all(PosReportDecoder(has_report_id=False), reports)
    assert scan.data == "12345670"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(0, 255), max_size=70), max_size=8))
def test_fuzzed_reports_never_raise(reports: list[list[int]]) -> None:
    decoder = PosReportDecoder()
    for report in reports:
        scan = decoder.feed(report)
        assert scan is None or isinstance(scan.data, str)


class PosScannerBus:
    """One HID POS scanner interface (and its keyboard interface, which must not be picked)."""

    def __init__(self) -> None:
        self.reports: queue.Queue[list[int]] = queue.Queue()
        self.opened: list[bytes] = []

    def enumerate(self) -> list[dict[str, Any]]:
        return [
            {"vendor_id": 0x0C2E, "product_id": 0x0B61, "usage_page": 0x01, "path": b"kbd"},
            {"vendor_id": 0x0C2E, "product_id": 0x0B61, "usage_page": 0x8C, "path": b"pos"},
        ]

    def open_path(self, path: bytes) -> HidHandle:
        self.opened.append(path)
        return self

    def read(self, max_length: int, timeout_ms: int) -> list[int]:
        try:
            return self.reports.get(timeout=timeout_ms / 1000)[:max_length]
        except queue.Empty:
            return []

    def close(self) -> None:
        pass


def test_reader_in_pos_mode_delivers_scan_events_with_the_symbology() -> None:
    bus = PosScannerBus()
    events: queue.Queue[ScanEvent | ScanRejected] = queue.Queue()
    match = HidMatch(0x0C2E, 0x0B61, usage_page=HID_POS_USAGE_PAGE)
    config = HidConfig(match, device="pos1", protocol="pos", has_report_id=True)
    reader = HidReader(config, events.put, backend=bus)
    reader.start()
    try:
        for report in pos_reports(b"4600000000017") + pos_reports(b"ABC-123", aim=b"]C0"):
            bus.reports.put(report)
        first, second = events.get(timeout=3), events.get(timeout=3)
    finally:
        reader.stop()
    assert bus.opened[0] == b"pos"  # the POS interface, not the keyboard one
    assert isinstance(first, ScanEvent) and isinstance(second, ScanEvent)
    assert (first.kind, first.symbology_or_track, first.data) == (
        ScanKind.BARCODE, "ean13", "4600000000017",
    )  # fmt: skip
    assert (second.symbology_or_track, second.data, second.device) == ("code128", "ABC-123", "pos1")
