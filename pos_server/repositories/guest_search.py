"""The back office's guest list search (issue 18 point 2): guests whose name, a contact (phone
or e-mail) or a card/app identifier starts with what was typed. Every branch is a prefix match
on an index of migration 0027 (PostgreSQL: ``*_pattern_ops``), so a search over 100 000
guests reads a few index pages, not the tables (``python -m bench backoffice``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, func, or_, select, text, union

from pos_server.db.models import Guest, GuestIdentifier
from pos_server.db.models_guest_card import GuestContactRow
from pos_server.uow import Repository


def _prefix(text: str) -> str:
    """``text%`` for LIKE with ``\\`` escaping ``%``, ``_`` and itself."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%"


class GuestSearch(Repository):
    """``uow.guest_search``."""

    __slots__ = ()

    def find(self, names: Sequence[str], contacts: Sequence[str], cards: Sequence[str],
             limit: int) -> Sequence[Row[Any]]:  # fmt: skip
        """At most ``limit`` guests (id, name, phone) by name: ``lower(name)`` starting with
        one of ``names``, a contact starting with one of ``contacts`` (lower case) or
        an identifier starting with one of ``cards`` (as stored, upper case)."""
        order = self._name_order()
        if self._connection.dialect.name == "postgresql":
            names = [n for n in names if n == n.lower()] or list(names)  # lower() folds all
        by_name = (select(Guest.id.label("guest_id"))
                   .where(or_(*(func.lower(Guest.name).like(_prefix(n), escape="\\")
                               for n in names)))
                   .order_by(*order).limit(limit))  # fmt: skip
        branches: list[Any] = [by_name]
        if contacts:
            branches.append(
                select(GuestContactRow.guest_id)
                .where(or_(*(func.lower(GuestContactRow.value).like(_prefix(c), escape="\\")
                             for c in contacts)))
                .limit(limit))  # fmt: skip
        if cards:
            branches.append(
                select(GuestIdentifier.guest_id)
                .where(or_(*(GuestIdentifier.value.like(_prefix(c), escape="\\")
                             for c in cards)))
                .limit(limit))  # fmt: skip
        found = union(*(b.subquery().select() for b in branches)).subquery()
        query = (select(Guest.id, Guest.name, Guest.phone)
                 .join(found, found.c.guest_id == Guest.id)
                 .order_by(*order).limit(limit))  # fmt: skip
        return self._connection.execute(query).all()

    def _name_order(self) -> list[Any]:
        """By ``lower(name)``; on PostgreSQL in the pattern index's (byte) order, so a prefix
        match reads its first ``limit`` rows off ``ix_guests_name_pattern`` with no sort."""
        if self._connection.dialect.name == "postgresql":
            return [text("lower(guests.name) USING ~<~"), Guest.id]
        return [func.lower(Guest.name), Guest.id]

    def first_by_name(self, limit: int) -> Sequence[Row[Any]]:
        """The first ``limit`` guests (id, name, phone) by name: the list before a search."""
        query = (select(Guest.id, Guest.name, Guest.phone)
                 .order_by(func.lower(Guest.name), Guest.id).limit(limit))  # fmt: skip
        return self._connection.execute(query).all()

    def by_id(self, guest_id: str) -> Row[Any] | None:
        """One guest (id, name, phone) by primary key: the benchmark's baseline."""
        query = select(Guest.id, Guest.name, Guest.phone).where(Guest.id == guest_id)
        return self._connection.execute(query).first()


__all__ = ["GuestSearch"]
