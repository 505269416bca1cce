"""Our adapter around python-escpos transports: timeouts everywhere, status after each job.

python-escpos opens a device on first attribute access and closes it in ``__del__``; its
``Usb`` writes block forever without a timeout, and a printer switched off mid-job loses it
without an error. So this adapter opens and closes explicitly per job, sets a timeout on
every transport, refuses to send when the printer already reports a problem (the job would
sit in the printer's buffer and print twice after a retry), and calls a job done only when
a ``DLE EOT`` status query after it says the printer is fine. It never raises: the result
says what the cashier should be told, and the print queue decides about retries.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from escpos import printer as escpos_printers
from escpos.exceptions import Error as EscposError

from pos_app.devices.escpos_encoder import PrinterProfile, encode, load_profiles
from pos_app.devices.print_document import PrintOp

log = logging.getLogger(__name__)

DLE_EOT = b"\x10\x04"
_FIXED_MASK, _FIXED_BITS = 0x93, 0x12  # bits 0,1,4,7 of every DLE EOT reply


class PrinterState(enum.Enum):
    READY = "ready"
    PAPER_NEAR_END = "paper_near_end"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"
    ERROR = "error"
    DISCONNECTED = "disconnected"
    UNVERIFIED = "unverified"  # the transport cannot report status (file, one-way cable)
    DISABLED = "disabled"  # the driver's library is missing


_MESSAGES = {
    PrinterState.READY: "Printed.",
    PrinterState.PAPER_NEAR_END: "Printed. Paper is running low.",
    PrinterState.PAPER_OUT: "The printer is out of paper. Load paper; the receipt is kept.",
    PrinterState.COVER_OPEN: "The printer cover is open. Close it; the receipt is kept.",
    PrinterState.OFFLINE: "The printer is offline. The receipt is kept for printing.",
    PrinterState.ERROR: "The printer reports an error. Check it; the receipt is kept.",
    PrinterState.DISCONNECTED: "The printer cannot be reached. The receipt is kept.",
    PrinterState.UNVERIFIED: "Sent to the printer.",
    PrinterState.DISABLED: "This printer type is not available on this till.",
}
_OK_STATES = {PrinterState.READY, PrinterState.PAPER_NEAR_END, PrinterState.UNVERIFIED}


@dataclass(frozen=True)
class PrintResult:
    ok: bool
    state: PrinterState
    message: str
    bytes_sent: int = 0

    @classmethod
    def of(cls, state: PrinterState, sent: int = 0, detail: str = "") -> PrintResult:
        message = _MESSAGES[state] + (f" ({detail})" if detail else "")
        return cls(state in _OK_STATES, state, message, sent)


@dataclass(frozen=True)
class PrinterConfig:
    """One terminal's receipt printer. Everything here is settings, not code."""

    transport: str = "network"  # "network", "serial", "file" or "usb"
    host: str = "127.0.0.1"
    port: int = 9100
    device_path: str = ""
    baudrate: int = 19200
    usb_vendor_id: int = 0
    usb_product_id: int = 0
    timeout_s: float = 5.0
    profile: str = "epson"
    codepage: str | None = None
    codepage_number: int | None = None
    columns: int | None = None
    check_status: bool = True


def status_from_replies(s1: int | None, s2: int | None, s4: int | None) -> PrinterState:
    """Interpret DLE EOT 1 (printer), 2 (offline cause) and 4 (paper sensor) replies."""
    if s1 is None or (s1 & _FIXED_MASK) != _FIXED_BITS:
        return PrinterState.OFFLINE
    if s1 & 0x08:
        if s2 is not None and s2 & 0x20:
            return PrinterState.PAPER_OUT
        if s2 is not None and s2 & 0x04:
            return PrinterState.COVER_OPEN
        if s2 is not None and s2 & 0x40:
            return PrinterState.ERROR
        return PrinterState.OFFLINE
    if s4 is not None and s4 & 0x60 == 0x60:
        return PrinterState.PAPER_OUT
    if s4 is not None and s4 & 0x0C == 0x0C:
        return PrinterState.PAPER_NEAR_END
    return PrinterState.READY


class EscposPrinter:
    """Prints documents on one configured printer; safe to call from the print worker."""

    def __init__(self, config: PrinterConfig, profile: PrinterProfile | None = None) -> None:
        self.config = config
        base = profile or load_profiles().get(config.profile, PrinterProfile(config.profile))
        self.profile = base.with_overrides(
            codepage=config.codepage,
            codepage_number=config.codepage_number,
            columns=config.columns,
        )

    def render(self, ops: Sequence[PrintOp]) -> bytes:
        return encode(ops, self.profile)

    def print_document(self, ops: Sequence[PrintOp]) -> PrintResult:
        return self.print_bytes(self.render(ops))

    def status(self) -> PrintResult:
        """Ask the printer how it is, without printing anything."""
        return self._session(b"")

    def print_bytes(self, job: bytes) -> PrintResult:
        return self._session(job)

    def _session(self, job: bytes) -> PrintResult:
        try:
            device = self._open()
        except _TRANSPORT_ERRORS as exc:
            return PrintResult.of(PrinterState.DISCONNECTED, detail=str(exc))
        if device is None:
            return PrintResult.of(PrinterState.DISABLED, detail=self.config.transport)
        try:
            before = self._state(device)
            if before not in _OK_STATES or not job:
                return PrintResult.of(before)
            device._raw(job)
            return PrintResult.of(self._state(device), sent=len(job))
        except _TRANSPORT_ERRORS as exc:
            log.warning("printing failed: %s", exc)
            return PrintResult.of(PrinterState.DISCONNECTED, detail=str(exc))
        finally:
            _close_quietly(device)

    def _open(self) -> Any:
        c = self.config
        device: Any
        if c.transport == "network":
            device = escpos_printers.Network(c.host, c.port, timeout=c.timeout_s)
        elif c.transport == "serial":
            device = escpos_printers.Serial(c.device_path, c.baudrate, timeout=c.timeout_s)
        elif c.transport == "file":
            device = escpos_printers.File(c.device_path)
        elif c.transport == "usb" and escpos_printers.Usb.is_usable():
            device = escpos_printers.Usb(
                c.usb_vendor_id, c.usb_product_id, timeout=int(c.timeout_s * 1000)
            )
        else:
            return None  # unknown transport, or pyusb missing: the driver is disabled
        device.open()
        if c.transport == "serial":
            device.device.write_timeout = c.timeout_s  # python-escpos sets only reads
        return device

    def _state(self, device: Any) -> PrinterState:
        if not self.config.check_status or self.config.transport == "file":
            return PrinterState.UNVERIFIED
        s1 = _query(device, 1)
        s2 = _query(device, 2) if s1 is not None and s1 & 0x08 else None
        s4 = _query(device, 4) if s1 is not None else None
        return status_from_replies(s1, s2, s4)


def _query(device: Any, n: int) -> int | None:
    """One real-time status byte, or None when the printer does not answer in time."""
    device._raw(DLE_EOT + bytes([n]))
    try:
        if isinstance(device, escpos_printers.Serial):
            # python-escpos reads 16 bytes, i.e. always waits for the whole timeout.
            reply = device.device.read(1)
        else:
            reply = device._read()
    except TimeoutError:
        return None
    return reply[-1] if reply else None


def _close_quietly(device: Any) -> None:
    try:
        device.close()
    except _TRANSPORT_ERRORS:
        log.debug("closing the printer failed", exc_info=True)
    device._device = False  # stop python-escpos' __del__ from reopening or closing again


_TRANSPORT_ERRORS: tuple[type[BaseException], ...] = (OSError, EscposError, ValueError)
