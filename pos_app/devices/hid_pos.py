"""HID POS barcode scanners (USB HID usage page 0x8C, "Bar Code Scanner").

A scanner in HID POS mode is not a keyboard: it sends *scanned data reports* that carry the
symbology and the data as bytes, so nothing depends on the keyboard layout, no key timing is
needed, and the data may contain any byte (GS1 group separators, UTF-8 QR codes). What is
supported here is the 64-byte input report layout that Honeywell and Access-IS document and
most HID POS scanners use:

    byte 0      report id (2: scanned data)
    byte 1      number of data bytes in this report (at most 56)
    bytes 2-4   AIM symbology identifier (``]E0``) or zeros
    bytes 5-60  data
    byte 61     vendor symbology identifier (ignored)
    byte 62     reserved
    byte 63     bit 0: more reports follow (a long code spans several reports)

Scanners whose report descriptor lays the report out differently are not parsed (there is
no general HID report-descriptor parser here); set them to keyboard (HID KBW) mode instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

HID_POS_USAGE_PAGE = 0x8C
SCANNED_DATA_REPORT_ID = 0x02
DATA_BYTES = 56
_CONTINUED_INDEX = 63  # with the report id at 0
_MAX_MESSAGE = 8192


@dataclass(frozen=True)
class PosScan:
    """One complete reading: the AIM identifier (``""`` if the scanner sent none) and data."""

    aim: str
    data: str

    @property
    def frame(self) -> str:
        return self.aim + self.data


class PosReportDecoder:
    """Reassembles scanned-data reports into readings; other reports are ignored."""

    def __init__(self, has_report_id: bool = True) -> None:
        self.has_report_id = has_report_id
        self._aim = ""
        self._data = bytearray()

    def feed(self, report: Sequence[int]) -> PosScan | None:
        """Take one input report; return the reading it completes, if any."""
        raw = list(report) if self.has_report_id else [SCANNED_DATA_REPORT_ID, *report]
        if len(raw) < 6 or raw[0] != SCANNED_DATA_REPORT_ID:
            return None  # a status or feature report, or noise
        length = min(raw[1], DATA_BYTES)
        if not self._data and not self._aim:
            self._aim = _aim(raw[2:5])
        self._data += bytes(b & 0xFF for b in raw[5 : 5 + length])
        continued = len(raw) > _CONTINUED_INDEX and bool(raw[_CONTINUED_INDEX] & 0x01)
        if continued and len(self._data) < _MAX_MESSAGE:
            return None
        scan = PosScan(self._aim, _text(bytes(self._data)))
        self._aim, self._data = "", bytearray()
        return scan if scan.data else None


def _aim(identifier: Sequence[int]) -> str:
    """``]xy`` when the three bytes are a printable AIM identifier, else ``""``."""
    if len(identifier) == 3 and identifier[0] == ord("]") and all(32 < b < 127 for b in identifier):
        return bytes(identifier).decode("ascii")
    return ""


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # a byte-per-character code: keep every byte
