"""shift.opened / shift.closed: a till's cash shifts, kept for the back office.

A shift belongs to the terminal that sent it; the Z report is stored as sent (the till counted
the drawer). A second open or close of one shift is a conflict carrying the stored state.
"""

from __future__ import annotations

from typing import Any

from pos_app.domain.operations import SHIFT_CLOSED, SHIFT_OPENED, ShiftClosed, ShiftOpened
from pos_server.db.models_till import ShiftRow
from pos_server.ops.kinds import Handler
from pos_server.ops.verdicts import APPLIED, Verdict, conflict, rejected
from pos_server.uow import UnitOfWork


def shift_state(row: ShiftRow) -> dict[str, Any]:
    return {"shift_id": row.id, "terminal_id": row.terminal_id, "number": row.number,
            "opened_at": row.opened_at.isoformat(),
            "closed_at": row.closed_at.isoformat() if row.closed_at else None,
            "expected_cash": row.expected_cash, "counted_cash": row.counted_cash}  # fmt: skip


def shift_opened(opened: ShiftOpened, uow: UnitOfWork) -> Verdict:
    existing = uow.session.get(ShiftRow, opened.shift_id)
    if existing is not None:
        return conflict("shift_exists", f"Shift {opened.shift_id} was already opened.",
                        shift_state(existing))
    uow.session.add(ShiftRow(
        id=opened.shift_id, terminal_id=uow.terminal_id, number=opened.number,
        opened_at=opened.opened_at, opened_by=opened.opened_by,
        opening_cash=opened.opening_cash,
    ))  # fmt: skip
    uow.session.flush()
    return APPLIED


def shift_closed(closed: ShiftClosed, uow: UnitOfWork) -> Verdict:
    row = uow.session.get(ShiftRow, closed.shift_id)
    if row is None or row.terminal_id != uow.terminal_id:
        return rejected("unknown_shift", f"Shift {closed.shift_id} was never opened here.")
    if row.closed_at is not None:
        return conflict("shift_closed", f"Shift {row.number} is already closed.",
                        shift_state(row))
    if closed.counted_cash - closed.expected_cash != closed.difference:
        return rejected("totals_mismatch", "Counted minus expected cash is not the difference.")
    row.closed_at, row.closed_by = closed.closed_at, closed.closed_by
    row.counted_cash, row.expected_cash = closed.counted_cash, closed.expected_cash
    row.report = closed.to_json()
    return APPLIED


SHIFT_HANDLERS: dict[str, Handler] = {
    SHIFT_OPENED: shift_opened,
    SHIFT_CLOSED: shift_closed,
}
