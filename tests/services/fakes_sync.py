"""In-memory fake of ``SyncRepository`` (``UnitOfWork.sync``), on the fake store's copy."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from pos_app.services.ports import OutboxEntry
from pos_app.services.ports_sync import HoldRecord, QueueStats, ReconciliationItem


@dataclass
class FakeSyncData:
    holds: dict[str, HoldRecord] = field(default_factory=dict)
    items: dict[str, ReconciliationItem] = field(default_factory=dict)


class FakeSync:
    def __init__(self, data: FakeSyncData, outbox: list[OutboxEntry]) -> None:
        self.d = data
        self.outbox = outbox

    def add_hold(self, hold: HoldRecord) -> None:
        assert hold.hold_id not in self.d.holds
        self.d.holds[hold.hold_id] = hold

    def save_hold(self, hold: HoldRecord) -> None:
        self.d.holds[hold.hold_id] = hold

    def get_hold(self, hold_id: str) -> HoldRecord | None:
        return self.d.holds.get(hold_id)

    def holds_for_sale(self, sale_id: str) -> Sequence[HoldRecord]:
        return [h for h in self.d.holds.values() if h.sale_id == sale_id]

    def unreflected_holds(self, guest_id: str) -> Sequence[HoldRecord]:
        return [h for h in self.d.holds.values() if h.guest_id == guest_id and not h.reflected]

    def mark_reflected(self, before: datetime) -> int:
        busy = {e.payload.get("hold_id") for e in self.outbox
                if e.status == "pending" and e.kind.startswith("hold.")}  # fmt: skip
        count = 0
        for hold in list(self.d.holds.values()):
            if not hold.reflected and hold.created_at <= before and hold.hold_id not in busy:
                self.d.holds[hold.hold_id] = dataclasses.replace(hold, reflected=True)
                count += 1
        return count

    def open_hold_ids(self) -> Sequence[str]:
        return [h.hold_id for h in self.d.holds.values() if h.status == "open"]

    def add_item(self, item: ReconciliationItem) -> None:
        self.d.items[item.op_id] = item

    def items(self, *, include_resolved: bool = False) -> Sequence[ReconciliationItem]:
        found = [i for i in self.d.items.values() if include_resolved or not i.resolved]
        return sorted(found, key=lambda i: i.seq)

    def resolve_item(self, op_id: str) -> None:
        self.d.items[op_id] = dataclasses.replace(self.d.items[op_id], resolved=True)

    def waiting(self, limit: int, after: int = 0) -> Sequence[OutboxEntry]:
        pending = sorted((e for e in self.outbox if e.status == "pending" and e.seq > after),
                         key=lambda e: e.seq)  # fmt: skip
        return pending[:limit]

    def first_waiting(self) -> int | None:
        return min((e.seq for e in self.outbox if e.status == "pending"), default=None)

    def mark(self, op_id: str, status: str, error: str | None = None) -> None:
        for index, entry in enumerate(self.outbox):
            if entry.op_id == op_id:
                self.outbox[index] = dataclasses.replace(
                    entry, status=status, last_error=error, attempts=entry.attempts + 1
                )

    def stats(self) -> QueueStats:
        waiting = [e for e in self.outbox if e.status == "pending"]
        open_items = sum(1 for i in self.d.items.values() if not i.resolved)
        return QueueStats(len(waiting), min((e.created_at for e in waiting), default=None),
                          open_items)  # fmt: skip

    def reopen_after(self, seq: int) -> int:
        count = 0
        for index, entry in enumerate(self.outbox):
            if entry.seq > seq and entry.status != "pending":
                self.outbox[index] = dataclasses.replace(entry, status="pending")
                count += 1
        return count
