"""Guests: who they are (``guests``) and, from the change feed, which group they were in at
a moment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select

from pos_server.db.fastexec import Fast
from pos_server.db.models import Guest
from pos_server.uow import Repository

GUEST_ENTITY = "guest"


@dataclass(frozen=True, slots=True)
class GuestRecord:
    guest_id: str
    name: str
    phone: str | None  # E.164 (``pos_app.domain.phones``)

    def feed_data(self) -> dict[str, Any]:
        """The guest as a ``guest_created`` conflict and the first ``guest`` change carry it."""
        return {"guest_id": self.guest_id, "name": self.name, "phone": self.phone}


class Guests(Repository):
    __slots__ = ()

    def get(self, guest_id: str) -> GuestRecord | None:
        row = _GUEST.first(self._uow.connection, {"guest_id": guest_id})
        return None if row is None else GuestRecord(row.id, row.name, row.phone)

    def exists(self, guest_id: str) -> bool:
        return _GUEST_KNOWN.first(self._uow.connection, {"guest_id": guest_id}) is not None

    def add(self, guest: GuestRecord) -> None:
        """A new guest, created now by the unit of work's terminal."""
        uow = self._uow
        _INSERT_GUEST.run(uow.connection, {
            "id": guest.guest_id, "name": guest.name, "phone": guest.phone,
            "created_at": uow.now, "created_by": uow.terminal_id,
        })  # fmt: skip

    def group_at(self, guest_id: str, moment: datetime, *, otherwise: str | None
                 ) -> str | None:  # fmt: skip
        """The guest's group at ``moment`` by their newest ``guest`` change made by then;
        ``otherwise`` when the feed has no record of them by then."""
        data = self._uow.feed.record_at(GUEST_ENTITY, guest_id, moment)
        return otherwise if data is None else data.get("group_id")


_GUEST = Fast(select(Guest.id, Guest.name, Guest.phone).where(Guest.id == bindparam("guest_id")))
_GUEST_KNOWN = Fast(select(Guest.id).where(Guest.id == bindparam("guest_id")))
_INSERT_GUEST = Fast(insert(Guest), column_keys=("id", "name", "phone", "created_at",
                                                 "created_by"))  # fmt: skip
