"""The audit log of administrative changes (``admin_audit``): the newest first, who (a member
of staff by name when the change came from the back office), what, before and after. Opens
with the reports permission."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from pos_server.admin_web.context import PREFIX, Reader, acting, render, require
from pos_server.staff.permissions import Permission

router = APIRouter(prefix=f"{PREFIX}/audit", include_in_schema=False)
Page = Annotated[Reader, Depends(require(Permission.REPORTS))]
SHOWN = 200


def _json(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


@router.get("")
def audit_log(request: Request, who: Page) -> Response:
    with acting(request, who) as uow:
        entries = uow.audit.newest(SHOWN)
        names = {row.id: row.name for row in uow.staff.rows()}
    rows = []
    for entry in entries:
        kind, _, actor_id = entry.actor.partition(":")
        actor = names.get(actor_id, entry.actor) if kind in ("web", "staff") else entry.actor
        details = entry.details or {}
        before, after = details.get("before"), details.get("after")
        if "before" not in details and "after" not in details:  # older kinds: details whole
            before, after = None, details
        rows.append({"at": entry.at, "actor": actor, "action": entry.action,
                     "target": entry.target, "reason": entry.reason,
                     "before": _json(before), "after": _json(after)})  # fmt: skip
    response: Response = render(request, who, "admin/audit.html", entries=rows)
    return response
