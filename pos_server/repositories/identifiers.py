"""Guest identifiers: card numbers and app codes, each value belonging to at most one guest
(unique in ``guest_identifiers``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from pos_app.domain.identifiers import InputMethod, Medium
from pos_server.db.fastexec import Fast
from pos_server.db.models import GuestIdentifier
from pos_server.uow import Repository


@dataclass(frozen=True, slots=True)
class IdentifierRecord:
    guest_id: str
    medium: str
    method: str
    value: str
    blocked_at: datetime | None
    block_reason: str | None

    def feed_data(self) -> dict[str, Any]:
        """The ``identifier`` change the tills apply (``blocked``: it identifies nobody)."""
        return {"guest_id": self.guest_id, "medium": self.medium, "method": self.method,
                "value": self.value, "blocked": self.blocked_at is not None,
                "block_reason": self.block_reason}  # fmt: skip


class Identifiers(Repository):
    __slots__ = ()

    def owner(self, value: str) -> str | None:
        """The guest the (normalised) ``value`` is bound to; None: nobody's."""
        row = _OWNER.first(self._uow.connection, {"value": value})
        return None if row is None else row.guest_id

    def get(self, value: str) -> IdentifierRecord | None:
        """The (normalised) ``value`` with its guest and whether it is blocked."""
        row = _GET.first(self._uow.connection, {"value": value})
        return None if row is None else IdentifierRecord(*row)

    def of_guest(self, guest_id: str) -> list[IdentifierRecord]:
        """The guest's identifiers, blocked ones too, in the order they were bound."""
        rows = self._uow.connection.execute(_OF_GUEST, {"guest_id": guest_id})
        return [IdentifierRecord(*row) for row in rows]

    def block(self, value: str, reason: str) -> None:
        """Block ``value`` now: it stays its guest's and identifies nobody."""
        self._uow.connection.execute(_BLOCK, {"b_value": value, "blocked_at": self._uow.now,
                                              "reason": reason[:200]})  # fmt: skip

    def bind(self, guest_id: str, medium: Medium, method: InputMethod, value: str) -> None:
        """Bind ``value`` to the guest, now."""
        _INSERT.run(self._uow.connection, {
            "guest_id": guest_id, "medium": medium.value, "method": method.value,
            "value": value, "bound_at": self._uow.now,
        })  # fmt: skip


_OWNER = Fast(select(GuestIdentifier.guest_id).where(GuestIdentifier.value == bindparam("value")))
_INSERT = Fast(insert(GuestIdentifier), column_keys=("guest_id", "medium", "method", "value",
                                                     "bound_at"))  # fmt: skip
_COLUMNS = (
    GuestIdentifier.guest_id,
    GuestIdentifier.medium,
    GuestIdentifier.method,
    GuestIdentifier.value,
    GuestIdentifier.blocked_at,
    GuestIdentifier.block_reason,
)
_GET = Fast(select(*_COLUMNS).where(GuestIdentifier.value == bindparam("value")))
_OF_GUEST = (
    select(*_COLUMNS)
    .where(GuestIdentifier.guest_id == bindparam("guest_id"))
    .order_by(GuestIdentifier.id)
)
_BLOCK = (
    update(GuestIdentifier)
    .where(GuestIdentifier.value == bindparam("b_value"))
    .values(blocked_at=bindparam("blocked_at"), block_reason=bindparam("reason"))
)
