"""Magnetic-stripe swipes (ISO/IEC 7813 tracks 1 and 2, ISO 4909 track 3).

Readers differ in what they wrap around the tracks: some append the LRC character after
``?``, report an unreadable track as ``%E?`` / ``;E?`` / ``+E?``, repeat a start sentinel,
or (as keyboard wedges) add CR/LF and get typed through a Russian layout. The parser accepts
all of that and rejects anything else with :class:`SwipeError`, whose message tells the
cashier to swipe again. Guests' loyalty cards usually hold just a number (``;123456?``).

Run ``python -m pos_app.devices.msr`` to parse raw swipes from stdin, one per line, into one
JSON object per line (a tool for installers and for tests).
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from pos_app.devices.events import ScanEvent, ScanKind
from pos_app.devices.keyboard_layout import normalize_wedge_text
from pos_app.domain.errors import DomainError

SWIPE_AGAIN = "Card not read — swipe again."

_START = {"%": 1, ";": 2, "+": 3}
_END = "?"
# Longest data (without sentinels and LRC) each track can hold.
_MAX_DATA = {1: 76, 2: 37, 3: 104}
# Track 1 is 6-bit alphanumeric (0x20-0x5F); tracks 2 and 3 are 4-bit BCD (0x30-0x3F).
_CHARSET_BASE = {1: 0x20, 2: 0x30, 3: 0x30}
_CHARSET_SIZE = {1: 64, 2: 16, 3: 16}
_FORBIDDEN = {1: "%?", 2: ";?", 3: ";?"}
_WEDGE_NOISE = str.maketrans("", "", "\r\n\t\x00\x02\x03")


class SwipeError(DomainError):
    """The swipe cannot be used; the cashier should swipe the card again."""

    code = "bad_swipe"

    def __init__(self, reason: str) -> None:
        super().__init__(SWIPE_AGAIN, reason=reason)
        self.reason = reason


@dataclass(frozen=True)
class TrackData:
    """One decoded track. ``error`` is set when the reader reported the track unreadable."""

    number: int
    data: str
    pan: str = ""
    name: str = ""
    expiry: str = ""
    service_code: str = ""
    discretionary: str = ""
    error: bool = False

    def as_dict(self) -> dict[str, Any]:
        if self.error:
            return {"error": "unreadable"}
        fields = {
            "data": self.data,
            "pan": self.pan,
            "name": self.name,
            "expiry": self.expiry,
            "service_code": self.service_code,
            "discretionary": self.discretionary,
        }
        return {key: value for key, value in fields.items() if value}


@dataclass(frozen=True)
class Swipe:
    """A parsed swipe: every track the reader sent, and the identifier the CRM looks up."""

    tracks: dict[int, TrackData]
    identifier: str
    identifier_track: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": True,
            "tracks": {str(n): t.as_dict() for n, t in sorted(self.tracks.items())},
            "identifier": self.identifier,
        }


def lrc(track: int, body: str) -> str:
    """Longitudinal redundancy check over start sentinel, data and end sentinel."""
    base, size = _CHARSET_BASE[track], _CHARSET_SIZE[track]
    start = {1: "%", 2: ";", 3: ";"}[track]
    value = 0
    for ch in start + body + _END:
        value ^= (ord(ch) - base) % size
    return chr(base + value)


def _split_tracks(text: str) -> Iterator[tuple[int, str]]:
    """Yield (track number, data) segments; raises SwipeError on anything unframed."""
    i, seen_semicolon = 0, False
    while i < len(text):
        ch = text[i]
        if ch == " ":
            i += 1
            continue
        if ch not in _START:
            raise SwipeError(f"unexpected {ch!r} outside a track")
        track = _START[ch]
        if ch == ";":
            track = 3 if seen_semicolon else 2
            seen_semicolon = True
        while i + 1 < len(text) and text[i + 1] == ch:  # repeated sentinel from a wedge
            i += 1
        end = text.find(_END, i + 1)
        if end < 0:
            raise SwipeError(f"track {track} has no end sentinel")
        body = text[i + 1 : end]
        i = end + 1
        while i < len(text) and text[i] == _END:  # doubled end sentinel
            i += 1
        i = _skip_lrc(text, i, track, body)
        yield track, body


def _skip_lrc(text: str, i: int, track: int, body: str) -> int:
    """Consume the optional LRC character after an end sentinel; verify it when present."""
    if i >= len(text):
        return i
    nxt = text[i]
    is_last_track = text.find(_END, i + 1) < 0
    if body != "E" and nxt == lrc(track, body) and (nxt not in _START or is_last_track):
        return i + 1
    if nxt in _START or nxt == " ":
        return i
    if body != "E":
        raise SwipeError(f"track {track} failed its LRC check")
    return i + 1


def _check_charset(track: int, body: str) -> None:
    if len(body) > _MAX_DATA[track]:
        raise SwipeError(f"track {track} is too long")
    base, size = _CHARSET_BASE[track], _CHARSET_SIZE[track]
    for ch in body:
        if not base <= ord(ch) < base + size or ch in _FORBIDDEN[track]:
            raise SwipeError(f"track {track} holds an invalid character {ch!r}")


def _digits(value: str, what: str) -> str:
    if value and not value.isdecimal():
        raise SwipeError(f"{what} is not numeric")
    return value


def _parse_track1(body: str) -> TrackData:
    if not body.startswith("B") or body.count("^") < 2:
        # Non-bank format: the track just carries the card's own data (often a number).
        return TrackData(1, body.strip())
    pan, name, rest = body[1:].split("^", 2)
    if not 1 <= len(pan) <= 19:
        raise SwipeError("track 1 account number has a wrong length")
    expiry = "" if rest.startswith("^") else rest[:4]
    rest = rest[1:] if rest.startswith("^") else rest[4:]
    return TrackData(
        1,
        body,
        pan=_digits(pan, "track 1 account number"),
        name=name.strip(),
        expiry=_digits(expiry, "track 1 expiry"),
        service_code=_digits(rest[:3], "track 1 service code"),
        discretionary=rest[3:],
    )


def _parse_numeric_track(track: int, body: str) -> TrackData:
    if not body:
        raise SwipeError(f"track {track} is empty")
    if "=" not in body:
        return TrackData(track, body, pan=_digits(body, f"track {track} number"))
    pan, rest = body.split("=", 1)
    if not 1 <= len(pan) <= 19:
        raise SwipeError(f"track {track} account number has a wrong length")
    if track == 3:  # ISO 4909 layout after the separator varies; keep it whole.
        return TrackData(3, body, pan=_digits(pan, "track 3 number"), discretionary=rest)
    expiry = "" if rest.startswith("=") else rest[:4]
    rest = rest[1:] if rest.startswith("=") else rest[4:]
    return TrackData(
        track,
        body,
        pan=_digits(pan, f"track {track} account number"),
        expiry=_digits(expiry, f"track {track} expiry"),
        service_code=rest[:3],
        discretionary=rest[3:],
    )


def _parse_track(track: int, body: str) -> TrackData:
    if body == "E":
        return TrackData(track, "", error=True)
    _check_charset(track, body)
    return _parse_track1(body) if track == 1 else _parse_numeric_track(track, body)


def _identifier(tracks: dict[int, TrackData]) -> tuple[str, int]:
    for number in (2, 1, 3):
        track = tracks.get(number)
        if track is None or track.error:
            continue
        value = track.pan or track.data
        if value:
            return value, number
    raise SwipeError("no readable track")


def parse_swipe(raw: str) -> Swipe:
    """Parse one raw swipe (all tracks a reader sent for one card)."""
    text = normalize_wedge_text(raw.translate(_WEDGE_NOISE)).strip()
    if not text:
        raise SwipeError("empty swipe")
    tracks: dict[int, TrackData] = {}
    for number, body in _split_tracks(text):
        if number in tracks:
            raise SwipeError(f"track {number} appears twice")
        tracks[number] = _parse_track(number, body)
    identifier, track = _identifier(tracks)
    return Swipe(tracks, identifier, track)


def looks_like_swipe(text: str) -> bool:
    """Cheap test whether wedge input is card data rather than a barcode."""
    stripped = normalize_wedge_text(text.translate(_WEDGE_NOISE)).strip()
    return len(stripped) >= 2 and stripped[0] in _START and _END in stripped


def swipe_event(raw: str, device: str) -> ScanEvent:
    """Turn a raw swipe into a ScanEvent carrying the identifier; raises SwipeError."""
    swipe = parse_swipe(raw)
    return ScanEvent(ScanKind.MSR, f"track{swipe.identifier_track}", swipe.identifier, device, raw)


def swipe_to_json(raw: str) -> str:
    """One JSON line for one raw swipe, as printed by the command-line tool."""
    try:
        payload: dict[str, Any] = parse_swipe(raw).as_dict()
    except SwipeError as exc:
        payload = {"ok": False, "error": f"{exc.message} ({exc.reason})"}
    return json.dumps(payload, ensure_ascii=False)


def run(lines: Iterable[str], out: TextIO) -> int:
    for line in lines:
        out.write(swipe_to_json(line.rstrip("\n")) + "\n")
        out.flush()
    return 0


def main(argv: list[str]) -> int:
    if argv and argv[0] in ("-h", "--help"):
        print("usage: python -m pos_app.devices.msr < swipes.txt  (one raw swipe per line)")
        return 0
    if isinstance(sys.stdin, io.TextIOWrapper):
        sys.stdin.reconfigure(errors="replace")
    return run(sys.stdin, sys.stdout)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
