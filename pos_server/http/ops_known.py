"""``POST /v1/ops/known``: which of a till's operations the server has already judged.

A till whose store was restored from an older backup holds operations the server judged long
ago (some still marked pending) and numbers its new ones from an old ``seq``, which the server
refuses as ``seq_used``. Before it sends anything it asks here about the pending operations
whose ``seq`` the server has passed: for each one the server knows, whether the payload is the
same (its payload hash, ``ops.pipeline.payload_hash``) and the verdict it stored, and the
receipt number of the terminal's last sale it applied. The till then records those verdicts,
renumbers the rest after the server's ``last_seq``, counts its receipts on after that number
and sends them (``pos_app.services.sync_queue.SyncQueue.realign``). Nothing is written here;
the reads are ``uow.applied``'s.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, status

from pos_server.http.api import UNAUTHORISED, Settings, TerminalId, WorkDep
from pos_server.http.schemas import ErrorResponse, OpsRequest, WireModel
from pos_server.ops.pipeline import payload_hash

router = APIRouter(prefix="/v1")


class KnownOp(WireModel):
    op_id: str
    seq: int  # the seq the server judged it under
    same_payload: bool
    status: str
    reason: str | None = None
    message: str | None = None
    current: dict[str, Any] | None = None


class KnownResponse(WireModel):
    last_seq: int
    known: list[KnownOp]
    last_receipt_no: str | None = None  # of the terminal's last sale the server applied


@router.post(
    "/ops/known",
    responses={
        **UNAUTHORISED,
        403: {"model": ErrorResponse, "description": "operation of another terminal"},
        413: {"model": ErrorResponse, "description": "too many operations in one request"},
    },
)
def post_known(
    body: OpsRequest, terminal_id: TerminalId, work: WorkDep, settings: Settings
) -> KnownResponse:
    """The operations among ``operations`` that the server has judged, with their stored
    verdicts, and this terminal's last seq. Read-only."""
    ops = body.operations
    if len(ops) > settings.max_batch:
        raise HTTPException(413,
                            f"At most {settings.max_batch} operations per request.")
    if any(op.terminal_id != terminal_id for op in ops):
        raise HTTPException(status.HTTP_403_FORBIDDEN,
                            "An operation names another terminal than the token's.")
    wanted = {str(op.op_id): op for op in ops}
    with work(terminal_id) as uow:
        last_seq = uow.applied.last_seq()
        known = [
            KnownOp(
                op_id=row.op_id, seq=row.seq, status=row.verdict, reason=row.reason,
                message=row.message, current=row.current,
                same_payload=(row.terminal_id == terminal_id
                              and row.payload_hash == payload_hash(wanted[row.op_id])),
            )
            for row in uow.applied.judged(list(wanted))
        ]  # fmt: skip
        last_receipt_no = uow.applied.last_receipt_no()
    return KnownResponse(last_seq=last_seq, known=known, last_receipt_no=last_receipt_no)
