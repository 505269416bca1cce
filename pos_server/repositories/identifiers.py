"""Guest identifiers: card numbers and app codes, each value belonging to at most one guest
(unique in ``guest_identifiers``)."""

from __future__ import annotations

from sqlalchemy import bindparam, insert, select

from pos_app.domain.identifiers import InputMethod, Medium
from pos_server.db.fastexec import Fast
from pos_server.db.models import GuestIdentifier
from pos_server.uow import Repository


class Identifiers(Repository):
    __slots__ = ()

    def owner(self, value: str) -> str | None:
        """The guest the (normalised) ``value`` is bound to; None: nobody's."""
        row = _OWNER.first(self._uow.connection, {"value": value})
        return None if row is None else row.guest_id

    def bind(self, guest_id: str, medium: Medium, method: InputMethod, value: str) -> None:
        """Bind ``value`` to the guest, now."""
        _INSERT.run(self._uow.connection, {
            "guest_id": guest_id, "medium": medium.value, "method": method.value,
            "value": value, "bound_at": self._uow.now,
        })  # fmt: skip


_OWNER = Fast(select(GuestIdentifier.guest_id).where(GuestIdentifier.value == bindparam("value")))
_INSERT = Fast(insert(GuestIdentifier), column_keys=("guest_id", "medium", "method", "value",
                                                     "bound_at"))  # fmt: skip
