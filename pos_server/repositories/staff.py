"""Members of staff as operations name them (who took a top-up's money, who approved a sale's
bonus settings): a small read, not the credentials."""

from __future__ import annotations

from dataclasses import dataclass

from pos_server.db.models_staff import StaffRow
from pos_server.uow import Repository


@dataclass(frozen=True, slots=True)
class StaffMember:
    staff_id: str
    name: str
    role: str
    active: bool


class StaffRepository(Repository):
    """``uow.staff``."""

    __slots__ = ()

    def member(self, staff_id: str) -> StaffMember | None:
        row = self._session.get(StaffRow, staff_id)
        return None if row is None else StaffMember(row.id, row.name, row.role, row.active)
