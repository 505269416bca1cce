"""Guest identifiers: (medium, input method, value), with the value normalised once.

The same rule runs before storing and before lookup, so a card swiped today and typed by hand
tomorrow finds the same guest. Rules (defined only here):

- every method: surrounding whitespace trimmed, result upper-cased, inner whitespace removed;
  empty results and control characters are refused;
- magnetic stripe (ISO 7813): start/end sentinels (``%``, ``;``, ``?``) and the LRC character
  after the end sentinel are dropped; track 2 is preferred when present and its PAN (data
  before ``=``) is the value; a track 1 of format ``B`` gives its PAN (before ``^``); other
  stripe data gives the data between the sentinels, cut at a field separator ``=``.
"""

from __future__ import annotations

import re
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
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_TRACK2_RE = re.compile(r";([^;?%]*)(?:\?|$)")
_TRACK1_RE = re.compile(r"%([^;?%]*)(?:\?|$)")
_SENTINELS = "%;?"


def _stripe_value(data: str) -> str:
    """The identifying part of stripe data (already upper-cased, whitespace-free)."""
    track2 = _TRACK2_RE.search(data)
    if track2 and track2.group(1):
        return track2.group(1).split("=", 1)[0]
    track1 = _TRACK1_RE.search(data)
    content = track1.group(1) if track1 and track1.group(1) else data.strip(_SENTINELS)
    content = "".join(ch for ch in content if ch not in _SENTINELS)
    if content.startswith("B") and "^" in content:
        return content[1:].split("^", 1)[0]
    return content.split("=", 1)[0]


def normalise_identifier(method: InputMethod, raw: str) -> str:
    """The stored/looked-up form of ``raw`` read by ``method``; raises InvalidIdentifier."""
    text = raw.strip()
    if _CONTROL_RE.search(text):
        raise InvalidIdentifier(
            "The identifier contains control characters; scan or type it again.", method=method
        )
    value = _WHITESPACE_RE.sub("", text).upper()
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
                "This card or code already belongs to another guest.",
                value=identifier.value,
                guest_id=owner,
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
