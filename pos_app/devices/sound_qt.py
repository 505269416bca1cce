"""QSoundEffect-backed player: one effect per sound, loaded once, played on the GUI thread.

Importing this module fails with ImportError where QtMultimedia is missing; ``sound.py``
catches that. A sound that fails to load (no audio device, unreadable file) switches the
whole player to the terminal bell, with one warning, so the till never goes silent by surprise.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TextIO

from PySide6.QtCore import QObject, QUrl, Signal, Slot
from PySide6.QtMultimedia import QSoundEffect

from pos_app.devices.sound import (
    SOUND_NAMES,
    BeepPlayer,
    SoundSettings,
    check_sound_name,
    sound_path,
)

log = logging.getLogger("pos_app.devices.sound")


class QtSoundPlayer(QObject):
    """Plays the app's WAVs through QtMultimedia; thread-safe ``play`` via a queued signal."""

    _play_requested = Signal(str)

    def __init__(
        self,
        settings: SoundSettings,
        directory: Path | None = None,
        stream: TextIO | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._bell = BeepPlayer(settings, stream)
        self._fallback_reason: str | None = None
        self._pending: set[str] = set()
        self._effects = {name: self._load(name, directory) for name in SOUND_NAMES}
        self._play_requested.connect(self._play_now)  # queued when emitted off the GUI thread

    def _load(self, name: str, directory: Path | None) -> QSoundEffect:
        effect = QSoundEffect(self)
        effect.setVolume(self._settings.linear_volume)
        effect.statusChanged.connect(lambda: self._on_status(name, effect))
        effect.setSource(QUrl.fromLocalFile(str(sound_path(name, directory))))
        return effect

    @property
    def backend(self) -> str:
        return "beep" if self._fallback_reason is not None else "qt"

    @property
    def fallback_reason(self) -> str | None:
        return self._fallback_reason

    @property
    def settings(self) -> SoundSettings:
        return self._settings

    @property
    def effects(self) -> Mapping[str, QSoundEffect]:
        """Read-only view, for a diagnostics screen (status of each sound)."""
        return MappingProxyType(self._effects)

    def apply(self, settings: SoundSettings) -> None:
        self._settings = settings
        self._bell.apply(settings)
        for effect in self._effects.values():
            effect.setVolume(settings.linear_volume)

    def play(self, name: str) -> bool:
        check_sound_name(name)
        if not self._settings.audible:
            return False
        self._play_requested.emit(name)
        return True

    @Slot(str)
    def _play_now(self, name: str) -> None:
        if self._fallback_reason is not None:
            self._bell.play(name)
            return
        effect = self._effects[name]
        if effect.status() == QSoundEffect.Status.Loading:
            self._pending.add(name)  # Qt plays it once loaded; the bell does if loading fails
        effect.play()

    def _on_status(self, name: str, effect: QSoundEffect) -> None:
        status = effect.status()  # may arrive inside setSource, before __init__ ends
        if status == QSoundEffect.Status.Ready:
            self._pending.discard(name)
        elif status == QSoundEffect.Status.Error:
            self._fall_back(f"sound {name!r} could not be loaded or played")
            if name in self._pending:
                self._pending.discard(name)
                self._bell.play(name)

    def _fall_back(self, reason: str) -> None:
        if self._fallback_reason is not None:
            return
        self._fallback_reason = reason
        log.warning("%s (no audio device?); sounds fall back to the terminal bell", reason)
