"""Outbox rows as ``POST /v1/ops`` operations (docs/api.md).

The till's outbox keeps the full record of what happened (``sale.closed`` carries the guest's
group, line tags, cash tendered and change, for the till's own reports and a later server
recomputation). The server's ``SaleClosed`` model accepts only what it stores and forbids
extra fields, so the sender maps that payload to the wire shape here. The mapping is a pure
function of the stored row, so every retry of an operation sends the same bytes' meaning and
the server's payload hash (``op_id_reused`` check) sees the same operation.

A points payment carries the hold it spends: ``{"method": "points", "amount": N,
"hold_id": ...}`` (the agreed contract: the debit is the hold's commit, queued before the sale).
A sale whose bonus settings a manager set by hand carries ``loyalty_override`` (the
percentages and the approver, ``services/order_loyalty.py``); the server checks the approver.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pos_app.services.ports import OutboxEntry

_LINE_FIELDS = ("line_no", "product_id", "name", "quantity", "unit_price", "discount", "total")


def wire_op(entry: OutboxEntry) -> dict[str, Any]:
    return {
        "op_id": entry.op_id,
        "terminal_id": entry.terminal_id,
        "seq": entry.seq,
        "created_at": entry.created_at.isoformat(),
        "kind": entry.kind,
        "payload": wire_payload(entry.kind, entry.payload),
    }


def wire_payload(kind: str, payload: Mapping[str, Any]) -> dict[str, Any]:
    if kind == "sale.closed" and "totals" in payload:
        return _sale_closed(payload)
    if kind == "sale.cancelled" and "totals" in payload:
        return _sale_cancelled(payload)
    return dict(payload)


def _sale_cancelled(p: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "sale_id": p["sale_id"],
        "opened_at": p["opened_at"],
        "cancelled_at": p["cancelled_at"],
        "guest_id": (p.get("guest") or {}).get("guest_id"),
        "lines": [{k: line[k] for k in _LINE_FIELDS if k in line} for line in p["lines"]],
        "payments": [_payment(pay) for pay in p["payments"]],
        "total": p["totals"]["total"],
        "refund": p["refund"],
    }


def _sale_closed(p: Mapping[str, Any]) -> dict[str, Any]:
    guest = p.get("guest") or {}
    return {
        "sale_id": p["sale_id"],
        "receipt_no": p.get("receipt_no"),
        "opened_at": p["opened_at"],
        "closed_at": p["closed_at"],
        "guest_id": guest.get("guest_id"),
        "lines": [{k: line[k] for k in _LINE_FIELDS if k in line} for line in p["lines"]],
        "payments": [_payment(pay) for pay in p["payments"]],
        "total": p["totals"]["total"],
        **({"offline": True} if p.get("offline") else {}),
        **({"loyalty_override": dict(o)} if (o := p.get("loyalty_override")) else {}),
    }


def _payment(pay: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"method": pay["method"], "amount": pay["amount"]}
    if pay.get("hold_id"):
        out["hold_id"] = pay["hold_id"]
    return out
