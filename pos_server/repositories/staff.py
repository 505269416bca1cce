"""Staff as operation handlers see them: who a staff id names, their role, whether they may
still act. The admin routes' credential work (PINs, passwords, keys) is
``pos_server.staff.service``."""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.domain.staff_pins import Role
from pos_server.db.models_staff import StaffRow
from pos_server.uow import Repository


@dataclass(frozen=True)
class StaffMember:
    staff_id: str
    name: str
    role: Role
    active: bool
    permissions: frozenset[str] = frozenset()  # granted beyond the role (``guest_card.may``)


class Staff(Repository):
    __slots__ = ()

    def member(self, staff_id: str) -> StaffMember | None:
        row = self._session.get(StaffRow, staff_id)
        if row is None:
            return None
        return StaffMember(
            row.id, row.name, Role(row.role), row.active, frozenset(row.permissions or ())
        )
