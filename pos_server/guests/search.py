"""The guest list's search (issue 18 point 2, ``/admin/guests?q=``): by name, phone, e-mail
or card, each matched from its start (``uow.guest_search``, index-backed prefix matches).

What was typed is read every way it could be meant: the name's start (case-insensitive), an
e-mail's start, a phone's digits (``8 912…``, ``+7 912…`` or ``912…`` all find ``+7912…``),
a card or app code's start (as the tills store them: upper case, no spaces). An empty query
lists the first guests by name. On SQLite, ``lower()`` folds ASCII letters only, so a
Cyrillic name is found case-insensitively on PostgreSQL and as typed on SQLite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pos_server.uow import UnitOfWork

MAX_LIMIT = 200
_PHONE_CHARS = re.compile(r"^\+?[\d\s()\-]+$")


@dataclass(frozen=True, slots=True)
class GuestHit:
    guest_id: str
    name: str
    phone: str | None


def contact_prefixes(query: str) -> list[str]:
    """The stored forms (lower case) a contact starting with ``query`` would have."""
    lowered = query.strip().lower()
    prefixes = [lowered]
    if _PHONE_CHARS.match(lowered):
        digits = re.sub(r"\D", "", lowered)
        if len(digits) >= 3:
            prefixes.append(f"+{digits}")
            prefixes.append(f"+7{digits}")
            if digits[0] == "8":
                prefixes.append(f"+7{digits[1:]}")
    return sorted(set(prefixes))


def search_guests(uow: UnitOfWork, query: str, limit: int = 50) -> list[GuestHit]:
    """At most ``limit`` guests matching ``query``, by name."""
    limit = max(1, min(limit, MAX_LIMIT))
    typed = " ".join(query.split())
    if not typed:
        rows = uow.guest_search.first_by_name(limit)
    else:
        card = "".join(query.split()).upper()
        names = sorted({typed.lower(), typed})  # as typed too: SQLite's lower() is ASCII's
        rows = uow.guest_search.find(names, contact_prefixes(query), [card], limit)
    return [GuestHit(row.id, row.name, row.phone) for row in rows]
