"""Staff as the unit of work sees them: who a staff id names, their role, whether they may
still act (operation handlers), and the rows and permissions the staff service changes
(``pos_server.staff.service``, ``pos_server.staff.permissions``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select

from pos_app.domain.staff_pins import Role
from pos_server.db.models_staff import StaffRow
from pos_server.db.models_web import StaffPermissionRow
from pos_server.uow import Repository


@dataclass(frozen=True)
class StaffMember:
    staff_id: str
    name: str
    role: Role
    active: bool


class Staff(Repository):
    __slots__ = ()

    def member(self, staff_id: str) -> StaffMember | None:
        row = self._session.get(StaffRow, staff_id)
        if row is None:
            return None
        return StaffMember(row.id, row.name, Role(row.role), row.active)

    def row(self, staff_id: str) -> StaffRow | None:
        """The staff row to change (the session writes it back at the unit of work's end)."""
        return self._session.get(StaffRow, staff_id)

    def add(self, row: StaffRow) -> None:
        self._session.add(row)
        self._session.flush()

    def rows(self) -> list[StaffRow]:
        """Everyone, by name."""
        return list(self._session.scalars(select(StaffRow).order_by(StaffRow.name, StaffRow.id)))

    def active_rows(self) -> list[StaffRow]:
        return list(self._session.scalars(select(StaffRow).where(StaffRow.active.is_(True))))

    def active_by_name(self, name: str) -> list[StaffRow]:
        """Active members of this name, compared case-insensitively (a sign-in names a person
        by name; names are not unique, so every match is tried)."""
        wanted = name.strip().casefold()
        return [row for row in self.active_rows() if row.name.strip().casefold() == wanted]

    def by_key_digest(self, digest: str) -> StaffRow | None:
        return self._session.scalars(select(StaffRow).where(StaffRow.key_hash == digest)).first()

    def count_active_admins(self) -> int:
        return self._session.scalar(select(func.count()).select_from(StaffRow).where(
            StaffRow.active.is_(True), StaffRow.role == Role.ADMIN.value)) or 0  # fmt: skip

    def permissions(self, staff_id: str) -> set[str]:
        return set(self._session.scalars(select(StaffPermissionRow.permission).where(
            StaffPermissionRow.staff_id == staff_id)))  # fmt: skip

    def set_permissions(self, staff_id: str, permissions: set[str]) -> None:
        self._session.execute(
            delete(StaffPermissionRow).where(StaffPermissionRow.staff_id == staff_id)
        )
        self._session.add_all(StaffPermissionRow(staff_id=staff_id, permission=p)
                              for p in sorted(permissions))  # fmt: skip
        self._session.flush()
