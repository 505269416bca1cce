"""Manager calls on the ledger: the overdraft and rule-breach listing, the audited "reset holds".

Both need a manager's or admin's password or staff key (``pos_server.staff.auth``); the hold
reset, which a manager does at a till, also takes a manager's PIN sent with the terminal's
bearer token. "Reset holds" is the admin action the system must never need (holds expire,
reconciliation releases forgotten ones), so every use writes an ``admin_audit`` row with the
person, the credential, the terminal (if any), the reason and the holds it released, and each
release is a posting with actor ``staff:<id>``. The routes are thin: one unit of work each
(``pos_server.uow``), its repositories doing the reading and writing.

The reset's body is read only after its credentials are checked (``late_body``): a wrong
token, password or key gets its 401 with the body unread (issue 16 point 6).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import AwareDatetime, Field, StringConstraints, ValidationError, model_validator

from pos_server.http.api import UNAUTHORISED, WorkDep
from pos_server.http.nul_guard import MESSAGE as NUL_MESSAGE
from pos_server.http.nul_guard import holds_nul
from pos_server.http.schemas import EntityId, ErrorResponse, TerminalRef, WireModel
from pos_server.ledger.hold_reset import release_open_holds
from pos_server.ledger.overdraft_list import list_overdrafts
from pos_server.staff.auth import ManagerAtTill, ManagerOrAdmin, StaffCaller
from pos_server.uow import UnitOfWork

router = APIRouter(prefix="/v1/admin", tags=["admin"])
STAFF_REFUSALS: dict[int | str, dict[str, Any]] = {
    **UNAUTHORISED,
    429: {"model": ErrorResponse, "description": "too many wrong PINs or passwords"},
}


class ResetHolds(WireModel):
    """Exactly one of ``guest_id`` / ``terminal_id``; the reason goes to the audit."""

    guest_id: EntityId | None = None
    terminal_id: TerminalRef | None = None
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3,
                                             max_length=500)]  # fmt: skip

    @model_validator(mode="after")
    def _one_target(self) -> ResetHolds:
        if (self.guest_id is None) == (self.terminal_id is None):
            raise ValueError("name exactly one of guest_id or terminal_id")
        return self


class ResetHoldsOut(WireModel):
    released: list[str]
    audit_id: int


class OverdraftsOut(WireModel):
    overdrafts: list[dict[str, Any]] = Field(description="points and balance overdrafts")
    breaches: list[dict[str, Any]] = Field(description="rules recorded instead of enforced")


@router.get("/overdrafts", responses=STAFF_REFUSALS)
def get_overdrafts(
    manager: ManagerOrAdmin,
    work: WorkDep,
    since: Annotated[AwareDatetime | None, Query(description="only from this time on")] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1_000,
) -> OverdraftsOut:
    """Overdrafts (points and balance) and rule breaches, newest first, at most ``limit`` each."""
    with work(f"staff:{manager.row.id}") as uow:
        found = list_overdrafts(uow, since, limit)
    return OverdraftsOut(overdrafts=found.overdrafts, breaches=found.breaches)


async def late_body(request: Request) -> ResetHolds:
    """The reset's body, read when this dependency runs: after the credentials before it in
    the route's signature. A body that does not parse, or holds a NUL (``nul_guard``, which
    leaves ``LATE_BODY_PATHS`` to this), is a 422 in the usual shape."""
    raw = await request.body()
    if holds_nul(raw):
        raise RequestValidationError([{"loc": ("body",), "msg": NUL_MESSAGE,
                                       "type": "value_error"}])  # fmt: skip
    try:
        return ResetHolds.model_validate_json(raw)
    except ValidationError as error:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in error.errors(include_url=False)]
        ) from None


_RESET_SCHEMA = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": ResetHolds.model_json_schema()}}}}  # fmt: skip


LATE_BODY_PATHS = frozenset({"/v1/admin/holds/reset"})  # the body read after the credentials


@router.post("/holds/reset", responses={**STAFF_REFUSALS, 422: {"model": ErrorResponse}},
             openapi_extra=_RESET_SCHEMA)  # fmt: skip
def reset_holds(
    caller: ManagerAtTill,  # first: checked before the body is read
    body: Annotated[ResetHolds, Depends(late_body)],
    work: WorkDep,
) -> ResetHoldsOut:
    """Release every open hold of a guest or of a terminal; audited."""
    manager = caller.row
    with work(f"staff:{manager.id}") as uow:
        released = _release_open_holds(uow, body, caller)
        audit_id = uow.audit.record(
            "reset_holds", actor=f"staff:{manager.id}", terminal_id=caller.terminal_id,
            target=f"guest:{body.guest_id}" if body.guest_id else f"terminal:{body.terminal_id}",
            reason=body.reason,
            details={"staff_name": manager.name, "role": manager.role, "released": released,
                     "credential": caller.credential},
        )  # fmt: skip
    return ResetHoldsOut(released=released, audit_id=audit_id)


def _release_open_holds(uow: UnitOfWork, body: ResetHolds, caller: StaffCaller) -> list[str]:
    return release_open_holds(uow, guest_id=body.guest_id, terminal_id=body.terminal_id,
                              staff_id=caller.row.id, staff_name=caller.row.name)  # fmt: skip
