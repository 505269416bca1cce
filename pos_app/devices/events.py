"""What input devices tell the rest of the app: plain, immutable events.

Drivers (keyboard wedge, serial, HID) never call the UI; they hand these objects to a
callback, and one bridge in the UI layer turns them into Qt signals.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ScanKind(enum.Enum):
    """What kind of reading a device produced."""

    BARCODE = "barcode"
    MSR = "msr"


@dataclass(frozen=True)
class ScanEvent:
    """One successful reading.

    ``symbology_or_track`` names the barcode symbology (``"ean13"``, ``"code128"``,
    ``"unknown"``) or, for a card, the track the identifier came from (``"track2"``).
    ``data`` is what the rest of the app looks up: the barcode text, or the card
    identifier. ``raw`` keeps the undecoded reading for diagnostics.
    """

    kind: ScanKind
    symbology_or_track: str
    data: str
    device: str
    raw: str = ""


@dataclass(frozen=True)
class ScanRejected:
    """A reading the device made but that cannot be used (a bad swipe).

    ``message`` is written for the cashier ("Card not read — swipe again.").
    """

    device: str
    message: str
    raw: str = ""


class DeviceState(enum.Enum):
    """Connection state of one input or output device; shown, never raised."""

    DISABLED = "disabled"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"


@dataclass(frozen=True)
class DeviceStatus:
    """A state change of one device, with a short human-readable reason."""

    device: str
    state: DeviceState
    detail: str = ""
