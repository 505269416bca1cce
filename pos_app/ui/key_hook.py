"""The Qt key hook: every key press goes through the keyboard-wedge decoder first.

A scanner or card reader plugged in as a keyboard types its reading in a burst. This
application-wide event filter hands each printable key with ``QKeyEvent.timestamp()`` (the
time the key was pressed, not the time a possibly stalled GUI thread got to it) to the decoder
the composition root passes in, and swallows it. What the decoder decides comes back as:

* a reading -> ``reading_did_arrive`` (a :class:`Reading`), for the scan router;
* a bad swipe -> ``reading_was_rejected`` with the cashier's message;
* keys a person typed -> re-delivered to the focused widget, so typing works as usual.

Keys that are never part of a reading go straight to the focused widget: Shift+Tab (moving
back through the controls) and the keypad's + - * / (the till's quantity keys) unless a burst
is being held. A widget marked with :func:`mark_typing_field` (an amount, a cash count) tells
the decoder the keys are meant for typed digits, so a quick "300" and Enter stays typing.

A timer calls ``decoder.tick`` so a lone typed key is held for one interval at most. The UI
does not import ``pos_app.devices``: the decoder is any object with ``feed``/``tick`` and its
outputs are read by their attributes (``kind``/``data``, ``message``, ``text``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

SPECIAL_KEYS = {"\r": Qt.Key.Key_Return, "\n": Qt.Key.Key_Return, "\t": Qt.Key.Key_Tab}
KEYPAD_COMMANDS = frozenset("+-*/")  # on the numeric keypad: keys, not text (see module doc)
TYPING_FIELD = "typingField"  # the Qt property mark_typing_field sets


class KeyDecoder(Protocol):
    """``pos_app.devices.wedge.WedgeDecoder`` as the UI sees it."""

    @property
    def holding(self) -> bool: ...
    def feed(
        self, char: str, timestamp_ms: int, typing_field: bool = False
    ) -> Sequence[object]: ...
    def tick(self, now_ms: int) -> Sequence[object]: ...


def mark_typing_field(widget: QObject) -> None:
    """Say that ``widget`` is for digits a person types (an amount, a count, a quantity):
    a burst typed into it must be as long as a real code to count as a scan."""
    widget.setProperty(TYPING_FIELD, True)


@dataclass(frozen=True, slots=True)
class Reading:
    """One reading from any input device: ``kind`` is ``"barcode"`` or ``"msr"``."""

    kind: str
    data: str
    device: str


def as_reading(event: object) -> Reading | None:
    """A device's ``ScanEvent`` (read by its attributes) as a :class:`Reading`."""
    data = getattr(event, "data", None)
    kind = getattr(event, "kind", None)
    if not isinstance(data, str) or kind is None:
        return None
    return Reading(str(getattr(kind, "value", kind)), data, str(getattr(event, "device", "")))


def rejection_message(event: object) -> str | None:
    message = getattr(event, "message", None)
    return message if isinstance(message, str) else None


class WedgeKeyHook(QObject):
    """Application event filter feeding key presses to a wedge decoder."""

    reading_did_arrive = Signal(object)  # Reading
    reading_was_rejected = Signal(str)  # message for the cashier

    def __init__(self, decoder: KeyDecoder, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._decoder = decoder
        self._replaying = False
        self._last_key_ms = 0
        self._last_key_at = 0
        self._target: QObject | None = None  # the widget Qt delivered the last key to
        self._clock = QElapsedTimer()
        self._clock.start()
        self._timer = QTimer(self)
        self._timer.setInterval(20)
        self._timer.timeout.connect(self._tick)

    def install(self, app: QApplication) -> None:
        app.installEventFilter(self)
        self._timer.start()

    def uninstall(self, app: QApplication) -> None:
        self._timer.stop()
        app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._replaying or event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        text = event.text()
        mods = (
            event.modifiers()
            & ~Qt.KeyboardModifier.ShiftModifier
            & ~(Qt.KeyboardModifier.KeypadModifier)
        )
        if len(text) != 1 or mods != Qt.KeyboardModifier.NoModifier:
            return False
        if not (text.isprintable() or text in SPECIAL_KEYS) or self._is_command(event):
            return False
        stamp = int(event.timestamp())
        # Key events a test or a platform plugin makes may carry no timestamp: fall back to
        # our own monotonic clock so timing still means something.
        self._last_key_ms = stamp if stamp > 0 else int(self._clock.elapsed())
        self._last_key_at = int(self._clock.elapsed())
        self._target = watched
        # Real keys reach the window (a QWindow) first, then its focus widget.
        field = watched if isinstance(watched, QWidget) else QApplication.focusWidget()
        typing = field is not None and bool(field.property(TYPING_FIELD))
        self._handle(self._decoder.feed(text, self._last_key_ms, typing))
        return True

    def _is_command(self, event: QKeyEvent) -> bool:
        """Shift+Tab, or a keypad operator while no burst is held: never part of a reading."""
        if event.key() == Qt.Key.Key_Backtab:
            return True
        keypad = bool(event.modifiers() & Qt.KeyboardModifier.KeypadModifier)
        return keypad and event.text() in KEYPAD_COMMANDS and not self._decoder.holding

    def _tick(self) -> None:
        """Settle held keys once the interval has passed, in the decoder's time base (the
        last key's timestamp plus the time since it, by our clock)."""
        since = int(self._clock.elapsed()) - self._last_key_at
        self._handle(self._decoder.tick(self._last_key_ms + max(since, 0)))

    def _handle(self, outputs: Sequence[object]) -> None:
        for output in outputs:
            reading = as_reading(output)
            if reading is not None:
                self.reading_did_arrive.emit(reading)
                continue
            message = rejection_message(output)
            if message is not None:
                self.reading_was_rejected.emit(message)
                continue
            typed = getattr(output, "text", None)
            if isinstance(typed, str):
                self._replay(typed)

    def _replay(self, text: str) -> None:
        """Hand keys a person typed to the focused widget, as ordinary key presses."""
        # Qt delivered the key to the focus widget, so where it went is where it belongs.
        target = self._target or QApplication.focusWidget()
        if target is None:
            return
        self._replaying = True
        try:
            for char in text:
                key = SPECIAL_KEYS.get(char)
                code = int(key.value) if key is not None else (ord(char.upper()) & 0xFFFF)
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    event = QKeyEvent(kind, code, Qt.KeyboardModifier.NoModifier, char)
                    QApplication.sendEvent(target, event)
        except RuntimeError:  # the widget the keys were meant for has gone (dialog closed)
            self._target = None
        finally:
            self._replaying = False
