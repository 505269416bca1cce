"""The back office's guest list search (issue 18 point 2): guests whose name, a contact (phone
or e-mail), the primary phone or a card/app identifier starts with what was typed, by name,
a page after a keyset cursor. Every branch is a prefix match on an index of migrations 0027 and
0028 (PostgreSQL: ``*_pattern_ops``) read in the name index's order, so a page over 100 000
guests reads a few index pages, not the tables (``python -m bench backoffice``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    String,
    any_,
    func,
    literal,
    or_,
    select,
    text,
    union,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY

from pos_server.db.models import Guest, GuestIdentifier
from pos_server.db.models_guest_card import GuestContactRow
from pos_server.uow import Repository

# what a row of the list carries from ``guests`` (emails and cards: ``emails_of``, ``cards_of``)
_COLUMNS = (Guest.id, Guest.name, Guest.phone, Guest.created_at)
# a contact, phone or card prefix matching at most this many rows is read off its index first
FEW = 1_000


def _prefix(text: str) -> str:
    """``text%`` for LIKE with ``\\`` escaping ``%``, ``_`` and itself."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%"


def _starts(column: Any, prefixes: Sequence[str]) -> ColumnElement[bool]:
    return or_(*(column.like(_prefix(p), escape="\\") for p in prefixes))


class GuestSearch(Repository):
    """``uow.guest_search``."""

    __slots__ = ()

    def find(self, names: Sequence[str], contacts: Sequence[str], cards: Sequence[str],
             limit: int, after: str | None = None) -> Sequence[Row[Any]]:  # fmt: skip
        """At most ``limit`` guests (id, name, phone, created_at) by name after the guest
        ``after``: ``lower(name)`` starting with one of ``names``, a contact or the primary
        phone starting with one of ``contacts`` (lower case) or an identifier starting with
        one of ``cards`` (as stored, upper case). Each branch takes its own first ``limit``
        by name, so the union's first ``limit`` are the matches' first."""
        if self._connection.dialect.name == "postgresql":
            names = [n for n in names if n == n.lower()] or list(names)  # lower() folds all
            # LIKE 'abc%' reads an index range only when planned for that very 'abc': a
            # statement the driver has prepared (run 5 times) may get a generic plan, which
            # scans (phone search p50 11 -> 130 ms); this transaction plans each one anew
            self._connection.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
        cursor = self._cursor(after)
        # each branch carries the row and its sort key, so the union needs no join back
        row = select(*_COLUMNS, func.lower(Guest.name).label("sort_name"))
        matches = [_starts(func.lower(Guest.name), names)]
        others: list[Select[Any]] = []  # guest ids by a contact, the primary phone, a card
        if contacts:
            others.append(select(GuestContactRow.guest_id.label("guest_id")).where(
                _starts(func.lower(GuestContactRow.value), contacts)))  # fmt: skip
            others.append(select(Guest.id.label("guest_id")).where(
                _starts(Guest.phone, contacts)))  # fmt: skip
        if cards:
            others.append(select(GuestIdentifier.guest_id.label("guest_id")).where(
                _starts(GuestIdentifier.value, cards)))  # fmt: skip
        if others:
            few, many = self._few_or_many(others)
            if few:
                matches.append(self._one_of(sorted(few)))
            matches += [Guest.id.in_(other) for other in many]  # a semi-join each
        branches = [self._page(row.where(match), cursor, limit).subquery().select()
                    for match in matches]  # fmt: skip
        found = union(*branches).subquery()
        by_name = (text("sort_name USING ~<~") if self._connection.dialect.name == "postgresql"
                   else found.c.sort_name)  # fmt: skip
        query = (select(found.c.id, found.c.name, found.c.phone, found.c.created_at)
                 .order_by(by_name, found.c.id).limit(limit))  # fmt: skip
        return self._connection.execute(query).all()

    def _few_or_many(self, others: list[Select[Any]]) -> tuple[set[str], list[Select[Any]]]:
        """The guest ids of the branches with at most ``FEW`` matches (read off their prefix
        index in one query), and the other branches. PostgreSQL misjudges how many rows a
        prefix matches (a card prefix of 100 guests taken for 1 000), and may then walk the
        name index testing every guest (58 000 of them, 120 ms); a few matches read first
        cost a primary key look-up each, and many matches are dense enough for that walk."""
        counted = [
            select(literal(n).label("branch"), sub.c.guest_id)
            for n, sub in enumerate(o.limit(FEW + 1).subquery() for o in others)
        ]
        found: dict[int, set[str]] = {n: set() for n in range(len(others))}
        hits: dict[int, int] = dict.fromkeys(found, 0)
        for branch, guest_id in self._connection.execute(union_all(*counted)).all():
            found[branch].add(guest_id)
            hits[branch] += 1
        few = {gid for n, ids in found.items() if hits[n] <= FEW for gid in ids}
        return few, [others[n] for n in found if hits[n] > FEW]

    def _one_of(self, guest_ids: list[str]) -> ColumnElement[bool]:
        """``guests.id`` among ``guest_ids``: on PostgreSQL one array parameter, not a
        thousand placeholders for the driver to bind and the server to parse."""
        if self._connection.dialect.name == "postgresql":
            return Guest.id == any_(literal(guest_ids, type_=ARRAY(String)))
        return Guest.id.in_(guest_ids)

    def first_by_name(self, limit: int, after: str | None = None) -> Sequence[Row[Any]]:
        """The first ``limit`` guests (id, name, phone, created_at) by name after the guest
        ``after``: the list before a search."""
        query = self._page(select(*_COLUMNS), self._cursor(after), limit)
        return self._connection.execute(query).all()

    def emails_of(self, guest_ids: Sequence[str]) -> dict[str, list[str]]:
        """The guests' e-mails, in their card's order (one query for a page)."""
        rows = self._connection.execute(
            select(GuestContactRow.guest_id, GuestContactRow.value)
            .where(GuestContactRow.guest_id.in_(guest_ids), GuestContactRow.type == "email")
            .order_by(GuestContactRow.guest_id, GuestContactRow.position))  # fmt: skip
        found: dict[str, list[str]] = {}
        for guest_id, value in rows:
            found.setdefault(guest_id, []).append(value)
        return found

    def cards_of(self, guest_ids: Sequence[str]) -> dict[str, list[str]]:
        """The guests' identifiers not blocked, oldest first (one query for a page)."""
        rows = self._connection.execute(
            select(GuestIdentifier.guest_id, GuestIdentifier.value)
            .where(GuestIdentifier.guest_id.in_(guest_ids), GuestIdentifier.blocked_at.is_(None))
            .order_by(GuestIdentifier.guest_id, GuestIdentifier.id))  # fmt: skip
        found: dict[str, list[str]] = {}
        for guest_id, value in rows:
            found.setdefault(guest_id, []).append(value)
        return found

    def by_id(self, guest_id: str) -> Row[Any] | None:
        """One guest (id, name, phone) by primary key: the benchmark's baseline."""
        query = select(Guest.id, Guest.name, Guest.phone).where(Guest.id == guest_id)
        return self._connection.execute(query).first()

    def _cursor(self, after: str | None) -> tuple[str, str] | None:
        """The keyset of the guest ``after`` (its ``lower(name)`` as the database folds it,
        and id); None: no cursor, or a guest that is no more (the list starts over)."""
        if after is None:
            return None
        query = select(func.lower(Guest.name), Guest.id).where(Guest.id == after)
        row = self._connection.execute(query).first()
        return None if row is None else (row[0], row[1])

    def _page(self, query: Select[Any], cursor: tuple[str, str] | None,
              limit: int) -> Select[Any]:  # fmt: skip
        """``query`` (over ``guests``) after ``cursor``, its first ``limit`` by name."""
        if cursor is not None:
            name, guest_id = cursor
            lowered = func.lower(Guest.name)
            at_or_past: ColumnElement[bool]
            past: ColumnElement[bool]
            if self._connection.dialect.name == "postgresql":  # the pattern index's operators
                at_or_past, past = lowered.op("~>=~")(name), lowered.op("~>~")(name)
            else:
                at_or_past, past = lowered >= name, lowered > name
            query = query.where(at_or_past, or_(past, Guest.id > guest_id))
        return query.order_by(*self._name_order()).limit(limit)

    def _name_order(self) -> list[Any]:
        """By ``lower(name)``, then id; on PostgreSQL in the pattern index's (byte) order, so a
        prefix match or a keyset page reads its first ``limit`` rows off
        ``ix_guests_name_pattern`` with no sort of every match, and the cursor's ``~>~`` is
        the very order the pages are read in."""
        if self._connection.dialect.name == "postgresql":
            return [text("lower(guests.name) USING ~<~"), Guest.id]
        return [func.lower(Guest.name), Guest.id]


__all__ = ["GuestSearch"]
