"""Keyboard-wedge decoder: tell a scanner's burst of keys from a person typing.

The Qt key hook in the UI layer feeds ``(char, timestamp_ms)`` for every key press, using
``QKeyEvent.timestamp()`` rather than the arrival time: a stalled GUI thread delivers keys a
person typed slowly in one burst, and only the original timestamps show they were slow.

A reading is a run of keys, each within ``max_interval_ms`` of the previous one (Odoo uses
50 ms; scanners can be set to add inter-key delays, so it is configurable), optionally
starting with ``prefix`` and ending with one of ``suffixes`` (CR or Tab by default). Keys
that turn out not to be a reading are handed back as :class:`PassThrough` so the focused
widget still gets them; the UI holds keys for at most ``max_interval_ms`` and calls
:meth:`WedgeDecoder.tick` from a timer so a lone typed key is not held forever.

A person typing an amount into a field made for digits ("300" and Enter, quickly) makes a
burst as fast as a short scan. The UI says when the focus is in such a field
(``typing_field``); a burst there is a reading only with at least ``typing_field_min_length``
characters (8: an EAN-8, any card), longer than the amounts, quantities and PINs people type.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.devices.events import ScanEvent, ScanRejected
from pos_app.devices.frames import FrameMode, decode_frame
from pos_app.devices.msr import looks_like_swipe


@dataclass(frozen=True)
class WedgeConfig:
    """Per-terminal wedge settings (data, so the settings screen can edit them)."""

    device: str = "wedge"
    prefix: str = ""
    suffixes: tuple[str, ...] = ("\r", "\n", "\t")
    max_interval_ms: int = 50
    min_length: int = 3
    typing_field_min_length: int = 8  # in a field made for typed digits (see module doc)
    mode: FrameMode = FrameMode.AUTO
    aim_ids: bool = False


@dataclass(frozen=True)
class PassThrough:
    """Keys that were typed by a person; the UI re-delivers them to the focused widget."""

    text: str


WedgeOutput = ScanEvent | ScanRejected | PassThrough


class WedgeDecoder:
    """Stateful, single-threaded (GUI thread) decoder; no clock of its own."""

    def __init__(self, config: WedgeConfig | None = None) -> None:
        self.config = config or WedgeConfig()
        self._buffer: list[str] = []
        self._last_ms: int | None = None
        self._tracks_pending = False
        self._typing_field = False

    @property
    def holding(self) -> bool:
        """True while keys are held back waiting to see whether they form a reading."""
        return bool(self._buffer)

    def feed(self, char: str, timestamp_ms: int, typing_field: bool = False) -> list[WedgeOutput]:
        """Take one key press; return what is decided so far (possibly nothing).
        ``typing_field``: the key goes to a field made for typed digits (an amount)."""
        out: list[WedgeOutput] = []
        if self._buffer and self._too_slow(timestamp_ms):
            out.extend(self._settle())
        self._last_ms = timestamp_ms
        self._typing_field = typing_field
        if char in self.config.suffixes:
            if self._may_have_more_tracks():
                # Card readers may end each track with CR; wait for the gap, not the CR.
                self._buffer.append(char)
                self._tracks_pending = True
                return out
            out.extend(self._finish(char))
            return out
        if not self._buffer and not self._may_start(char):
            out.append(PassThrough(char))
            return out
        self._buffer.append(char)
        if not self._prefix_still_possible():
            out.extend(self._release())
        return out

    def tick(self, now_ms: int) -> list[WedgeOutput]:
        """Called by a UI timer: settle a buffer whose last key is older than the interval."""
        if not self._buffer or not self._too_slow(now_ms):
            return []
        return self._settle()

    def _settle(self) -> list[WedgeOutput]:
        """The keys stopped: a reading if one ends by a gap, else typed keys."""
        if (not self.config.suffixes or self._tracks_pending) and self._qualifies():
            return self._emit()
        return self._release()

    def _too_slow(self, timestamp_ms: int) -> bool:
        assert self._last_ms is not None
        return timestamp_ms - self._last_ms > self.config.max_interval_ms

    def _may_have_more_tracks(self) -> bool:
        if self.config.mode is FrameMode.BARCODE or not self._buffer:
            return False
        return looks_like_swipe("".join(self._buffer)[len(self.config.prefix) :])

    def _may_start(self, char: str) -> bool:
        prefix = self.config.prefix
        return not prefix or char == prefix[0]

    def _prefix_still_possible(self) -> bool:
        prefix, typed = self.config.prefix, "".join(self._buffer)
        n = min(len(prefix), len(typed))
        return typed[:n] == prefix[:n]

    def _qualifies(self) -> bool:
        typed = "".join(self._buffer)
        body = typed[len(self.config.prefix) :]
        shortest = self.config.min_length
        if self._typing_field:
            shortest = max(shortest, self.config.typing_field_min_length)
        return typed.startswith(self.config.prefix) and len(body) >= shortest

    def _finish(self, suffix: str) -> list[WedgeOutput]:
        if self._qualifies():
            return self._emit()
        released = self._release()
        return [*released, PassThrough(suffix)] if released else [PassThrough(suffix)]

    def _emit(self) -> list[WedgeOutput]:
        body = "".join(self._buffer)[len(self.config.prefix) :]
        self._buffer.clear()
        self._tracks_pending = False
        event = decode_frame(body, self.config.device, self.config.mode, self.config.aim_ids)
        return [event] if event is not None else []

    def _release(self) -> list[WedgeOutput]:
        text = "".join(self._buffer)
        self._buffer.clear()
        self._tracks_pending = False
        return [PassThrough(text)] if text else []
