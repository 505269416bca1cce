"""Staff as the unit of work sees them: who a staff id names, their role, whether they may
still act (operation handlers), and the rows and permissions the staff service changes
(``pos_server.staff.service``, ``pos_server.staff.permissions``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from pos_app.domain.staff_permissions import held
from pos_app.domain.staff_pins import Role
from pos_server.db.models_staff import PinFailureRow, StaffRow
from pos_server.db.models_web import StaffPermissionRow
from pos_server.uow import Repository


@dataclass(frozen=True)
class StaffMember:
    staff_id: str
    name: str
    role: Role
    active: bool
    permissions: frozenset[str] = frozenset()  # held: ``staff_permissions.held``


class Staff(Repository):
    __slots__ = ()

    def member(self, staff_id: str) -> StaffMember | None:
        row = self._session.get(StaffRow, staff_id)
        if row is None:
            return None
        held_now = held(row.role, row.active, self.permissions(row.id))
        return StaffMember(row.id, row.name, Role(row.role), row.active,
                           frozenset(p.value for p in held_now))  # fmt: skip

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


class PinFailures(Repository):
    """Wrong PINs and passwords in a row per (source, staff id) on the admin routes
    (``pin_failures``, ``pos_server.staff.auth``)."""

    __slots__ = ()

    def locked_until(self, key: tuple[str, str]) -> datetime | None:
        """The key's lock (None: none); the row stays locked to the end of the transaction."""
        row = self._session.get(PinFailureRow, key, with_for_update=True)
        return None if row is None else row.locked_until

    def failed(self, key: tuple[str, str]) -> int:
        """One more failure (insert-or-increment: two processes never lose one); the count."""
        dialect = postgresql if self._dialect == "postgresql" else sqlite
        statement = (
            dialect.insert(PinFailureRow)
            .values(terminal_id=key[0], staff_id=key[1], failures=1, locked_until=None)
            .on_conflict_do_update(index_elements=["terminal_id", "staff_id"],
                                   set_={"failures": PinFailureRow.failures + 1})
            .returning(PinFailureRow.failures)
        )  # fmt: skip
        return int(self._session.execute(statement).scalar_one())

    def lock(self, key: tuple[str, str], seconds: float) -> None:
        self._session.execute(
            update(PinFailureRow)
            .where(PinFailureRow.terminal_id == key[0], PinFailureRow.staff_id == key[1])
            .values(locked_until=self._uow.now + timedelta(seconds=seconds))
        )

    def clear(self, key: tuple[str, str]) -> None:
        self._session.execute(delete(PinFailureRow).where(
            PinFailureRow.terminal_id == key[0], PinFailureRow.staff_id == key[1]))  # fmt: skip
