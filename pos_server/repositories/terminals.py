"""Terminals as the back office and the ``pos-server terminal`` commands change and list them
(the operations path reads the terminal row through ``uow.applied``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select, update

from pos_server.db.models import AppliedOperation, Terminal
from pos_server.uow import Repository

# The row that stands for the back office where a terminal is required (a guest made there,
# ``guests.created_by``): never enrolled, revoked from the start, left out of the list.
BACK_OFFICE_ID = "back-office"
# The same for the guest cabinet (its orders' ``placed_by``; ``cabinet_web.context.ACTOR``).
CABINET_ID = "cabinet"
CABINET_NAME = "Guest cabinet"
PLACEHOLDERS = (BACK_OFFICE_ID, CABINET_ID)


@dataclass(frozen=True)
class TerminalView:
    """A terminal as the list shows it. ``last_seen_at``: when the server received its newest
    operation (the row of ``last_seq``, found through the unique (terminal, seq) index) or
    its last queue report stored (a heartbeat too), whichever is later."""

    terminal_id: str
    name: str
    created_at: datetime
    enrolled_at: datetime | None
    revoked_at: datetime | None
    code_expires_at: datetime | None
    last_seq: int
    last_seen_at: datetime | None
    queue_waiting: int | None = None  # as the till last reported it (``terminals.queue``)
    queue_oldest_at: datetime | None = None


class Terminals(Repository):
    __slots__ = ()

    def add(self, row: Terminal) -> None:
        self._session.add(row)
        self._session.flush()

    def row(self, terminal_id: str) -> Terminal | None:
        return self._session.get(Terminal, terminal_id)

    def listing(self) -> list[TerminalView]:
        newest = and_(AppliedOperation.terminal_id == Terminal.id,
                      AppliedOperation.seq == Terminal.last_seq)  # fmt: skip
        query = (
            select(Terminal, AppliedOperation.received_at)
            .outerjoin(AppliedOperation, newest)
            .where(Terminal.id.not_in(PLACEHOLDERS))
            .order_by(Terminal.revoked_at.is_not(None), Terminal.name, Terminal.id)
        )
        return [
            TerminalView(
                t.id,
                t.name,
                t.created_at,
                t.enrolled_at,
                t.revoked_at,
                t.enrol_code_expires_at if t.enrol_code_hash else None,
                t.last_seq,
                _latest(seen, t.queue_reported_at),
                t.queue_waiting,
                t.queue_oldest_at,
            )
            for t, seen in self._session.execute(query)
        ]

    def back_office(self) -> str:
        """The back office's row (``BACK_OFFICE_ID``), made on first use."""
        if self._session.get(Terminal, BACK_OFFICE_ID) is None:
            now = self._uow.now
            self._session.add(Terminal(id=BACK_OFFICE_ID, name="Back office", created_at=now,
                                       revoked_at=now, last_seq=0))  # fmt: skip
            self._session.flush()
        return BACK_OFFICE_ID

    def report_queue(self, terminal_id: str, waiting: int, oldest_at: datetime | None,
                     reported_at: datetime) -> None:  # fmt: skip
        """The queue the till reported (``pos_server.terminals.queue``)."""
        self._session.execute(
            update(Terminal).where(Terminal.id == terminal_id).values(
                queue_waiting=waiting, queue_oldest_at=oldest_at,
                queue_reported_at=reported_at))  # fmt: skip


def _latest(*moments: datetime | None) -> datetime | None:
    known = [m for m in moments if m is not None]
    return max(known) if known else None
