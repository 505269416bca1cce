"""Outbox rows as ``POST /v1/ops`` operations (docs/api.md).

The payload goes out exactly as the till stored it: it is the operation's ``to_json()``
(``pos_app.domain.operations``), and the server decodes it with the same definitions, so there
is nothing to map. Every retry of an operation therefore sends the same payload, and the
server's payload hash (``op_id_reused`` check) sees the same operation.
"""

from __future__ import annotations

from typing import Any

from pos_app.services.ports import OutboxEntry


def wire_op(entry: OutboxEntry) -> dict[str, Any]:
    """The envelope of DESIGN.md "Sync protocol" around the stored payload."""
    return {
        "op_id": entry.op_id,
        "terminal_id": entry.terminal_id,
        "seq": entry.seq,
        "created_at": entry.created_at.isoformat(),
        "kind": entry.kind,
        "payload": entry.payload,
    }
