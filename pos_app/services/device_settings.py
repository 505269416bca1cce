"""Per-terminal device settings (printer, scanner/card reader, sound) and their test actions.

Settings are plain data, stored as JSON in the terminal's ``settings`` table under
``device.printer``, ``device.scanner`` and ``device.sound``; the composition code turns them
into driver configurations. Stored values that are missing or no longer valid fall back to the
defaults field by field, so an old or hand-edited store never stops the till from starting.
The "test" actions go through ports the composition provides: a test page is a normal job in
the print queue (it proves the whole path), the sound is played by the sound player, the last
scan comes from the scanners' event stream. A till without one of them gets the refusing
default (``no_printer``, ``no_sound``; ``no_scans``: nothing scanned yet), so the service
never asks whether a port exists.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from typing import Any, TypeVar

from pos_app.domain.errors import DomainError
from pos_app.services.ports import UnitOfWorkFactory

log = logging.getLogger(__name__)

PRINTER_DRIVERS = ("network", "serial", "usb", "file")
SCANNER_DRIVERS = ("wedge", "serial", "hid")
PAPER_WIDTHS = {58: (32,), 80: (42, 48)}  # paper width in mm -> usable column counts
BAUD_RATES = (9600, 19200, 38400, 57600, 115200)
KEYS = {"printer": "device.printer", "scanner": "device.scanner", "sound": "device.sound"}


class InvalidDeviceSetting(DomainError):
    """One field is wrong; ``details["field"]`` names it (``printer.host``) for the screen."""

    code = "invalid_device_setting"


class DeviceTestUnavailable(DomainError):
    code = "device_test_unavailable"


@dataclass(frozen=True)
class PrinterSettings:
    driver: str = "network"
    host: str = "127.0.0.1"
    port: int = 9100
    device_path: str = ""
    baudrate: int = 19200
    usb_vendor_id: int = 0
    usb_product_id: int = 0
    profile: str = "epson"
    codepage_number: int | None = None  # forced ESC t number; None: the profile's
    paper_mm: int = 80
    columns: int = 48


@dataclass(frozen=True)
class ScannerSettings:
    driver: str = "wedge"
    prefix: str = ""
    suffix: str = "\r"
    max_interval_ms: int = 50  # wedge: slower keys are a person typing
    port: str = ""
    baudrate: int = 9600
    vendor_id: int = 0
    product_id: int = 0


@dataclass(frozen=True)
class SoundPrefs:
    enabled: bool = True
    volume: int = 80  # 0..100


@dataclass(frozen=True)
class DeviceSettings:
    printer: PrinterSettings = PrinterSettings()
    scanner: ScannerSettings = ScannerSettings()
    sound: SoundPrefs = SoundPrefs()


@dataclass(frozen=True)
class LastScan:
    kind: str  # "barcode", "card" or "rejected"
    data: str
    device: str
    at: datetime


def _bad(field: str, message: str) -> InvalidDeviceSetting:
    return InvalidDeviceSetting(message, field=field)


def _check_range(field: str, value: int, low: int, high: int, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _bad(field, f"{what} must be a whole number from {low} to {high}.")


def validate_printer(p: PrinterSettings, profiles: Sequence[str]) -> None:
    if p.driver not in PRINTER_DRIVERS:
        raise _bad("printer.driver", f"Unknown printer connection {p.driver!r}.")
    if p.driver == "network":
        if not p.host.strip() or " " in p.host.strip():
            raise _bad("printer.host", "Enter the printer's network address (e.g. 192.168.1.50).")
        _check_range("printer.port", p.port, 1, 65535, "The printer's TCP port")
    if p.driver in ("serial", "file") and not p.device_path.strip():
        raise _bad("printer.device_path", "Enter the printer's port or file (e.g. /dev/ttyUSB0).")
    if p.driver == "serial" and p.baudrate not in BAUD_RATES:
        raise _bad("printer.baudrate", "Choose the printer's line speed from the list.")
    if p.driver == "usb":
        _check_range("printer.usb_vendor_id", p.usb_vendor_id, 1, 0xFFFF, "The USB vendor id")
        _check_range("printer.usb_product_id", p.usb_product_id, 1, 0xFFFF, "The USB product id")
    if profiles and p.profile not in profiles:
        raise _bad("printer.profile", f"Unknown printer profile {p.profile!r}.")
    if p.codepage_number is not None:
        _check_range("printer.codepage_number", p.codepage_number, 0, 255, "The code page number")
    if p.paper_mm not in PAPER_WIDTHS:
        raise _bad("printer.paper_mm", "The paper must be 58 mm or 80 mm wide.")
    if p.columns not in PAPER_WIDTHS[p.paper_mm]:
        allowed = " or ".join(str(c) for c in PAPER_WIDTHS[p.paper_mm])
        raise _bad("printer.columns", f"{p.paper_mm} mm paper takes {allowed} characters a line.")


def validate_scanner(s: ScannerSettings) -> None:
    if s.driver not in SCANNER_DRIVERS:
        raise _bad("scanner.driver", f"Unknown scanner connection {s.driver!r}.")
    if len(s.prefix) > 8 or len(s.suffix) > 8:
        raise _bad("scanner.prefix", "A scanner prefix or suffix is at most 8 characters.")
    _check_range("scanner.max_interval_ms", s.max_interval_ms, 5, 1000, "The key interval")
    if s.driver == "serial":
        if not s.port.strip():
            raise _bad("scanner.port", "Enter the scanner's port (e.g. /dev/ttyACM0 or COM3).")
        if s.baudrate not in BAUD_RATES:
            raise _bad("scanner.baudrate", "Choose the scanner's line speed from the list.")
    if s.driver == "hid":
        _check_range("scanner.vendor_id", s.vendor_id, 1, 0xFFFF, "The USB vendor id")
        _check_range("scanner.product_id", s.product_id, 0, 0xFFFF, "The USB product id")


def validate_sound(s: SoundPrefs) -> None:
    _check_range("sound.volume", s.volume, 0, 100, "The volume")


T = TypeVar("T", PrinterSettings, ScannerSettings, SoundPrefs)


def _from_stored(default: T, stored: Any, check: Callable[[T], None]) -> T:
    """Stored values over the defaults, one field at a time; a bad field keeps its default."""
    if not isinstance(stored, Mapping):
        return default
    result = default
    for f in fields(default):
        if f.name not in stored or not _same_kind(stored[f.name], getattr(default, f.name)):
            continue
        candidate = replace(result, **{f.name: stored[f.name]})
        try:
            check(candidate)
        except InvalidDeviceSetting as exc:
            if exc.details.get("field", "").endswith("." + f.name):
                log.warning("stored device setting %s ignored: %s", f.name, exc)
                continue
        result = candidate
    return result


def _same_kind(value: Any, default: Any) -> bool:
    if default is None:  # an optional number
        return value is None or (isinstance(value, int) and not isinstance(value, bool))
    return type(value) is type(default)


def no_printer() -> int:
    """The test page of a till without a receipt printer."""
    raise DeviceTestUnavailable("This till has no receipt printer set up.")


def no_sound(sound: SoundPrefs) -> bool:
    """The test sound of a till without a sound player."""
    raise DeviceTestUnavailable("Sound is not available on this till.")


def no_scans() -> LastScan | None:
    """The last scan of a till whose scanners are not listened to: none."""
    return None


def _nobody(settings: DeviceSettings) -> None:
    """Saved settings that nothing running has to apply."""


class DeviceSettingsService:
    """Load/save the terminal's device settings; run the settings screen's test actions."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        *,
        profiles: Sequence[str] = (),
        on_saved: Callable[[DeviceSettings], None] = _nobody,
        test_page: Callable[[], int] = no_printer,
        play_sound: Callable[[SoundPrefs], bool] = no_sound,
        last_scan: Callable[[], LastScan | None] = no_scans,
    ) -> None:
        self._uow = uow
        self.profiles = tuple(profiles)
        self._on_saved = on_saved
        self._test_page = test_page
        self._play_sound = play_sound
        self._last_scan = last_scan

    def load(self) -> DeviceSettings:
        with self._uow() as uow:
            stored = {name: uow.settings.get(key) for name, key in KEYS.items()}
        return DeviceSettings(
            printer=_from_stored(
                PrinterSettings(), stored["printer"], lambda p: validate_printer(p, self.profiles)
            ),
            scanner=_from_stored(ScannerSettings(), stored["scanner"], validate_scanner),
            sound=_from_stored(SoundPrefs(), stored["sound"], validate_sound),
        )

    def save(self, settings: DeviceSettings) -> DeviceSettings:
        """Validate everything, then store it in one transaction and tell the composition."""
        validate_printer(settings.printer, self.profiles)
        validate_scanner(settings.scanner)
        validate_sound(settings.sound)
        with self._uow() as uow:
            for name, key in KEYS.items():
                uow.settings.set(key, asdict(getattr(settings, name)))
            uow.commit()
        self._on_saved(settings)
        return settings

    def print_test_page(self) -> int:
        """Queue a test page on the saved printer; returns the print job's id."""
        return self._test_page()

    def play_test_sound(self, sound: SoundPrefs) -> bool:
        """Play the scan sound with ``sound`` (saved or not); False when it is muted."""
        validate_sound(sound)
        return self._play_sound(sound)

    def last_scan(self) -> LastScan | None:
        return self._last_scan()
