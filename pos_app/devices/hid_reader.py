"""USB HID scanners and card readers via hidapi, matched by vendor/product id.

hidapi is not thread-safe, so one worker thread makes every call (enumerate, open, read,
close) and nothing else touches the handle; ``import hid`` happens once, at module import
on the main thread (Electrum does the same). A missing hidapi disables this driver instead
of crashing the till. Unplug and replug are states: the worker reports *disconnected* and
looks for the device again every ``reconnect_s``.

Most scanners in HID mode are keyboards; their 8-byte boot reports are decoded here into
characters (US usage table) and framed like a serial stream. Scanners in HID POS mode (usage
page 0x8C, ``protocol="pos"``) send scanned-data reports instead; see ``hid_pos.py`` for the
report layout that is supported.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from pos_app.devices.events import DeviceState, DeviceStatus, ScanEvent, ScanRejected
from pos_app.devices.frames import FrameMode, decode_frame
from pos_app.devices.hid_pos import PosReportDecoder
from pos_app.devices.owned_thread import OwnedThread
from pos_app.devices.serial_reader import StreamFramer
from pos_app.services import device_reasons as reasons

try:
    import hid as _hid
except ImportError:  # hidapi missing: the HID driver is disabled, nothing else is
    _hid = None

HIDAPI_AVAILABLE = _hid is not None
log = logging.getLogger(__name__)

_SHIFT = 0x02 | 0x20  # left and right shift in the modifier byte
_ROLLOVER_ERROR = 0x01
# HID keyboard usage id -> (plain, shifted) on a US layout.
_USAGE: dict[int, tuple[str, str]] = {
    **{0x04 + i: (c, c.upper()) for i, c in enumerate("abcdefghijklmnopqrstuvwxyz")},
    **{0x1E + i: pair for i, pair in enumerate(zip("1234567890", "!@#$%^&*()", strict=True))},
    0x28: ("\r", "\r"),
    0x58: ("\r", "\r"),  # keypad Enter
    0x2B: ("\t", "\t"),
    0x2C: (" ", " "),
    0x2D: ("-", "_"),
    0x2E: ("=", "+"),
    0x2F: ("[", "{"),
    0x30: ("]", "}"),
    0x31: ("\\", "|"),
    0x33: (";", ":"),
    0x34: ("'", '"'),
    0x35: ("`", "~"),
    0x36: (",", "<"),
    0x37: (".", ">"),
    0x38: ("/", "?"),
    **{0x59 + i: (c, c) for i, c in enumerate("1234567890")},  # keypad digits
}


class KeyboardReportDecoder:
    """Turns successive boot-keyboard reports into the characters newly pressed."""

    def __init__(self, has_report_id: bool = False) -> None:
        self.has_report_id = has_report_id
        self._held: set[int] = set()

    def feed(self, report: Sequence[int]) -> str:
        data = list(report[1:] if self.has_report_id else report)
        if len(data) < 3:
            return ""
        modifiers, keys = data[0], [k for k in data[2:8] if k]
        if _ROLLOVER_ERROR in keys:  # phantom state: keep the previous keys
            return ""
        shifted = bool(modifiers & _SHIFT)
        out = [
            _USAGE[key][1 if shifted else 0]
            for key in keys
            if key not in self._held and key in _USAGE
        ]
        self._held = set(keys)
        return "".join(out)


@dataclass(frozen=True)
class HidMatch:
    """Which HID device is ours; ``None`` fields match anything."""

    vendor_id: int
    product_id: int | None = None
    serial_number: str | None = None
    interface: int | None = None
    usage_page: int | None = None  # 0x8C picks a scanner's HID POS interface

    def matches(self, info: Mapping[str, Any]) -> bool:
        wanted = {
            "vendor_id": self.vendor_id,
            "product_id": self.product_id,
            "serial_number": self.serial_number,
            "interface_number": self.interface,
            "usage_page": self.usage_page,
        }
        return all(v is None or info.get(k) == v for k, v in wanted.items())


@dataclass(frozen=True)
class HidConfig:
    match: HidMatch
    device: str = "hid-scanner"
    report_length: int = 64
    has_report_id: bool = False
    read_timeout_ms: int = 100
    reconnect_s: float = 1.0
    gap_s: float = 0.05
    mode: FrameMode = FrameMode.AUTO
    aim_ids: bool = False
    # "keyboard" (boot reports) or "pos" (usage page 0x8C; its scanned-data reports are
    # numbered, so set has_report_id=True unless the scanner's descriptor says otherwise)
    protocol: str = "keyboard"


class HidHandle(Protocol):
    def read(self, max_length: int, timeout_ms: int) -> list[int]: ...

    def close(self) -> None: ...


class HidBackend(Protocol):
    """The few hidapi calls the reader makes; a fake implements it in tests."""

    def enumerate(self) -> list[dict[str, Any]]: ...

    def open_path(self, path: bytes) -> HidHandle: ...


class _HidapiHandle:
    def __init__(self, device: Any) -> None:
        self._device = device

    def read(self, max_length: int, timeout_ms: int) -> list[int]:
        # cython-hidapi returns [] on timeout and raises OSError when the device is gone.
        return list(self._device.read(max_length, timeout_ms))

    def close(self) -> None:
        self._device.close()


class HidapiBackend:
    """The real hidapi; only ever called from the reader's worker thread."""

    def enumerate(self) -> list[dict[str, Any]]:
        assert _hid is not None
        return list(_hid.enumerate())

    def open_path(self, path: bytes) -> HidHandle:
        assert _hid is not None
        device = _hid.device()
        device.open_path(path)
        return _HidapiHandle(device)


class HidReader:
    """Owns one HID reader on a dedicated thread; reports ScanEvents and states."""

    def __init__(
        self,
        config: HidConfig,
        on_event: Callable[[ScanEvent | ScanRejected], None],
        on_status: Callable[[DeviceStatus], None] | None = None,
        backend: HidBackend | None = None,
    ) -> None:
        self.config = config
        self._on_event = on_event
        self._on_status = on_status
        self._backend = (
            backend if backend is not None else (HidapiBackend() if HIDAPI_AVAILABLE else None)
        )
        self._worker = OwnedThread(self._run, name=f"hid:{config.device}")
        self._stop = self._worker.stopping
        self.state = DeviceState.CONNECTING

    def start(self) -> None:
        if self._backend is None:
            self._set_state(DeviceState.DISABLED, reasons.HIDAPI_MISSING)
            return
        self._worker.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._worker.stop(timeout)

    def _run(self) -> None:
        assert self._backend is not None
        while not self._stop.is_set():
            handle = self._find_and_open(self._backend)
            if handle is None:
                self._stop.wait(self.config.reconnect_s)
                continue
            try:
                self._set_state(DeviceState.CONNECTED)
                self._read_until_error(handle)
            except OSError as exc:
                self._set_state(DeviceState.DISCONNECTED, f"{reasons.UNPLUGGED}{exc}")
            finally:
                _close_quietly(handle)

    def _find_and_open(self, backend: HidBackend) -> HidHandle | None:
        try:
            found = [d for d in backend.enumerate() if self.config.match.matches(d)]
            if not found:
                self._set_state(DeviceState.DISCONNECTED, reasons.NOT_PLUGGED_IN)
                return None
            return backend.open_path(found[0]["path"])
        except OSError as exc:
            self._set_state(DeviceState.DISCONNECTED, f"{reasons.CANNOT_OPEN}{exc}")
            return None

    def _read_until_error(self, handle: HidHandle) -> None:
        if self.config.protocol == "pos":
            self._read_pos_reports(handle)
            return
        c = self.config
        decoder = KeyboardReportDecoder(c.has_report_id)
        framer = StreamFramer(b"\r", c.gap_s, c.mode is not FrameMode.BARCODE)
        while not self._stop.is_set():
            report = handle.read(c.report_length, c.read_timeout_ms)
            now = time.monotonic()
            chars = decoder.feed(report) if report else ""
            frames = framer.feed(chars.encode("latin-1"), now) if chars else framer.poll(now)
            for frame in frames:
                self._deliver(frame.decode("latin-1"))

    def _read_pos_reports(self, handle: HidHandle) -> None:
        c = self.config
        decoder = PosReportDecoder(c.has_report_id)
        while not self._stop.is_set():
            report = handle.read(c.report_length, c.read_timeout_ms)
            scan = decoder.feed(report) if report else None
            if scan is not None:
                self._deliver(scan.frame, aim_ids=bool(scan.aim))

    def _deliver(self, text: str, aim_ids: bool | None = None) -> None:
        aim = self.config.aim_ids if aim_ids is None else aim_ids
        event = decode_frame(text, self.config.device, self.config.mode, aim)
        if event is None:
            return
        try:
            self._on_event(event)
        except Exception:
            log.exception("scan callback failed for %s", self.config.device)

    def _set_state(self, state: DeviceState, detail: str = "") -> None:
        if state is self.state:
            return
        self.state = state
        if self._on_status is not None:
            try:
                self._on_status(DeviceStatus(self.config.device, state, detail))
            except Exception:
                log.exception("status callback failed for %s", self.config.device)


def _close_quietly(handle: HidHandle) -> None:
    try:
        handle.close()
    except OSError:
        log.debug("closing a HID handle failed", exc_info=True)
