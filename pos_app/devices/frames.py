"""Turn one complete reading (a "frame" of text) into a ScanEvent or a ScanRejected.

Shared by the keyboard wedge, serial and HID drivers so a card swipe or a barcode means the
same thing whichever cable it came through.
"""

from __future__ import annotations

import enum

from pos_app.devices.events import ScanEvent, ScanKind, ScanRejected
from pos_app.devices.keyboard_layout import normalize_wedge_text
from pos_app.devices.msr import SwipeError, looks_like_swipe, swipe_event

# AIM symbology identifiers a scanner can be set to send before the data (ISO/IEC 15424).
AIM_SYMBOLOGIES = {
    "]E0": "ean13",
    "]E4": "ean8",
    "]E3": "ean13",
    "]C0": "code128",
    "]C1": "gs1-128",
    "]A0": "code39",
    "]I0": "itf",
    "]Q1": "qr",
    "]Q3": "qr",
    "]d1": "datamatrix",
    "]d2": "gs1-datamatrix",
    "]e0": "gs1-databar",
}


class FrameMode(enum.Enum):
    """What a device is configured to deliver."""

    AUTO = "auto"
    BARCODE = "barcode"
    MSR = "msr"


def ean_check_ok(digits: str) -> bool:
    """GTIN check digit (EAN-8, UPC-A, EAN-13, GTIN-14)."""
    if not digits.isdecimal() or len(digits) < 2:
        return False
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def guess_symbology(data: str) -> str:
    """Best guess when the scanner sends no AIM identifier."""
    if data.isdecimal() and ean_check_ok(data):
        return {8: "ean8", 12: "upca", 13: "ean13", 14: "gtin14"}.get(len(data), "unknown")
    return "unknown"


def split_aim(data: str) -> tuple[str, str] | None:
    """(symbology, data) when the frame starts with an AIM identifier, else None."""
    if len(data) >= 3 and data[0] == "]":
        symbology = AIM_SYMBOLOGIES.get(data[:3], f"aim:{data[1:3]}")
        return symbology, data[3:]
    return None


def barcode_event(data: str, device: str, aim_ids: bool = False) -> ScanEvent:
    raw = data
    data = normalize_wedge_text(data.strip("\r\n\t \x00"))
    aim = split_aim(data) if aim_ids else None
    symbology, data = aim if aim else (guess_symbology(data), data)
    return ScanEvent(ScanKind.BARCODE, symbology, data, device, raw)


def decode_frame(
    text: str, device: str, mode: FrameMode = FrameMode.AUTO, aim_ids: bool = False
) -> ScanEvent | ScanRejected | None:
    """Classify and decode one frame; None for an empty frame (a stray terminator)."""
    if not text.strip("\r\n\t \x00"):
        return None
    if mode is FrameMode.MSR or (mode is FrameMode.AUTO and looks_like_swipe(text)):
        try:
            return swipe_event(text, device)
        except SwipeError as exc:
            return ScanRejected(device, exc.message, text)
    return barcode_event(text, device, aim_ids)
