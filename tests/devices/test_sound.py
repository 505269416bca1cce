"""Sound: the committed WAVs, the settings, the Qt player and its fallback to the bell."""

from __future__ import annotations

import importlib.util
import io
import logging
import os
import subprocess
import sys
import wave
from array import array
from pathlib import Path
from types import ModuleType

import pytest

from pos_app.devices.sound import (
    SOUND_NAMES,
    BeepPlayer,
    SoundSettings,
    create_sound_player,
    sound_path,
    sounds_dir,
)

REPO = Path(__file__).resolve().parents[2]
GENERATOR = REPO / "scripts" / "make_sounds.py"
LOAD_TIMEOUT_MS = 5_000


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_sounds", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_sounds"] = module  # dataclasses look the module up by name
    spec.loader.exec_module(module)
    return module


# --- the WAV files -------------------------------------------------------------------------


@pytest.mark.parametrize("name", SOUND_NAMES)
def test_committed_wav_is_short_16bit_mono_22050(name: str) -> None:
    gen = _generator()
    path = sound_path(name)
    assert path.parent == sounds_dir()
    assert path.stat().st_size < 50_000
    with wave.open(str(path), "rb") as reader:
        assert (reader.getnchannels(), reader.getsampwidth(), reader.getframerate()) == (
            1,
            2,
            22_050,
        )
        frames = reader.getnframes()
        samples = array("h", reader.readframes(frames))
    assert frames / 22_050 == pytest.approx(gen.expected_duration_s(name))
    assert 0.05 <= frames / 22_050 <= 1.0
    assert max(abs(s) for s in samples) > 10_000, "a sound must be audible, not silence"


def test_generator_reproduces_committed_files_byte_for_byte(tmp_path: Path) -> None:
    gen = _generator()
    assert set(gen.SOUNDS) == set(SOUND_NAMES)
    result = subprocess.run(
        [sys.executable, str(GENERATOR), str(tmp_path)], capture_output=True, text=True, check=True
    )
    assert result.stdout.count(".wav") == len(SOUND_NAMES)
    for name in SOUND_NAMES:
        assert (tmp_path / f"{name}.wav").read_bytes() == sound_path(name).read_bytes(), name


def test_sounds_are_distinct() -> None:
    contents = {sound_path(name).read_bytes() for name in SOUND_NAMES}
    assert len(contents) == len(SOUND_NAMES)


# --- settings and names --------------------------------------------------------------------


@pytest.mark.parametrize(("volume", "linear"), [(0, 0.0), (55, 0.55), (100, 1.0)])
def test_volume_maps_to_zero_one(volume: int, linear: float) -> None:
    assert SoundSettings(volume=volume).linear_volume == pytest.approx(linear)


@pytest.mark.parametrize("bad", [-1, 101, True, 50.0, "80"])
def test_bad_volume_is_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="volume"):
        SoundSettings(volume=bad)  # type: ignore[arg-type]


def test_unknown_sound_name_lists_known_ones() -> None:
    player = BeepPlayer(SoundSettings(), io.StringIO())
    with pytest.raises(ValueError, match=r"'ding'.*error, new_order, scan_ok"):
        player.play("ding")


# --- the bell ------------------------------------------------------------------------------


def test_bell_beeps_when_enabled_and_not_when_muted() -> None:
    out = io.StringIO()
    player = BeepPlayer(SoundSettings(enabled=True, volume=30), out)
    assert player.play("scan_ok") is True
    assert out.getvalue() == "\a"
    player.apply(SoundSettings(enabled=False, volume=30))
    assert player.play("scan_ok") is False
    player.apply(SoundSettings(enabled=True, volume=0))
    assert player.play("error") is False
    assert out.getvalue() == "\a"


# --- the Qt player -------------------------------------------------------------------------


def _wait_loaded(qtbot, player) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtMultimedia import QSoundEffect

    done = (QSoundEffect.Status.Ready, QSoundEffect.Status.Error)
    qtbot.waitUntil(
        lambda: all(e.status() in done for e in player.effects.values()), timeout=LOAD_TIMEOUT_MS
    )


def _warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [
        r
        for r in caplog.records
        if r.name == "pos_app.devices.sound" and r.levelno == logging.WARNING
    ]


def test_qt_player_loads_all_sounds_or_falls_back_with_one_warning(
    qtbot, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtMultimedia import QSoundEffect

    out = io.StringIO()
    with caplog.at_level(logging.WARNING, logger="pos_app.devices.sound"):
        player = create_sound_player(SoundSettings(volume=40), stream=out)
        assert type(player).__name__ == "QtSoundPlayer"
        _wait_loaded(qtbot, player)
    assert all(e.volume() == pytest.approx(0.4) for e in player.effects.values())
    statuses = {e.status() for e in player.effects.values()}
    if QSoundEffect.Status.Error in statuses:  # headless box without an audio device
        assert player.backend == "beep"
        assert len(_warnings(caplog)) == 1
        assert player.play("new_order") is True
        assert out.getvalue() == "\a"
    else:
        assert player.backend == "qt"
        assert _warnings(caplog) == []
        assert player.play("scan_ok") is True
        qtbot.waitUntil(player.effects["scan_ok"].isPlaying, timeout=LOAD_TIMEOUT_MS)
        assert out.getvalue() == ""


def test_qt_player_falls_back_on_unreadable_wav(
    qtbot, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    for name in SOUND_NAMES:
        (tmp_path / f"{name}.wav").write_bytes(b"RIFF not really a wave file")
    out = io.StringIO()
    with caplog.at_level(logging.WARNING, logger="pos_app.devices.sound"):
        player = create_sound_player(SoundSettings(), directory=tmp_path, stream=out)
        assert player.play("error") is True  # requested while still loading
        _wait_loaded(qtbot, player)
    assert player.backend == "beep"
    assert len(_warnings(caplog)) == 1, "one warning however many sounds fail"
    assert out.getvalue() == "\a", "the sound asked for while loading still beeps"
    player.play("scan_ok")
    assert out.getvalue() == "\a\a"


def test_qt_player_disabled_plays_nothing(qtbot) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    player = create_sound_player(SoundSettings(enabled=False), stream=out)
    _wait_loaded(qtbot, player)
    for name in SOUND_NAMES:
        assert player.play(name) is False
    qtbot.wait(50)
    assert out.getvalue() == ""
    assert not any(e.isPlaying() for e in player.effects.values())


def test_qt_player_apply_changes_every_volume(qtbot) -> None:  # type: ignore[no-untyped-def]
    player = create_sound_player(SoundSettings(volume=100), stream=io.StringIO())
    player.apply(SoundSettings(volume=25))
    assert player.settings.volume == 25
    assert [e.volume() for e in player.effects.values()] == pytest.approx([0.25] * 3)
    with pytest.raises(ValueError, match="known sounds"):
        player.play("chime")


def test_without_qtmultimedia_the_bell_is_used_with_one_warning() -> None:
    script = (
        "import io, sys\n"
        "sys.modules['PySide6.QtMultimedia'] = None\n"
        "from pos_app.devices.sound import SoundSettings, create_sound_player\n"
        "p = create_sound_player(SoundSettings())\n"
        "q = create_sound_player(SoundSettings(enabled=False))\n"
        "print(p.backend, q.backend, p.play('new_order'), q.play('new_order'))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["beep", "beep", "True", "False"]
    assert result.stderr.count("\a") == 1
    assert result.stderr.count("QtMultimedia is unavailable") == 2  # one per player created
