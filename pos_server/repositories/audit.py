"""The admin audit (``admin_audit``): one row per manager action on the ledger (a holds
reset), naming who, with which credential, from which terminal, why and what it did."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert

from pos_server.db.models_ledger import AdminAuditRow
from pos_server.uow import Repository


class AdminAudit(Repository):
    """``uow.audit``."""

    __slots__ = ()

    def record(
        self, action: str, *, actor: str, terminal_id: str | None, target: str, reason: str,
        details: dict[str, Any],
    ) -> int:  # fmt: skip
        """Write one audit row at ``uow.now``; its id."""
        result = self._connection.execute(insert(AdminAuditRow).values(
            at=self._uow.now, action=action, actor=actor, terminal_id=terminal_id,
            target=target, reason=reason, details=details,
        ))  # fmt: skip
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])
