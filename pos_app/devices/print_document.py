"""A printer-neutral document: what a receipt says, before it becomes ESC/POS bytes.

Receipt templates render to a tuple of these operations; the ESC/POS encoder turns them into
bytes for one printer profile, and :func:`to_plain_text` gives the same receipt as text (for
previews, logs and tests).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


class Align(enum.Enum):
    LEFT = 0
    CENTER = 1
    RIGHT = 2


@dataclass(frozen=True)
class Text:
    """One printed line, already fitted to the paper width (double width counts twice)."""

    text: str
    align: Align = Align.LEFT
    bold: bool = False
    double: bool = False


@dataclass(frozen=True)
class Qr:
    data: str
    size: int = 6


@dataclass(frozen=True)
class Feed:
    lines: int = 1


@dataclass(frozen=True)
class Cut:
    partial: bool = False


@dataclass(frozen=True)
class DrawerKick:
    pin: int = 2


@dataclass(frozen=True)
class StoredLogo:
    """A logo stored once in the printer's NV memory (never sent per receipt on slow lines)."""

    key: int = 1


PrintOp = Text | Qr | Feed | Cut | DrawerKick | StoredLogo


def to_plain_text(ops: Iterable[PrintOp], columns: int) -> str:
    """The document as the emulator would decode it: text plus [CUT], [QR:...] markers."""
    lines: list[str] = []
    for op in ops:
        if isinstance(op, Text):
            width = columns // 2 if op.double else columns
            if op.align is Align.CENTER:
                lines.append(op.text.center(width).rstrip())
            elif op.align is Align.RIGHT:
                lines.append(op.text.rjust(width))
            else:
                lines.append(op.text)
        elif isinstance(op, Qr):
            lines.append(f"[QR:{op.data}]")
        elif isinstance(op, Feed):
            lines.extend([""] * op.lines)
        elif isinstance(op, Cut):
            lines.append("[CUT]")
        elif isinstance(op, DrawerKick):
            lines.append("[DRAWER]")
        else:
            lines.append(f"[LOGO:{op.key}]")
    return "\n".join(lines) + "\n"
