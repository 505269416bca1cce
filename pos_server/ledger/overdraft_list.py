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
from typing import Any

from pos_server.repositories.accounts import POINTS
from pos_server.uow import UnitOfWork


@dataclass(frozen=True)
class Overdrafts:
    overdrafts: list[dict[str, Any]]  # points and balance, newest first
    breaches: list[dict[str, Any]]  # rules recorded instead of enforced, newest first


def list_overdrafts(uow: UnitOfWork, since: datetime | None = None,
                    limit: int = 1_000) -> Overdrafts:  # fmt: skip
    """At most ``limit`` overdrafts (both accounts together) and ``limit`` breaches."""
    breaches = uow.loyalty.recent_breaches(since, limit)
    flagged = {b.ref for b in breaches if b.rule == "offline_allowance"} - {None}
    rows = uow.accounts.recent_overdrafts(since, limit)  # both kinds of account
    overdrafts = sorted((_points(r, flagged) if r.account_kind == POINTS else _balance(r)
                         for r in rows), key=lambda o: o["at"], reverse=True)  # fmt: skip
    return Overdrafts(overdrafts, [_breach(b) for b in breaches])


def _points(row: Any, flagged: set[str | None]) -> dict[str, Any]:
    return {"account": "points", "id": row.id, "guest_id": row.account_id, "amount": row.amount,
            "at": row.at.isoformat(), "reason": row.reason, "ref": row.ref,
            "hold_id": row.hold_id, "beyond_offline_allowance": row.hold_id in flagged}  # fmt: skip


def _balance(row: Any) -> dict[str, Any]:
    return {"account": "balance", "id": row.id, "guest_id": row.account_id,
            "amount": row.amount, "at": row.at.isoformat(), "reason": row.reason,
            "ref": row.ref, "hold_id": None, "beyond_offline_allowance": False}  # fmt: skip


def _breach(row: Any) -> dict[str, Any]:
    return {"id": row.id, "guest_id": row.guest_id, "rule": row.rule, "amount": row.amount,
            "at": row.at.isoformat(), "terminal_id": row.terminal_id, "ref": row.ref,
            "message": row.message}  # fmt: skip
