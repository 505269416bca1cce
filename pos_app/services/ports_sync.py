"""Ports and plain data of the sync work stream: points holds, verdicts, reconciliation items.

``UnitOfWork.sync`` (a ``SyncRepository``) keeps, in the till's store and in the caller's
transaction, what the outbox worker and the points use cases need beyond the outbox itself:

* the till's **holds** (made here, UUID ids), with the sale they pay and whether the cached
  account snapshots contain them yet (the offline rule subtracts those that are not);
* **reconciliation items**: operations the server rejected (never retried) or answered with a
  conflict, for a manager to look at;
* the outbox rows' **verdicts** (the ``Outbox`` port only appends and lists).

``HoldGateway`` is what the points use case asks of the sync adapter: push one operation now
and wait briefly for its verdict (DESIGN.md "Holds": the till waits briefly online).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from pos_app.services.ports import OutboxEntry

HOLD_OPEN = "open"  # placed; neither committed nor released by this till
HOLD_COMMITTED = "committed"
HOLD_RELEASED = "released"
HOLD_REFUSED = "refused"  # the server rejected hold.placed: it never existed
HOLD_STATUSES = (HOLD_OPEN, HOLD_COMMITTED, HOLD_RELEASED, HOLD_REFUSED)


@dataclass(frozen=True, slots=True)
class HoldRecord:
    """A points hold this till placed; ``committed_amount`` is what the sale actually spent.

    ``reflected``: every operation of the hold was judged and the accounts were refreshed after
    that, so the cached account snapshot already contains it (the offline rule stops counting
    it then).
    """

    hold_id: str
    guest_id: str
    amount: int
    created_at: datetime
    sale_id: str | None = None
    offline: bool = False
    status: str = HOLD_OPEN
    committed_amount: int | None = None
    reflected: bool = False

    @property
    def spends(self) -> int:
        """What this hold takes from the guest's available points as the till sees it."""
        if self.status == HOLD_OPEN:
            return self.amount
        if self.status == HOLD_COMMITTED:
            return self.committed_amount or 0
        return 0


@dataclass(frozen=True, slots=True)
class OpVerdict:
    """The server's answer for one operation (``POST /v1/ops`` result)."""

    op_id: str
    seq: int
    status: str  # applied | rejected | conflict | refused
    reason: str | None = None
    message: str | None = None
    current: Mapping[str, Any] | None = None
    replayed: bool = False


@dataclass(frozen=True, slots=True)
class ReconciliationItem:
    """An operation the server did not apply as sent: a manager sees it; it is never retried."""

    op_id: str
    seq: int
    kind: str
    verdict: str  # rejected | conflict
    reason: str
    message: str
    at: datetime
    payload: Mapping[str, Any] = field(default_factory=dict)
    resolved: bool = False


@dataclass(frozen=True, slots=True)
class QueueStats:
    waiting: int
    oldest_at: datetime | None
    open_items: int = 0  # reconciliation items no manager has resolved (the status bar counts)


class SyncRepository(Protocol):
    """The sync tables of the till's store, in the unit of work's transaction."""

    def add_hold(self, hold: HoldRecord) -> None: ...
    def save_hold(self, hold: HoldRecord) -> None:
        """Replace the stored hold with the same id."""
        ...
    def get_hold(self, hold_id: str) -> HoldRecord | None: ...
    def holds_for_sale(self, sale_id: str) -> Sequence[HoldRecord]:
        """The sale's holds, oldest first."""
        ...
    def unreflected_holds(self, guest_id: str) -> Sequence[HoldRecord]:
        """This till's holds of the guest that the cached snapshot does not contain yet."""
        ...
    def mark_reflected(self, before: datetime) -> int:
        """Holds made before ``before`` with no pending operation are in the snapshots now."""
        ...
    def open_hold_ids(self) -> Sequence[str]:
        """Holds this till still considers open (reported to ``/v1/holds/reconcile``)."""
        ...

    def add_item(self, item: ReconciliationItem) -> None: ...
    def items(self, *, include_resolved: bool = False) -> Sequence[ReconciliationItem]: ...
    def resolve_item(self, op_id: str) -> None: ...

    def waiting(self, limit: int, after: int = 0) -> Sequence[OutboxEntry]:
        """Pending outbox operations with ``seq`` above ``after``, in ``seq`` order."""
        ...
    def first_waiting(self) -> int | None:
        """The lowest pending ``seq`` (None: nothing waits)."""
        ...
    def mark(self, op_id: str, status: str, error: str | None = None) -> None:
        """``applied`` or ``rejected`` (a conflict is stored rejected, error ``conflict:...``)."""
        ...
    def stats(self) -> QueueStats: ...
    def reopen_after(self, seq: int) -> int:
        """Every operation after ``seq`` is pending again (the server has not judged them)."""
        ...
    def receipts_after(self, number: int) -> None:
        """The next receipt number is above ``number`` (never lowered)."""
        ...
    def renumber_pending(self, after: int) -> int:
        """The pending operations, in their order, become ``after + 1 ...`` and the next
        operation follows them (a restored store catching up with the server)."""
        ...


class HoldGateway(Protocol):
    """The sync adapter as the points use case sees it."""

    def is_online(self) -> bool:
        """False once a contact with the server failed, until one succeeds (no network call)."""
        ...
    def push_now(self, op_id: str, timeout: float) -> OpVerdict | None:
        """Send the queue up to ``op_id`` at once; its verdict, or None if none came in time."""
        ...
