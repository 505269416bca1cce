"""Guest groups as an operation reads them: every group, as domain objects
(``pos_server.guests.groups.current_groups``, which rebuilds them only when the rows changed)."""

from __future__ import annotations

from pos_app.domain.groups import GuestGroup
from pos_server.guests.groups import current_groups
from pos_server.uow import Repository

CurrentGroups = tuple[dict[str, GuestGroup], list[GuestGroup]]


class Groups(Repository):
    __slots__ = ()

    def current(self) -> CurrentGroups:
        """(every group by id, the active ones in id order) as the transaction sees them now:
        one statement."""
        return current_groups(self._uow.connection)
