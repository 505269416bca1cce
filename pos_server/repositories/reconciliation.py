"""Reconciliation items: the differences the server's review of a closed sale found
(``pos_server.ops.sale_review``), written in the sale's transaction, read and resolved by a
manager (``pos-server reconciliation list|resolve``; the back office will use the same two
functions)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from pos_server.db.fastexec import Fast
from pos_server.db.models_ledger import ReconciliationItemRow
from pos_server.ops.sale_review import Finding
from pos_server.uow import Repository


class Reconciliation(Repository):
    __slots__ = ()

    def add(self, sale_id: str, findings: Sequence[Finding]) -> None:
        """One open item per finding of the sale, found now by the unit of work's operation."""
        if not findings:
            return
        uow = self._uow
        _INSERT_ITEM.run_many(uow.connection, [
            {"at": uow.now, "kind": f.kind, "sale_id": sale_id, "terminal_id": uow.terminal_id,
             "op_id": uow.op_id, "amount": f.amount, "message": f.message[:500],
             "details": f.details}
            for f in findings
        ])  # fmt: skip

    def resolve(self, item_id: int, *, by: str) -> dict[str, Any]:
        """Mark an open item resolved by ``by`` now (``resolve_item``); ``UnknownItem`` if
        it is not open."""
        return resolve_item(self._session, item_id, by=by, now=self._uow.now)


_INSERT_ITEM = Fast(insert(ReconciliationItemRow), column_keys=(
    "at", "kind", "sale_id", "terminal_id", "op_id", "amount", "message", "details"))  # fmt: skip


# --- the managers' list (a session of the CLI's or the back office's own) -----------------


def list_items(session: Session, *, include_resolved: bool = False,
               since: datetime | None = None, limit: int = 1_000) -> list[dict[str, Any]]:
    """Items newest first (open ones only unless ``include_resolved``)."""
    query = select(ReconciliationItemRow).order_by(ReconciliationItemRow.id.desc()).limit(limit)
    if not include_resolved:
        query = query.where(ReconciliationItemRow.resolved_at.is_(None))
    if since is not None:
        query = query.where(ReconciliationItemRow.at >= since)
    return [item_view(row) for row in session.scalars(query)]


def item_view(row: ReconciliationItemRow) -> dict[str, Any]:
    return {"id": row.id, "at": row.at.isoformat(), "kind": row.kind, "sale_id": row.sale_id,
            "terminal_id": row.terminal_id, "op_id": row.op_id, "amount": row.amount,
            "message": row.message, "details": row.details,
            "resolved_at": row.resolved_at.isoformat() if row.resolved_at else None,
            "resolved_by": row.resolved_by}  # fmt: skip


class UnknownItem(LookupError):
    """No open reconciliation item has that id."""


def resolve_item(session: Session, item_id: int, *, by: str, now: datetime) -> dict[str, Any]:
    """Mark an open item resolved by ``by``; ``UnknownItem`` if it is not open."""
    done = session.execute(
        update(ReconciliationItemRow)
        .where(ReconciliationItemRow.id == item_id, ReconciliationItemRow.resolved_at.is_(None))
        .values(resolved_at=now, resolved_by=by[:64])
    )  # fmt: skip
    if getattr(done, "rowcount", 0) != 1:
        raise UnknownItem(f"There is no open reconciliation item {item_id}.")
    return item_view(session.get_one(ReconciliationItemRow, item_id))
