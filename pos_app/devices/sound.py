"""Till sounds: QtMultimedia when it works, a terminal bell when it does not.

A missing audio device or a build without QtMultimedia must never stop a sale, so the Qt
player switches itself to the bell the first time any sound fails to load, and says so once
in the log. Settings (on/off, volume) are per terminal and plain data, stored elsewhere.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TextIO

from pos_app.resources import sounds_dir

log = logging.getLogger(__name__)

SOUND_NAMES: tuple[str, ...] = ("error", "new_order", "scan_ok")
"""The sounds the app may ask for; each is ``pos_app/resources/sounds/<name>.wav``."""


def sound_path(name: str, directory: Path | None = None) -> Path:
    """The WAV file of a known sound; an unknown name is a programming error."""
    check_sound_name(name)
    return (directory or sounds_dir()) / f"{name}.wav"


def check_sound_name(name: str) -> str:
    if name not in SOUND_NAMES:
        raise ValueError(f"unknown sound {name!r}; known sounds: {', '.join(SOUND_NAMES)}")
    return name


@dataclass(frozen=True)
class SoundSettings:
    """Per-terminal sound settings: ``volume`` is a 0..100 slider value."""

    enabled: bool = True
    volume: int = 80

    def __post_init__(self) -> None:
        if isinstance(self.volume, bool) or not isinstance(self.volume, int):
            raise ValueError(f"sound volume must be an integer 0..100, got {self.volume!r}")
        if not 0 <= self.volume <= 100:
            raise ValueError(f"sound volume must be between 0 and 100, got {self.volume}")

    @property
    def linear_volume(self) -> float:
        """The slider value as QSoundEffect wants it: 0.0 (silent) .. 1.0 (full)."""
        return self.volume / 100

    @property
    def audible(self) -> bool:
        return self.enabled and self.volume > 0


class SoundPlayer(Protocol):
    """What the UI uses; ``play`` says whether a sound was started (False when muted)."""

    @property
    def backend(self) -> str: ...

    @property
    def settings(self) -> SoundSettings: ...

    def apply(self, settings: SoundSettings) -> None: ...

    def play(self, name: str) -> bool: ...


class BeepPlayer:
    """Fallback: the terminal bell (``\\a``) on stderr; every sound is the same beep."""

    backend = "beep"

    def __init__(self, settings: SoundSettings, stream: TextIO | None = None) -> None:
        self._settings = settings
        self._stream = stream

    @property
    def settings(self) -> SoundSettings:
        return self._settings

    def apply(self, settings: SoundSettings) -> None:
        self._settings = settings

    def play(self, name: str) -> bool:
        check_sound_name(name)
        if not self._settings.audible:
            return False
        stream = self._stream or sys.stderr  # looked up late: stderr may be replaced
        try:
            stream.write("\a")
            stream.flush()
        except (OSError, ValueError):  # closed or detached stderr: stay silent, keep selling
            return False
        return True


def create_sound_player(
    settings: SoundSettings,
    directory: Path | None = None,
    stream: TextIO | None = None,
) -> SoundPlayer:
    """The Qt player if QtMultimedia imports, else the bell with one logged warning.

    Call it on the GUI thread with a Q(Gui)Application alive: QSoundEffect loads and plays
    through that thread's event loop.
    """
    try:
        from pos_app.devices.sound_qt import QtSoundPlayer
    except ImportError as exc:
        log.warning("QtMultimedia is unavailable (%s); sounds fall back to the terminal bell", exc)
        return BeepPlayer(settings, stream)
    return QtSoundPlayer(settings, directory, stream)

