"""shift.opened / shift.closed: a till's cash shifts, kept for the back office.

A shift belongs to the terminal that sent it; the Z report is stored as sent (the till counted
the drawer), with each cash in / out (which must add up to its totals) and the cashier's reason
for a shortage or surplus. A second open or close of one shift is a conflict carrying the
stored state.
"""

from __future__ import annotations

from pos_app.domain.operations import SHIFT_CLOSED, SHIFT_OPENED, ShiftClosed, ShiftOpened
from pos_server.ops.kinds import Handler
from pos_server.ops.verdicts import APPLIED, Verdict, conflict, rejected
from pos_server.uow import UnitOfWork


def shift_opened(opened: ShiftOpened, uow: UnitOfWork) -> Verdict:
    existing = uow.shifts.get(opened.shift_id)
    if existing is not None:
        return conflict("shift_exists", f"Shift {opened.shift_id} was already opened.",
                        existing.state())
    uow.shifts.open(opened)
    return APPLIED


def shift_closed(closed: ShiftClosed, uow: UnitOfWork) -> Verdict:
    shift = uow.shifts.get(closed.shift_id)
    if shift is None or shift.terminal_id != uow.terminal_id:
        return rejected("unknown_shift", f"Shift {closed.shift_id} was never opened here.")
    if shift.closed_at is not None:
        return conflict("shift_closed", f"Shift {shift.number} is already closed.",
                        shift.state())
    if closed.counted_cash - closed.expected_cash != closed.difference:
        return rejected("totals_mismatch", "Counted minus expected cash is not the difference.")
    moved = {kind: sum(m.amount for m in closed.movements if m.kind == kind)
             for kind in ("in", "out")}  # fmt: skip
    if closed.movements and (moved["in"], moved["out"]) != (closed.cash_in, closed.cash_out):
        return rejected("totals_mismatch", "The cash movements do not add up to cash in / out.")
    uow.shifts.close(closed)
    return APPLIED


SHIFT_HANDLERS: dict[str, Handler] = {
    SHIFT_OPENED: shift_opened,
    SHIFT_CLOSED: shift_closed,
}
