"""The guest list's search (issue 18 point 2, ``/admin/guests?q=`` and its CSV): by name,
phone, e-mail or card, each matched from its START (``uow.guest_search``, index-backed prefix
matches), by name, a page at a time after a keyset cursor.

What was typed is read every way it could be meant: the name's start (case-insensitive), an
e-mail's start, a phone's digits (``8 912…``, ``+7 912…`` or ``912…`` all find ``+7912…``, as a
contact or as the guest's primary phone), a card or app code's start (as the tills store them:
upper case, no spaces). An empty query lists the guests by name. On SQLite, ``lower()`` folds
ASCII letters only, so a Cyrillic name is found case-insensitively on PostgreSQL and as typed
on SQLite. A word inside a name (a surname after the first name) is not matched: that would be
a substring search, a scan of every guest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pos_server.uow import UnitOfWork

MAX_LIMIT = 1_000
_PHONE_CHARS = re.compile(r"^\+?[\d\s()\-]+$")


@dataclass(frozen=True, slots=True)
class GuestListed:
    """One row of the back office's guest list (and its CSV)."""

    guest_id: str
    name: str
    phone: str | None
    emails: tuple[str, ...]
    cards: tuple[str, ...]
    created_at: datetime


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


def search_guests(uow: UnitOfWork, query: str, after: str | None = None,
                  limit: int = 50) -> list[GuestListed]:  # fmt: skip
    """At most ``limit`` guests matching ``query``, by name, after the guest ``after`` (keyset:
    a page costs the same however deep; an unknown ``after`` starts over), with their e-mails
    and cards (two queries for the whole page, not one a row)."""
    limit = max(1, min(limit, MAX_LIMIT))
    search = uow.guest_search
    typed = " ".join(query.split())
    if not typed:
        rows = search.first_by_name(limit, after)
    else:
        card = "".join(query.split()).upper()
        names = sorted({typed.lower(), typed})  # as typed too: SQLite's lower() is ASCII's
        rows = search.find(names, contact_prefixes(query), [card], limit, after)
    ids = [row.id for row in rows]
    emails, cards = (search.emails_of(ids), search.cards_of(ids)) if ids else ({}, {})
    return [GuestListed(row.id, row.name, row.phone, tuple(emails.get(row.id, ())),
                        tuple(cards.get(row.id, ())), row.created_at)
            for row in rows]  # fmt: skip
