"""Decode an ESC/POS byte stream into readable text, as the printer would have printed it.

Incremental: bytes arrive in arbitrary chunks over TCP or a pty, a command split across
chunks waits for the rest, and real-time status requests (``DLE EOT n``, ``GS r n``) are
answered as soon as they are complete, like a real printer does. Text is decoded with the
code page selected by ``ESC t n`` (or Star's ``ESC GS t n``), mapped by the emulated
profile's numbers, so Russian reads as Russian only when the driver picked the right page.
Cuts, QR contents, drawer kicks, images and barcodes become markers (``[CUT]``,
``[QR:...]``, ``[DRAWER]``). Unknown or truncated commands never raise: they are skipped
and listed in ``warnings``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

ESC, GS, FS, DLE = 0x1B, 0x1D, 0x1C, 0x10

# ESC t n numbers that select each code page, per emulated brand (see printer_profiles.json).
CODEPAGES: dict[str, dict[int, str]] = {
    "epson": {0: "cp437", 2: "cp850", 16: "cp1252", 17: "cp866", 46: "cp1251"},
    "rongta": {0: "cp437", 7: "cp866", 16: "cp1252", 46: "cp1251"},
    "star": {0: "cp437", 1: "cp437", 10: "cp866", 15: "cp1251"},
}
# Commands with a fixed number of parameter bytes: (prefix, command byte) -> parameter count.
_FIXED: dict[tuple[int, int], int] = {
    **{(ESC, ord(c)): 1 for c in "!EG-MaJ3 R{VUr"},
    (ESC, ord("2")): 0,
    (ESC, ord("S")): 0,
    (ESC, ord("i")): 0,
    (ESC, ord("m")): 0,
    (ESC, ord("$")): 2,
    (ESC, ord("\\")): 2,
    (ESC, ord("c")): 2,
    (ESC, ord("B")): 2,
    (ESC, ord("=")): 1,
    (ESC, ord("T")): 1,
    (ESC, ord("L")): 0,
    **{(GS, ord(c)): 1 for c in "!BHhwfaIb/"},
    (GS, ord("P")): 2,
    (GS, ord("L")): 2,
    (GS, ord("W")): 2,
    (GS, ord("$")): 2,
    (FS, ord(".")): 0,
    (FS, ord("&")): 0,
    (FS, ord("C")): 1,
    (DLE, 0x05): 1,
}

_Handler = Callable[[bytes, int, bytearray], "int | None"]


@dataclass
class DecodedJob:
    """What one job printed: text lines (markers on lines of their own) and diagnostics."""

    lines: list[str] = field(default_factory=list)
    qr_codes: list[str] = field(default_factory=list)
    cuts: int = 0
    drawer_kicks: int = 0
    warnings: list[str] = field(default_factory=list)
    double_lines: set[int] = field(default_factory=set)  # indexes of double-size lines

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + ("\n" if self.lines else "")


class EscposDecoder:
    """Feed bytes with :meth:`feed` (returns status replies), then call :meth:`finish`."""

    def __init__(
        self,
        brand: str = "epson",
        columns: int = 48,
        status: Callable[[int], int] | None = None,
    ) -> None:
        self.codepages: Mapping[int, str] = CODEPAGES.get(brand, CODEPAGES["epson"])
        self.columns = columns
        self.status = status or (lambda n: 0x12)
        self.job = DecodedJob()
        self._pending = b""
        self._line = bytearray()
        self._handlers = self._handler_table()
        self._reset()

    def _reset(self) -> None:
        self.codec = "cp437"
        self.align = 0
        self.double = False
        self._qr_data = ""

    def feed(self, data: bytes) -> bytes:
        """Consume bytes; return the replies a real printer would send back now."""
        buf = self._pending + data
        replies = bytearray()
        i = 0
        while i < len(buf):
            step = self._step(buf, i, replies)
            if step is None:  # command incomplete: wait for more bytes
                break
            i = step
        self._pending = buf[i:]
        return bytes(replies)

    def finish(self) -> DecodedJob:
        if self._pending:
            self.job.warnings.append(f"truncated command at end of job: {self._pending[:8]!r}")
            self._pending = b""
        self._flush_line(force=False)
        return self.job

    # -- output ---------------------------------------------------------------------------

    def _flush_line(self, force: bool = True) -> None:
        if not self._line and not force:
            return
        text = self._line.decode(self.codec, errors="replace").rstrip()
        width = self.columns // 2 if self.double else self.columns
        if self.double:
            self.job.double_lines.add(len(self.job.lines))
        if self.align == 1:
            text = text.center(width).rstrip()
        elif self.align == 2:
            text = text.rjust(width)
        self.job.lines.append(text)
        self._line.clear()

    def _marker(self, marker: str) -> None:
        self._flush_line(force=False)
        self.job.lines.append(marker)

    # -- parsing --------------------------------------------------------------------------

    def _step(self, buf: bytes, i: int, replies: bytearray) -> int | None:
        byte = buf[i]
        if byte in (ESC, GS, FS, DLE):
            if i + 1 >= len(buf):
                return None
            return self._command(buf, i, replies)
        if byte == 0x0A:
            self._flush_line()
        elif byte == 0x09:
            self._line += b" " * (8 - len(self._line) % 8)
        elif byte >= 0x20:
            self._line.append(byte)
        return i + 1  # CR, FF and other controls print nothing on a roll

    def _command(self, buf: bytes, i: int, replies: bytearray) -> int | None:
        key = (buf[i], buf[i + 1])
        handler = self._handlers.get(key)
        if handler is not None:
            return handler(buf, i, replies)
        if key in _FIXED:
            return self._fixed(buf, i, _FIXED[key])
        self.job.warnings.append(f"unknown command {buf[i]:#04x} {buf[i + 1]:#04x}")
        return i + 2

    def _handler_table(self) -> dict[tuple[int, int], _Handler]:
        return {
            (ESC, ord("@")): self._init,
            (ESC, ord("t")): self._codepage,
            (ESC, GS): self._star_codepage,
            (ESC, ord("d")): self._feed_lines,
            (ESC, ord("p")): self._drawer,
            (ESC, ord("*")): self._bit_image,
            (ESC, ord("D")): self._tabs,
            (GS, ord("V")): self._cut,
            (GS, ord("(")): self._gs_paren,
            (GS, ord("8")): self._gs_8,
            (GS, ord("v")): self._raster,
            (GS, ord("k")): self._barcode,
            (GS, ord("r")): self._status,
            (FS, ord("p")): self._logo,
            (DLE, 0x04): self._status,
            (DLE, 0x14): self._dle_dc4,
        }

    def _fixed(self, buf: bytes, i: int, count: int) -> int | None:
        end = i + 2 + count
        if end > len(buf):
            return None
        cmd, args = buf[i : i + 2], buf[i + 2 : end]
        if cmd == b"\x1ba":
            n = args[0] - 48 if args[0] >= 48 else args[0]
            self.align = n if n in (0, 1, 2) else 0
        elif cmd == b"\x1d!":
            self.double = args[0] != 0
        elif cmd in (b"\x1bi", b"\x1bm"):
            self._cut_marker()
        return end

    def _init(self, buf: bytes, i: int, replies: bytearray) -> int:
        self._flush_line(force=False)
        self._reset()
        return i + 2

    def _codepage(self, buf: bytes, i: int, replies: bytearray) -> int | None:
        if i + 2 >= len(buf):
            return None
        self._select(buf[i + 2])
        return i + 3

    def _star_codepage(self, buf: bytes, i: int, replies: bytearray) -> int | None:
        if i + 3 >= len(buf):
            return None
        if buf[i + 2] != ord("t"):
            self.job.warnings.append(f"unknown command ESC GS {buf[i + 2]:#04x}")
            return i + 3
        self._select(buf[i + 3])
        return i + 4

    def _select(self, number: int) -> None:
        self._flush_line(force=False)
        codec = self.codepages.get(number)
        if codec is None:
            self.job.warnings.append(f"code page {number} not known to this printer")
            codec = "cp437"
        self.codec = codec

    def _feed_lines(self, buf: bytes, i: int, replies: bytearray) -> int | None:
        if i + 2 >= len(buf):
            return None
        self._flush_line(force=False)
        self.job.lines.extend([""] * buf[i + 2])
        return i + 3

    def _drawer(self, buf: bytes, i: int, replies: bytearray) -> int | None:
        if i + 4 >= len(buf):
            return None
        self.job.drawer_kicks += 1
        self._marker("[DRAWER]")
        return i + 5

    def _dle_dc4(self, buf: bytes, i: int, replies: bytearray) -> int | None:
        if i + 4 >= len(buf):
            return None
        if buf[i + 2] == 1:  # generate pulse: the drawer
            self.job.drawer_kicks += 1
            self._marker("[DRAWER]")
        return i + 5

    def _cut_marker(self) -> None:
        self.job.cuts += 1
        self._marker("[CUT]")

    def _cut(self, buf: bytes, i: int, replies: bytearray) -> int | None:
        if i + 2 >= len(buf):
            return None
        mode = buf[i + 2]
        end = i + 4 if mode in (65, 66, 97, 98, 103, 104) else i + 3
        if end > len(buf):
            return None
        self._cut_marker()
        return end

    def _status(self, buf: bytes, i: int, replies: bytearray) -> int | None:
        if i + 2 >= len(buf):
            return None
        n = buf[i + 2]
        if buf[i] == DLE:
            replies.append(self.status(n) & 0xFF)
        elif n in (1, 49):  # GS r 1: paper sensor, paper end in bits 2-3
            replies.append(0x0C if self.status(4) & 0x60 else 0x00)
        return i + 3

    def _tabs(self, buf: bytes, i: int, replies: bytearray) -> int | None:
        end = buf.find(b"\x00", i + 2)
        return None if end < 0 else end + 1

    def _length_prefixed(self, buf: bytes, i: int, size_bytes: int) -> tuple[int, int] | None:
        """(start of payload, end) for GS ( x pL pH / GS 8 x p1..p4 framing."""
        start = i + 3 + size_bytes
        if start > len(buf):
            return None
        size = int.from_bytes(buf[i + 3 : start], "little")
        return (start, start + size) if start + size <= len(buf) else None

    def _gs_paren(self, buf: bytes, i: int, replies: bytearray) -> int | None:
        if i + 2 >= len(buf):
            return None
        span = self._length_prefixed(buf, i, 2)
        if span is None:
            return None
        start, end = span
        fn = buf[i + 2]
        body = buf[start:end]
        if fn == ord("k") and len(body) >= 2 and body[0] == 49:  # QR code, cn = '1'
            self._qr(body[1], body[2:])
        elif fn == ord("L") and len(body) >= 2 and body[1] in (50, 2):
            self._marker("[IMAGE]")
        return end

    def _gs_8(self, buf: bytes, i: int, replies: bytearray) -> int | None:
        if i + 2 >= len(buf):
            return None
        span = self._length_prefixed(buf, i, 4)
        return None if span is None else span[1]

    def _qr(self, fn: int, data: bytes) -> None:
        if fn == 80:  # store: m then the data
            self._qr_data = data[1:].decode("utf-8", errors="replace")
        elif fn == 81:  # print the stored symbol
            self.job.qr_codes.append(self._qr_data)
            self._marker(f"[QR:{self._qr_data}]")

    def _raster(self, buf: bytes, i: int, replies: bytearray) -> int | None:
        if i + 7 >= len(buf):
            return None
        width = int.from_bytes(buf[i + 4 : i + 6], "little")
        height = int.from_bytes(buf[i + 6 : i + 8], "little")
        end = i + 8 + width * height
        if end > len(buf):
            return None
        self._marker(f"[IMAGE {width * 8}x{height}]")
        return end

    def _bit_image(self, buf: bytes, i: int, replies: bytearray) -> int | None:
        if i + 4 >= len(buf):
            return None
        dots = int.from_bytes(buf[i + 3 : i + 5], "little")
        end = i + 5 + dots * (1 if buf[i + 2] in (0, 1) else 3)
        if end > len(buf):
            return None
        self._marker("[IMAGE]")
        return end

    def _barcode(self, buf: bytes, i: int, replies: bytearray) -> int | None:
        if i + 2 >= len(buf):
            return None
        m = buf[i + 2]
        if m <= 6:
            end = buf.find(b"\x00", i + 3)
            if end < 0:
                return None
            data, after = buf[i + 3 : end], end + 1
        else:
            if i + 3 >= len(buf) or i + 4 + buf[i + 3] > len(buf):
                return None
            data, after = buf[i + 4 : i + 4 + buf[i + 3]], i + 4 + buf[i + 3]
        self._marker(f"[BARCODE:{data.decode('latin-1')}]")
        return after

    def _logo(self, buf: bytes, i: int, replies: bytearray) -> int | None:
        if i + 3 >= len(buf):
            return None
        self._marker(f"[LOGO:{buf[i + 2]}]")
        return i + 4


def decode(data: bytes, brand: str = "epson", columns: int = 48) -> DecodedJob:
    """Decode a complete job in one go."""
    decoder = EscposDecoder(brand, columns)
    decoder.feed(data)
    return decoder.finish()
