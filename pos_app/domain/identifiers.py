"""Guest identifiers: (medium, input method, value), with the value normalised once.

The same rule runs before storing and before lookup, so a card swiped today and typed by hand
tomorrow finds the same guest. Rules (defined only here):

- every method: all whitespace removed (outer and inner), letters upper-cased (lookup is
  case-insensitive); empty results and control or invisible (format) characters are refused;
- magnetic stripe (ISO 7813): start/end sentinels (``%``, ``;``, ``?``) and whatever follows
  the end sentinel (the LRC character) are dropped; track 2 is preferred when present, else
  track 1, else the raw data (a reader configured to send no sentinels); of that track, a
  format-code ``B`` (track 1) is dropped and the value is the data before the first field
  separator (``=`` or ``^``), i.e. the card number / PAN.

The result never contains whitespace, sentinels or field separators, so normalising a stored
value again gives the same value (the same card typed by hand later still matches).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from pos_app.domain.errors import DomainError


class Medium(StrEnum):
    CARD = "card"
    GUEST_APP = "guest_app"
    WHITE_LABEL_APP = "white_label_app"


class InputMethod(StrEnum):
    MSR = "msr"
    BARCODE = "barcode"
    MANUAL = "manual"


class InvalidIdentifier(DomainError):
    code = "invalid_identifier"


class IdentifierTaken(DomainError):
    code = "identifier_taken"


_WHITESPACE_RE = re.compile(r"\s+")
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co"})  # control, format, surrogate, private
_TRACK2_RE = re.compile(r";([^;?%]*)(?:\?|$)")
_TRACK1_RE = re.compile(r"%([^;?%]*)(?:\?|$)")
_FIELD_SEPARATOR_RE = re.compile(r"[=^]")
_SENTINELS = "%;?"


def _stripe_track(data: str) -> str:
    """The data of the preferred track (2, then 1), without sentinels and LRC."""
    for track_re in (_TRACK2_RE, _TRACK1_RE):
        found = track_re.search(data)
        if found and found.group(1):
            return found.group(1)
    bare = data.lstrip(_SENTINELS).split("?", 1)[0]
    return "".join(ch for ch in bare if ch not in _SENTINELS)


def _stripe_value(data: str) -> str:
    """The identifying part of stripe data (already upper-cased, whitespace-free)."""
    track = _stripe_track(data)
    if track.startswith("B") and "^" in track:
        track = track[1:]  # ISO 7813 track 1 format code
    return _FIELD_SEPARATOR_RE.split(track, maxsplit=1)[0]


def normalise_identifier(method: InputMethod, raw: str) -> str:
    """The stored/looked-up form of ``raw`` read by ``method``; raises InvalidIdentifier."""
    compact = _WHITESPACE_RE.sub("", raw)
    if any(unicodedata.category(ch) in _INVISIBLE_CATEGORIES for ch in compact):
        raise InvalidIdentifier(
            "The identifier contains control characters; scan or type it again.", method=method
        )
    value = compact.upper()
    if method is InputMethod.MSR:
        value = _stripe_value(value)
    if not value:
        raise InvalidIdentifier("The identifier is empty; scan or type it again.", method=method)
    return value


@dataclass(frozen=True, slots=True)
class Identifier:
    """A guest's card or app token as read at the till; ``value`` is normalised."""

    medium: Medium
    method: InputMethod
    value: str

    def __post_init__(self) -> None:
        if normalise_identifier(self.method, self.value) != self.value:
            raise InvalidIdentifier(
                "The identifier is not in its normal form; read it with Identifier.read.",
                method=self.method,
            )

    @classmethod
    def read(cls, medium: Medium, method: InputMethod, raw: str) -> Identifier:
        return cls(medium, method, normalise_identifier(method, raw))


class IdentifierIndex:
    """Which guest each identifier value belongs to: one value, at most one guest."""

    def __init__(self) -> None:
        self._owner: dict[str, str] = {}

    def assign(self, identifier: Identifier, guest_id: str) -> None:
        """Bind ``identifier`` to ``guest_id``; again for the same guest is a no-op."""
        owner = self._owner.get(identifier.value)
        if owner is not None and owner != guest_id:
            raise IdentifierTaken(
                "This card or code already belongs to another guest.", value=identifier.value
            )
        self._owner[identifier.value] = guest_id

    def release(self, value: str, guest_id: str) -> bool:
        """Unbind a value from ``guest_id``; False when it was not theirs."""
        if self._owner.get(value) != guest_id:
            return False
        del self._owner[value]
        return True

    def guest_for(self, method: InputMethod, raw: str) -> str | None:
        """The guest identified by ``raw`` as read by ``method``, if any."""
        return self._owner.get(normalise_identifier(method, raw))

    def __len__(self) -> int:
        return len(self._owner)
