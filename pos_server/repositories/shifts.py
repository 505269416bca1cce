"""A till's cash shifts as the server keeps them for the back office."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pos_app.domain.operations import ShiftClosed, ShiftOpened
from pos_server.db.models_till import ShiftRow
from pos_server.uow import Repository


@dataclass(frozen=True)
class ShiftRecord:
    shift_id: str
    terminal_id: str
    number: int
    opened_at: datetime
    closed_at: datetime | None
    expected_cash: int | None
    counted_cash: int | None

    def state(self) -> dict[str, Any]:
        """What a conflict carries: the shift as the server has it."""
        return {"shift_id": self.shift_id, "terminal_id": self.terminal_id,
                "number": self.number, "opened_at": self.opened_at.isoformat(),
                "closed_at": self.closed_at.isoformat() if self.closed_at else None,
                "expected_cash": self.expected_cash,
                "counted_cash": self.counted_cash}  # fmt: skip


class Shifts(Repository):
    __slots__ = ()

    def get(self, shift_id: str) -> ShiftRecord | None:
        row = self._session.get(ShiftRow, shift_id)
        return None if row is None else _record(row)

    def open(self, opened: ShiftOpened) -> None:
        """A new shift of the unit of work's terminal."""
        self._session.add(ShiftRow(
            id=opened.shift_id, terminal_id=self._uow.terminal_id, number=opened.number,
            opened_at=opened.opened_at, opened_by=opened.opened_by,
            opening_cash=opened.opening_cash,
        ))  # fmt: skip
        self._session.flush()

    def close(self, closed: ShiftClosed) -> None:
        """Close an open shift with its Z report, stored as the till sent it."""
        row = self._session.get_one(ShiftRow, closed.shift_id)
        row.closed_at, row.closed_by = closed.closed_at, closed.closed_by
        row.counted_cash, row.expected_cash = closed.counted_cash, closed.expected_cash
        row.report = closed.to_json()


def _record(row: ShiftRow) -> ShiftRecord:
    return ShiftRecord(row.id, row.terminal_id, row.number, row.opened_at, row.closed_at,
                       row.expected_cash, row.counted_cash)  # fmt: skip
