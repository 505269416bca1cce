"""The new-order alert of one console: a sound when new orders arrive (if this console enables
it), repeated every N seconds until an operator acknowledges it or nothing waits any more
(DESIGN.md: a single beep is easy to miss in a noisy venue)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from pos_app.services.orders import ConsoleSettings

SOUND = "new_order"


class AlertSound(Protocol):
    """The sound port (``pos_app.devices.sound.SoundPlayer`` fits); ``play`` says whether a
    sound was started."""

    def play(self, name: str) -> bool: ...


class NewOrderAlert(QObject):
    """``alerting_changed(bool)`` tells the panel whether there is something to acknowledge."""

    alerting_changed = Signal(bool)

    def __init__(
        self, sound: AlertSound, waiting: Callable[[], int], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._sound = sound
        self._waiting = waiting
        self.settings = ConsoleSettings()
        self.alerting = False
        self.played = 0
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._repeat)

    def apply(self, settings: ConsoleSettings) -> None:
        self.settings = settings
        if not settings.sound_enabled or not settings.repeat_seconds:
            self._timer.stop()
        elif self.alerting:
            self._timer.start(settings.repeat_seconds * 1000)

    def new_orders(self, count: int) -> None:
        """``count`` orders were placed (the panel shows them now)."""
        if count <= 0:
            return
        self._set_alerting(True)
        self._play()
        if self.settings.sound_enabled and self.settings.repeat_seconds:
            self._timer.start(self.settings.repeat_seconds * 1000)

    def acknowledge(self) -> None:
        self._timer.stop()
        self._set_alerting(False)

    def check(self) -> None:
        """Stop alerting once no order waits to be accepted (another console took them)."""
        if self.alerting and self._waiting() == 0:
            self.acknowledge()

    def _repeat(self) -> None:
        if self._waiting() == 0:
            self.acknowledge()
            return
        self._play()

    def _play(self) -> None:
        if self.settings.sound_enabled and self._sound.play(SOUND):
            self.played += 1

    def _set_alerting(self, alerting: bool) -> None:
        if alerting != self.alerting:
            self.alerting = alerting
            self.alerting_changed.emit(alerting)
