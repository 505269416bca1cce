"""Serial (RS-232 / USB-CDC) scanners and card readers via pyserial.

One thread owns the port. Every read has a timeout so ``stop()`` is prompt; an unplugged or
missing port is a *disconnected* state with periodic reconnect attempts, never an exception
in the caller. Line parameters are data (:class:`SerialConfig`), as in Odoo's IoT drivers,
so the settings screen can store them per terminal.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from pos_app.devices.events import DeviceState, DeviceStatus, ScanEvent, ScanRejected
from pos_app.devices.frames import FrameMode, decode_frame
from pos_app.devices.msr import looks_like_swipe
from pos_app.devices.owned_thread import OwnedThread
from pos_app.services import device_reasons as reasons

try:  # a missing pyserial disables this driver instead of crashing the till
    import serial
except ImportError:  # pragma: no cover - pyserial is a declared dependency
    serial = None

log = logging.getLogger(__name__)

EventCallback = Callable[[ScanEvent | ScanRejected], None]
StatusCallback = Callable[[DeviceStatus], None]


@dataclass(frozen=True)
class SerialConfig:
    """How to talk to one serial reader. ``terminator=None`` ends a reading by silence."""

    port: str
    device: str = "serial-scanner"
    baudrate: int = 9600
    bytesize: int = 8
    parity: str = "N"
    stopbits: float = 1
    terminator: bytes | None = b"\r"
    gap_s: float = 0.05
    read_timeout_s: float = 0.05
    reconnect_s: float = 1.0
    encoding: str = "utf-8"
    mode: FrameMode = FrameMode.AUTO
    aim_ids: bool = False
    max_frame: int = 4096


class StreamFramer:
    """Cut a byte stream into readings: at the terminator or after a silence.

    A card reader may end each track with the terminator, so a frame that looks like a swipe
    is held until the line is quiet for ``gap_s`` and then delivered with the tracks that
    followed it.
    """

    def __init__(
        self,
        terminator: bytes | None,
        gap_s: float,
        hold_swipes: bool = True,
        max_frame: int = 4096,
    ) -> None:
        self.terminator = terminator
        self.gap_s = gap_s
        self.hold_swipes = hold_swipes
        self.max_frame = max_frame
        self._partial = b""
        self._held = b""
        self._last = 0.0

    def feed(self, data: bytes, now: float) -> list[bytes]:
        """Add received bytes; return the readings completed by a terminator."""
        out: list[bytes] = []
        if data:
            out.extend(self.poll(now))
            self._last = now
        self._partial += data
        while self.terminator and self.terminator in self._partial:
            frame, _, self._partial = self._partial.partition(self.terminator)
            out.extend(self._complete(frame + self.terminator))
        if len(self._partial) > self.max_frame:  # runaway line noise: drop, don't grow
            log.warning("serial frame longer than %d bytes dropped", self.max_frame)
            self._partial = b""
        return out

    def poll(self, now: float) -> list[bytes]:
        """Deliver what silence completes: held swipes, or frames without a terminator."""
        if now - self._last < self.gap_s:
            return []
        out = [self._held] if self._held else []
        self._held = b""
        if self.terminator is None and self._partial:
            out.append(self._partial)
            self._partial = b""
        return out

    def _complete(self, frame: bytes) -> list[bytes]:
        text = frame.decode("latin-1")
        if self.hold_swipes and (self._held or looks_like_swipe(text)):
            self._held += frame
            return []
        return [frame]


class SerialReader:
    """Reads one serial port on its own thread and reports ScanEvents and state changes."""

    def __init__(
        self,
        config: SerialConfig,
        on_event: EventCallback,
        on_status: StatusCallback | None = None,
    ) -> None:
        self.config = config
        self._on_event = on_event
        self._on_status = on_status
        self._worker = OwnedThread(self._run, name=f"serial:{config.device}")
        self._stop = self._worker.stopping
        self.state = DeviceState.DISABLED if serial is None else DeviceState.CONNECTING

    def start(self) -> None:
        if serial is None:
            self._set_state(DeviceState.DISABLED, reasons.PYSERIAL_MISSING)
            return
        self._worker.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._worker.stop(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                port = self._open()
            except (serial.SerialException, OSError, ValueError) as exc:
                self._set_state(DeviceState.DISCONNECTED, str(exc))
                self._stop.wait(self.config.reconnect_s)
                continue
            try:
                self._set_state(DeviceState.CONNECTED, self.config.port)
                self._read_until_error(port)
            except (serial.SerialException, OSError) as exc:
                self._set_state(DeviceState.DISCONNECTED, str(exc))
                self._stop.wait(self.config.reconnect_s)
            finally:
                port.close()

    def _open(self) -> serial.Serial:
        c = self.config
        return serial.Serial(
            port=c.port,
            baudrate=c.baudrate,
            bytesize=c.bytesize,
            parity=c.parity,
            stopbits=c.stopbits,
            timeout=c.read_timeout_s,
            write_timeout=c.read_timeout_s,
            exclusive=True,
        )

    def _read_until_error(self, port: serial.Serial) -> None:
        c = self.config
        framer = StreamFramer(c.terminator, c.gap_s, c.mode is not FrameMode.BARCODE, c.max_frame)
        while not self._stop.is_set():
            chunk = port.read(max(1, port.in_waiting))
            now = time.monotonic()
            frames = framer.feed(chunk, now) if chunk else framer.poll(now)
            for frame in frames:
                self._deliver(frame)

    def _deliver(self, frame: bytes) -> None:
        text = frame.decode(self.config.encoding, errors="replace")
        event = decode_frame(text, self.config.device, self.config.mode, self.config.aim_ids)
        if event is None:
            return
        try:
            self._on_event(event)
        except Exception:  # a faulty consumer must not kill the device thread
            log.exception("scan callback failed for %s", self.config.device)

    def _set_state(self, state: DeviceState, detail: str = "") -> None:
        if state is self.state:
            return
        self.state = state
        if self._on_status is None:
            return
        try:
            self._on_status(DeviceStatus(self.config.device, state, detail))
        except Exception:
            log.exception("status callback failed for %s", self.config.device)
