"""``guest.created`` and ``identifier.bound``: a guest made at a till and the card or code
bound to them. The server normalises the phone and the identifier by the domain's rules
(``pos_app.domain.phones``, ``pos_app.domain.identifiers``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from pos_app.domain.identifiers import InputMethod, Medium
from pos_app.domain.operations.codec import ENTITY_ID, NAME, Choice, Operation, Optional, Str, spec

GUEST_CREATED = "guest.created"
IDENTIFIER_BOUND = "identifier.bound"


PHONE = Optional(Str(0, 32, strip=True))


@dataclass(frozen=True, slots=True, kw_only=True)
class GuestCreated(Operation):
    KIND: ClassVar[str] = GUEST_CREATED
    guest_id: str = spec(ENTITY_ID)
    name: str = spec(NAME)
    phone: str | None = spec(PHONE, None)


@dataclass(frozen=True, slots=True, kw_only=True)
class IdentifierBound(Operation):
    KIND: ClassVar[str] = IDENTIFIER_BOUND
    guest_id: str = spec(ENTITY_ID)
    medium: Medium = spec(Choice(Medium))
    method: InputMethod = spec(Choice(InputMethod))
    value: str = spec(Str(1, 128, strip=True))
    staff_id: str | None = spec(Optional(ENTITY_ID), None)  # who added it (the guest card)
