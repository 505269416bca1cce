"""What the till screen needs from the rest of the app, as small Protocols and plain data.

The composition root (``pos_app.commands.till_app``) hands the window objects that satisfy
these; the window never knows whether they talk to SQLite or to a test double.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from pos_app.domain.catalog import Product


class SignedInStaff(Protocol):
    """``pos_app.services.staff.StaffSession`` as the screen reads it."""

    @property
    def staff_id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def role(self) -> str: ...


class StaffAuth(Protocol):
    def sign_in(self, pin: str) -> SignedInStaff:
        """The staff member whose PIN this is; raises a ``DomainError`` for a wrong PIN."""
        ...


@dataclass(frozen=True, slots=True)
class CatalogueGroup:
    group_id: str
    name: str
    products: tuple[Product, ...]


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The products the till sells, by group, in the order the tiles show them."""

    groups: tuple[CatalogueGroup, ...] = ()

    def search(self, text: str, limit: int = 60) -> list[Product]:
        """Products whose name contains ``text`` or whose id/barcode starts with it."""
        needle = text.strip().casefold()
        if not needle:
            return []
        found = [
            p
            for g in self.groups
            for p in g.products
            if needle in p.name.casefold()
            or p.id.casefold().startswith(needle)
            or (p.barcode or "").startswith(needle)
        ]
        return found[:limit]


class CatalogueSource(Protocol):
    def load(self) -> Catalogue: ...


@dataclass(frozen=True)
class TillExtras:
    """Optional collaborators; a missing one hides its feature instead of faking it."""

    idle_flush: Callable[[], object] | None = None  # store flush of open sales (op thread)
    promo_prefixes: Sequence[str] = field(default_factory=tuple)
