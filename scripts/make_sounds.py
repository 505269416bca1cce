"""Generate the till's WAV sounds from a few numbers, so they are reproducible and reviewable.

Pure standard library (``wave`` + ``math``): 16-bit mono PCM at 22 050 Hz. Run
``python scripts/make_sounds.py [OUT_DIR]``; with no argument the files are written to
``pos_app/resources/sounds/``. Samples are rounded deterministically, so the output is
byte-identical on every machine and the committed WAVs can be checked against it.
"""

from __future__ import annotations

import io
import math
import sys
import wave
from dataclasses import dataclass
from pathlib import Path

RATE = 22_050
SAMPLE_WIDTH = 2
SOUNDS = Path(__file__).resolve().parents[1] / "pos_app" / "resources" / "sounds"
PEAK = 26_000  # below 32 767 so summed harmonics never clip
FADE_S = 0.005  # short ramps at note edges avoid clicks


@dataclass(frozen=True)
class Note:
    """One tone: frequency, length, loudness (0..1), and whether it rings out or holds."""

    freq_hz: float
    duration_s: float
    level: float = 1.0
    decay: bool = False
    square: bool = False


SOUNDS: dict[str, tuple[Note, ...]] = {
    # a rising two-tone chime that stands out in a noisy room
    "new_order": (Note(880.0, 0.16, 0.9, decay=True), Note(1318.5, 0.30, 0.9, decay=True)),
    # a short, high confirmation blip
    "scan_ok": (Note(1760.0, 0.07, 0.7),),
    # a low, rough buzz that cannot be mistaken for success
    "error": (
        Note(196.0, 0.14, 0.6, square=True),
        Note(0.0, 0.05),
        Note(196.0, 0.20, 0.6, square=True),
    ),
}


def _sample(note: Note, t: float) -> float:
    if note.freq_hz == 0.0:
        return 0.0
    phase = 2 * math.pi * note.freq_hz * t
    if note.square:  # odd harmonics 1, 3, 5: buzzy but band-limited
        wave_value = sum(math.sin(k * phase) / k for k in (1, 3, 5)) * 0.8
    else:
        wave_value = math.sin(phase)
    envelope = math.exp(-4.0 * t / note.duration_s) if note.decay else 1.0
    fade = min(1.0, t / FADE_S, (note.duration_s - t) / FADE_S)
    return wave_value * envelope * max(0.0, fade) * note.level


def render_frames(notes: tuple[Note, ...]) -> bytes:
    """Little-endian 16-bit samples of the notes played one after another."""
    out = bytearray()
    for note in notes:
        count = round(note.duration_s * RATE)
        for i in range(count):
            value = round(_sample(note, i / RATE) * PEAK)
            out += max(-32_768, min(32_767, value)).to_bytes(2, "little", signed=True)
    return bytes(out)


def render_wav(name: str) -> bytes:
    """The complete WAV file for one sound name."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(SAMPLE_WIDTH)
        writer.setframerate(RATE)
        writer.writeframes(render_frames(SOUNDS[name]))
    return buffer.getvalue()


def expected_duration_s(name: str) -> float:
    return sum(round(n.duration_s * RATE) for n in SOUNDS[name]) / RATE


def main(argv: list[str]) -> int:
    out_dir = Path(argv[0]) if argv else SOUNDS
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in SOUNDS:
        path = out_dir / f"{name}.wav"
        path.write_bytes(render_wav(name))
        print(f"{path} ({path.stat().st_size} bytes, {expected_duration_s(name):.3f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
