"""The managers' list of overdrafts (points and balance) and rule breaches, newest first.

One query for both ways a manager reads it: ``GET /v1/admin/overdrafts`` (``admin_api``) and
``pos-server overdrafts`` (``cli``), so the command line never shows less than the API.
Points overdrafts come from offline holds and late commits, balance overdrafts from offline
balance payments; a points overdraft whose hold passed the group's offline allowance is
flagged ``beyond_offline_allowance`` (a breach ``offline_allowance`` names the hold).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_server.db.models import POINTS, OverdraftRow
from pos_server.db.models_ledger import RuleBreachRow

Row = TypeVar("Row", OverdraftRow, RuleBreachRow)


@dataclass(frozen=True)
class Overdrafts:
    overdrafts: list[dict[str, Any]]  # points and balance, newest first
    breaches: list[dict[str, Any]]  # rules recorded instead of enforced, newest first


def list_overdrafts(session: Session, since: datetime | None = None,
                    limit: int = 1_000) -> Overdrafts:  # fmt: skip
    """At most ``limit`` overdrafts (both accounts together) and ``limit`` breaches."""
    breaches = _newest(session, RuleBreachRow, since, limit)
    flagged = {b.ref for b in breaches if b.rule == "offline_allowance"} - {None}
    rows = _newest(session, OverdraftRow, since, limit)  # both kinds of account
    overdrafts = sorted((_points(r, flagged) if r.account_kind == POINTS else _balance(r)
                         for r in rows), key=lambda o: o["at"], reverse=True)  # fmt: skip
    return Overdrafts(overdrafts, [_breach(b) for b in breaches])


def _points(row: OverdraftRow, flagged: set[str | None]) -> dict[str, Any]:
    return {"account": "points", "id": row.id, "guest_id": row.account_id, "amount": row.amount,
            "at": row.at.isoformat(), "reason": row.reason, "ref": row.ref,
            "hold_id": row.hold_id, "beyond_offline_allowance": row.hold_id in flagged}  # fmt: skip


def _balance(row: OverdraftRow) -> dict[str, Any]:
    return {"account": "balance", "id": row.id, "guest_id": row.account_id,
            "amount": row.amount, "at": row.at.isoformat(), "reason": row.reason,
            "ref": row.ref, "hold_id": None, "beyond_offline_allowance": False}  # fmt: skip


def _breach(row: RuleBreachRow) -> dict[str, Any]:
    return {"id": row.id, "guest_id": row.guest_id, "rule": row.rule, "amount": row.amount,
            "at": row.at.isoformat(), "terminal_id": row.terminal_id, "ref": row.ref,
            "message": row.message}  # fmt: skip


def _newest(session: Session, table: type[Row], since: datetime | None, limit: int) -> list[Row]:
    query = select(table).order_by(table.id.desc()).limit(limit)
    if since is not None:
        query = query.where(table.at >= since)
    return list(session.scalars(query))
