"""Encode a print document into ESC/POS bytes for one printer profile.

Text goes out in the profile's code page with our own ``ESC t n`` rather than
python-escpos' automatic code-page guessing, because the number that selects CP866 differs
by brand and must come from configuration. 2D codes, cuts and drawer pulses are produced by
python-escpos' ``Dummy`` printer, its byte-exact seam. Styles are tracked so an unchanged
style is not re-sent (it matters at 9 600 baud).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from escpos.printer import Dummy

from pos_app.devices.print_document import (
    Align,
    Cut,
    DrawerKick,
    Feed,
    PrintOp,
    Qr,
    StoredLogo,
    Text,
)
from pos_app.resources import receipts_dir

ESC, GS, FS, LF = b"\x1b", b"\x1d", b"\x1c", b"\n"
INIT = ESC + b"@"
# Characters missing from the single-byte code pages receipts use, and what to print instead.
_FALLBACKS = str.maketrans(
    {"«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "—": "-",
     "–": "-", "…": "...", "₽": "р.", "\u00a0": " "}
)  # fmt: skip


@dataclass(frozen=True)
class PrinterProfile:
    """What differs between printer brands and models; loaded from configuration."""

    name: str = "epson"
    codepage: str = "cp866"
    codepage_number: int = 17
    codepage_command: str = "esc_t"  # "esc_gs_t" for Star line mode
    columns: int = 48
    qr_native: bool = True
    cut: str = "partial"  # "partial", "full" or "none"

    def with_overrides(self, **overrides: Any) -> PrinterProfile:
        """A copy with per-terminal settings applied (e.g. a forced code page number)."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


def load_profiles(path: Path | None = None) -> dict[str, PrinterProfile]:
    raw = json.loads((path or receipts_dir() / "printer_profiles.json").read_text("utf-8"))
    return {
        name: PrinterProfile(name=name, **fields)
        for name, fields in raw.items()
        if not name.startswith("_")
    }


def select_codepage(profile: PrinterProfile) -> bytes:
    number = bytes([profile.codepage_number])
    if profile.codepage_command == "esc_gs_t":
        return ESC + GS + b"t" + number
    return ESC + b"t" + number


class _Encoder:
    def __init__(self, profile: PrinterProfile) -> None:
        self.profile = profile
        self.out = bytearray(INIT + select_codepage(profile))
        self.align = Align.LEFT
        self.bold = False
        self.double = False

    def style(self, align: Align, bold: bool, double: bool) -> None:
        if align is not self.align:
            self.out += ESC + b"a" + bytes([align.value])
            self.align = align
        if bold is not self.bold:
            self.out += ESC + b"E" + bytes([int(bold)])
            self.bold = bold
        if double is not self.double:
            self.out += GS + b"!" + (b"\x11" if double else b"\x00")
            self.double = double

    def text(self, op: Text) -> None:
        self.style(op.align, op.bold, op.double)
        text = op.text.translate(_FALLBACKS)
        self.out += text.encode(self.profile.codepage, errors="replace") + LF

    def escpos(self, op: Qr | Cut | DrawerKick) -> None:
        dummy = Dummy()
        if isinstance(op, Qr):
            self.style(Align.CENTER, False, False)
            dummy.qr(op.data, native=self.profile.qr_native, size=op.size)
        elif isinstance(op, Cut):
            if self.profile.cut == "none":
                dummy.print_and_feed(4)
            else:
                partial = op.partial or self.profile.cut == "partial"
                dummy.cut(mode="PART" if partial else "FULL")
        else:
            dummy.cashdraw(op.pin)
        self.out += dummy.output

    def add(self, op: PrintOp) -> None:
        if isinstance(op, Text):
            self.text(op)
        elif isinstance(op, Feed):
            self.out += ESC + b"d" + bytes([max(0, min(op.lines, 255))])
        elif isinstance(op, StoredLogo):
            self.style(Align.CENTER, False, False)
            self.out += FS + b"p" + bytes([op.key, 0])
        else:
            self.escpos(op)


def encode(ops: Iterable[PrintOp], profile: PrinterProfile) -> bytes:
    """The whole job as bytes, starting with ESC @ and the profile's code page."""
    encoder = _Encoder(profile)
    for op in ops:
        encoder.add(op)
    return bytes(encoder.out)
