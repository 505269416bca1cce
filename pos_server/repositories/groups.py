"""Guest groups as an operation reads them: every group, as domain objects
(``pos_server.guests.groups.current_groups``, which rebuilds them only when the rows changed);
and the rows the groups service (import, the back office's edits) reads and writes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from pos_app.domain.groups import GuestGroup
from pos_server.db.models import Guest
from pos_server.db.models_ledger import GuestLoyaltyRow
from pos_server.db.models_staff import GuestGroupRow
from pos_server.db.upsert import upsert_changed
from pos_server.guests.groups import current_groups
from pos_server.uow import Repository

CurrentGroups = tuple[dict[str, GuestGroup], list[GuestGroup]]


@dataclass(frozen=True)
class GroupMember:
    guest_id: str
    name: str
    phone: str | None
    lifetime_spend: int


class Groups(Repository):
    __slots__ = ()

    def current(self) -> CurrentGroups:
        """(every group by id, the active ones in id order) as the transaction sees them now:
        one statement."""
        return current_groups(self._uow.connection)

    def rows(self) -> list[GuestGroupRow]:
        return list(self._session.scalars(select(GuestGroupRow).order_by(
            GuestGroupRow.spend_threshold, GuestGroupRow.id)))  # fmt: skip

    def members(self, group_id: str, limit: int) -> tuple[int, list[GroupMember]]:
        """How many guests are in the group, and the first ``limit`` of them by name."""
        where = GuestLoyaltyRow.group_id == group_id
        count = self._session.scalar(select(func.count()).select_from(GuestLoyaltyRow)
                                     .where(where)) or 0  # fmt: skip
        query = (select(Guest.id, Guest.name, Guest.phone, GuestLoyaltyRow.lifetime_spend)
                 .join(GuestLoyaltyRow, GuestLoyaltyRow.guest_id == Guest.id).where(where)
                 .order_by(Guest.name, Guest.id).limit(limit))  # fmt: skip
        return count, [GroupMember(*row) for row in self._session.execute(query)]

    def row(self, group_id: str) -> GuestGroupRow | None:
        return self._session.get(GuestGroupRow, group_id)

    def ids(self) -> set[str]:
        return set(self._session.scalars(select(GuestGroupRow.id)))

    def upsert_changed(self, values: Sequence[Mapping[str, Any]]) -> list[GuestGroupRow]:
        """Insert or update by id; the rows that really changed (flushed)."""
        changed = upsert_changed(self._session, GuestGroupRow, values, self._uow.now)
        self._session.flush()
        return changed
