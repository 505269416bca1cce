"""The audit log of administrative changes (``admin_audit``): who, when, what, before and
after. The back office, the ``pos-server`` admin commands and the till's manager calls (a holds
reset) write one row per change, in the change's own transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select

from pos_server.db.models_ledger import AdminAuditRow
from pos_server.uow import Repository


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    action: str
    actor: str
    target: str
    reason: str
    details: dict[str, Any]


class Audit(Repository):
    """``uow.audit``."""

    __slots__ = ()

    def record(
        self, action: str, target: str, *, before: Any = None, after: Any = None,
        reason: str = "", details: dict[str, Any] | None = None, actor: str | None = None,
        terminal_id: str | None = None,
    ) -> int:  # fmt: skip
        """One row at the unit of work's ``now``; its id. ``actor`` defaults to the unit of
        work's (``web:<id>``, ``cli:<user>``, a terminal); ``details`` to before/after."""
        result = self._connection.execute(insert(AdminAuditRow).values(
            at=self._uow.now, action=action[:32], actor=(actor or self._uow.terminal_id)[:64],
            terminal_id=terminal_id, target=target[:128], reason=reason[:500],
            details=details if details is not None else {"before": before, "after": after},
        ))  # fmt: skip
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])

    def newest(self, limit: int = 100, target: str | None = None) -> list[AuditEntry]:
        query = select(AdminAuditRow).order_by(AdminAuditRow.id.desc()).limit(limit)
        if target is not None:
            query = query.where(AdminAuditRow.target == target)
        return [AuditEntry(r.id, r.at, r.action, r.actor, r.target, r.reason, r.details)
                for r in self._session.scalars(query)]  # fmt: skip
