"""Manager calls on the ledger: the overdraft and rule-breach listing, the audited "reset holds".

Both need a manager's or admin's password or staff key (``pos_server.staff.auth``); the hold
reset, which a manager does at a till, also takes a manager's PIN sent with the terminal's
bearer token. "Reset holds" is the admin action the system must never need (holds expire,
reconciliation releases forgotten ones), so every use writes an ``admin_audit`` row with the
person, the credential, the terminal (if any), the reason and the holds it released, and each
release is a posting with actor ``staff:<id>``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, Field, StringConstraints, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.domain.bonus import HoldAlreadyEnded, HoldStatus
from pos_server.db.models import BonusHoldRow
from pos_server.db.models_ledger import AdminAuditRow
from pos_server.db.models_staff import StaffRow
from pos_server.http.api import UNAUTHORISED, ClockDep, Sessions
from pos_server.http.schemas import EntityId, ErrorResponse, TerminalRef, WireModel
from pos_server.ledger.overdraft_list import list_overdrafts
from pos_server.ledger.statements import load_account, save_account
from pos_server.staff.auth import ManagerAtTill, ManagerOrAdmin

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
    _manager: ManagerOrAdmin,
    sessions: Sessions,
    since: Annotated[AwareDatetime | None, Query(description="only from this time on")] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1_000,
) -> OverdraftsOut:
    """Overdrafts (points and balance) and rule breaches, newest first, at most ``limit`` each."""
    with sessions() as session:
        found = list_overdrafts(session, since, limit)
    return OverdraftsOut(overdrafts=found.overdrafts, breaches=found.breaches)


@router.post("/holds/reset", responses={**STAFF_REFUSALS, 422: {"model": ErrorResponse}})
def reset_holds(
    body: ResetHolds,
    caller: ManagerAtTill,
    sessions: Sessions,
    clock: ClockDep,
) -> ResetHoldsOut:
    """Release every open hold of a guest or of a terminal; audited."""
    now, manager, terminal_id = clock(), caller.row, caller.terminal_id
    with sessions.begin() as session:
        released = _release_open_holds(session, body, manager, now)
        audit = AdminAuditRow(
            at=now, action="reset_holds", actor=f"staff:{manager.id}", terminal_id=terminal_id,
            target=f"guest:{body.guest_id}" if body.guest_id else f"terminal:{body.terminal_id}",
            reason=body.reason,
            details={"staff_name": manager.name, "role": manager.role, "released": released,
                     "credential": caller.credential},
        )  # fmt: skip
        session.add(audit)
        session.flush()
        audit_id = audit.id
    return ResetHoldsOut(released=released, audit_id=audit_id)


def _release_open_holds(
    session: Session, body: ResetHolds, manager: StaffRow, now: datetime
) -> list[str]:
    query = select(BonusHoldRow.id, BonusHoldRow.account_id).where(
        BonusHoldRow.status == HoldStatus.OPEN.value
    )
    if body.guest_id is not None:
        query = query.where(BonusHoldRow.account_id == body.guest_id)
    else:
        query = query.where(BonusHoldRow.terminal_id == body.terminal_id)
    holds = session.execute(query.order_by(BonusHoldRow.account_id, BonusHoldRow.id)).all()
    released: list[str] = []
    for hold_id, account_id in holds:
        account = load_account(session, account_id, [hold_id])  # locked
        if account.holds[hold_id].status is not HoldStatus.OPEN:
            continue  # ended by a racing commit while we waited for the lock
        try:
            account.release_hold(
                hold_id,
                now=now,
                actor=f"staff:{manager.id}",
                terminal_id=None,
                reason=f"holds reset by {manager.name}",
            )
            released.append(hold_id)
        except HoldAlreadyEnded:
            pass  # its time was up: it has just expired instead (an EXPIRE posting)
        save_account(session, account, now)
    return released
