"""The outbox as the sync worker sees it: what to send, and what the server's verdicts change.

The worker in ``pos_app.sync`` speaks HTTP and may not touch the store; every read and write it
needs goes through this service, one unit of work per step:

* ``waiting`` - the pending operations in ``seq`` order (the next batch);
* ``record`` - a batch's verdicts in ONE transaction: ``applied`` marks the operation done;
  ``rejected`` marks it final and raises a reconciliation item (never retried); ``conflict``
  marks it final, applies the server's ``current`` where the till keeps that thing (a guest, a
  guest's promo code, a hold),
  and raises an item with the server's message; hold operations update the till's hold record;
  the server's ``last_seq`` is kept for the reconciliation call;
* ``reopen_after`` - the server says it has judged less than the till thinks (a restored
  server database, a ``seq_gap``): everything after its ``last_seq`` is pending again;
* ``realign`` - the server is ahead of the till (a till store restored from an older backup):
  the operations it already judged take its verdicts, the rest are numbered after its
  ``last_seq``;
* ``open_hold_ids`` / ``released_by_server`` / ``holds_reflected`` - reconciliation.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from pos_app.domain import operations as kinds
from pos_app.domain.errors import DomainError
from pos_app.domain.sale import receipt_number
from pos_app.services.feed import guest_from_feed
from pos_app.services.ports import Clock, OutboxEntry, UnitOfWork, UnitOfWorkFactory
from pos_app.services.ports_sync import (
    HOLD_COMMITTED,
    HOLD_OPEN,
    HOLD_REFUSED,
    HOLD_RELEASED,
    OpVerdict,
    QueueStats,
    ReconciliationItem,
)
from pos_app.services.ports_till import PromoCodeRecord

LAST_SEQ_KEY = "sync.last_seq"  # the last seq the server said it has judged
OFFLINE_KEY = "sync.offline_since"  # ISO time of the first failed contact of this outage


@dataclass(frozen=True, slots=True)
class Recorded:
    """What one ``record`` call did (for the connectivity state and the log)."""

    applied: int = 0
    rejected: int = 0
    conflicts: int = 0
    messages: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Realigned:
    """What ``realign`` did: verdicts taken from the server, operations renumbered (of which
    ``reopened`` had been marked judged here), the messages of its rejections."""

    known: int
    renumbered: int
    reopened: int
    messages: tuple[str, ...] = ()


class SyncQueue:
    """Built once per terminal with the store's unit-of-work factory; safe from any thread."""

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow_factory
        self._clock = clock

    def terminal_id(self) -> str:
        with self._uow(durable=False) as uow:
            return uow.terminal.info().terminal_id

    def waiting(self, limit: int = 500, *, after: int = 0) -> Sequence[OutboxEntry]:
        """The next batch; ``after``: the one behind the batch ending at that seq."""
        with self._uow(durable=False) as uow:
            return list(uow.sync.waiting(limit, after))

    def first_waiting(self) -> int | None:
        with self._uow(durable=False) as uow:
            return uow.sync.first_waiting()

    def stats(self) -> QueueStats:
        with self._uow(durable=False) as uow:
            return uow.sync.stats()

    def last_seq(self) -> int:
        with self._uow(durable=False) as uow:
            return int(uow.settings.get(LAST_SEQ_KEY, 0))

    def items(self, *, include_resolved: bool = False) -> Sequence[ReconciliationItem]:
        with self._uow(durable=False) as uow:
            return list(uow.sync.items(include_resolved=include_resolved))

    def resolve(self, op_id: str) -> None:
        """A manager has dealt with the item (it stays listed with ``include_resolved``)."""
        with self._uow() as uow:
            uow.sync.resolve_item(op_id)
            uow.commit()

    def record(
        self, sent: Sequence[OutboxEntry], verdicts: Sequence[OpVerdict], last_seq: int
    ) -> Recorded:
        """Store the judged verdicts of one batch (``refused`` ones are the worker's business)."""
        with self._uow() as uow:
            counts, messages = self._judge_all(uow, sent, verdicts)
            uow.settings.set(LAST_SEQ_KEY, last_seq)
            uow.commit()
        return Recorded(counts["applied"], counts["rejected"], counts["conflict"],
                        tuple(messages))  # fmt: skip

    def reopen_after(self, server_last_seq: int) -> int:
        """Operations after the server's ``last_seq`` are pending again; returns how many."""
        with self._uow() as uow:
            count = uow.sync.reopen_after(server_last_seq)
            uow.settings.set(LAST_SEQ_KEY, server_last_seq)
            uow.commit()
            return count

    def realign(
        self, server_last_seq: int, overlap: Sequence[OutboxEntry], known: Sequence[OpVerdict],
        last_receipt_no: str | None = None,
    ) -> Realigned:
        """Catch up with a server that is ahead of this store (restored from an older backup):
        ``overlap`` are the pending operations whose seq the server has passed, ``known`` the
        stored verdicts of those it judged with the same payload. In ONE transaction: the known
        ones take their stored verdicts (as a replay would give them), operations this store
        thinks judged after the server's ``last_seq`` are pending again, and every pending
        operation, in its order, is numbered after the server's ``last_seq`` (the next new one
        follows them), and receipts are numbered on after ``last_receipt_no`` (the server's
        last sale of this till), so a lost sale's number is not printed again. The operations
        the server applied that this store never had stay the server's; their effects come
        back through the change feed."""
        with self._uow() as uow:
            reopened = uow.sync.reopen_after(server_last_seq)
            counts, messages = self._judge_all(uow, overlap, known)
            renumbered = uow.sync.renumber_pending(server_last_seq)
            prefix = uow.terminal.info().receipt_prefix
            number = receipt_number(prefix, last_receipt_no) if last_receipt_no else None
            if number is not None:
                uow.sync.receipts_after(number)
            uow.settings.set(LAST_SEQ_KEY, server_last_seq)
            uow.commit()
        return Realigned(sum(counts.values()), renumbered, reopened, tuple(messages))

    def _judge_all(self, uow: UnitOfWork, sent: Sequence[OutboxEntry],
                   verdicts: Sequence[OpVerdict]
                   ) -> tuple[dict[str, int], list[str]]:  # fmt: skip
        """Each verdict on an operation of ``sent`` stored (``_judge``): the count of each
        status and the messages for the cashier."""
        by_id = {entry.op_id: entry for entry in sent}
        counts = {"applied": 0, "rejected": 0, "conflict": 0}
        messages: list[str] = []
        for verdict in verdicts:
            entry = by_id.get(verdict.op_id)
            if entry is None or verdict.status not in counts:
                continue
            counts[verdict.status] += 1
            message = _judge(uow, entry, verdict, self._clock.now())
            if message:
                messages.append(message)
        return counts, messages

    def set_offline_since(self, since: datetime | None) -> None:
        """The worker found the server unreachable (or, with None, reachable again)."""
        with self._uow() as uow:
            if since is None:
                uow.settings.delete(OFFLINE_KEY)
            else:
                uow.settings.set(OFFLINE_KEY, since.isoformat())
            uow.commit()

    def open_hold_ids(self) -> list[str]:
        with self._uow(durable=False) as uow:
            return list(uow.sync.open_hold_ids())

    def released_by_server(self, hold_ids: Sequence[str]) -> int:
        """The server released these holds at reconciliation: the till stops counting them."""
        changed = 0
        with self._uow() as uow:
            for hold_id in hold_ids:
                hold = uow.sync.get_hold(hold_id)
                if hold is not None and hold.status == HOLD_OPEN:
                    uow.sync.save_hold(replace(hold, status=HOLD_RELEASED))
                    changed += 1
            uow.commit()
        return changed

    def holds_reflected(self, before: datetime) -> int:
        """After a drain and an account refresh: holds made before ``before`` whose operations
        are all judged are in the cached snapshots now, so the offline rule stops subtracting
        them."""
        with self._uow() as uow:
            count = uow.sync.mark_reflected(before)
            uow.commit()
            return count


def offline_mark(uow: UnitOfWork) -> dict[str, Any]:
    """A step of every sale's end (``sale_closing.py``): a sale that ends while the till is
    offline says so in its operation.

    The server then records a rule the till could not check with it (a daily limit, a balance
    overdraft) as a breach for managers instead of refusing a sale that already happened.
    The flag is in the stored payload, so every retry sends the same operation.
    """
    return {"offline": True} if uow.settings.get(OFFLINE_KEY) else {}


def _judge(uow: UnitOfWork, entry: OutboxEntry, verdict: OpVerdict, now: datetime) -> str | None:
    if verdict.status == "applied":
        uow.sync.mark(entry.op_id, "applied")
        return None
    text = f"{verdict.reason or verdict.status}: {verdict.message or ''}".strip()
    if verdict.status == "rejected":
        uow.sync.mark(entry.op_id, "rejected", f"rejected: {text}")
        if entry.kind in kinds.HOLD_KINDS and not _hold_rejected(uow, entry):
            return None  # the end of a hold the server never had: nothing for a manager
    else:
        uow.sync.mark(entry.op_id, "rejected", f"conflict: {text}")
        _take_current(uow, entry, verdict)
    uow.sync.add_item(ReconciliationItem(
        entry.op_id, entry.seq, entry.kind, verdict.status, verdict.reason or verdict.status,
        verdict.message or text, now, dict(entry.payload),
    ))  # fmt: skip
    return f"{entry.kind} {verdict.status}: {verdict.message or text}"


def _hold_rejected(uow: UnitOfWork, entry: OutboxEntry) -> bool:
    """Update the hold a rejected hold operation named; False when no item is needed."""
    hold = uow.sync.get_hold(str(entry.payload.get("hold_id")))
    if hold is None:
        return True
    if entry.kind == kinds.HOLD_PLACED:
        uow.sync.save_hold(replace(hold, status=HOLD_REFUSED))
        return hold.offline  # an online refusal was shown to the cashier at once
    return hold.status != HOLD_REFUSED


_CARD_EDITS = (kinds.GUEST_UPDATED, kinds.GUEST_CONTACTS_SET, kinds.GUEST_LOYALTY_SET)


def _take_current(uow: UnitOfWork, entry: OutboxEntry, verdict: OpVerdict) -> None:
    """Apply the server's state where the till keeps a copy of it."""
    current: dict[str, Any] = dict(verdict.current or {})
    if entry.kind == kinds.GUEST_CREATED and current.get("guest_id"):
        guest = uow.guests.get(str(current["guest_id"]))
        if guest is not None:
            phone = current.get("phone")
            # a server copy that does not fit the till's rules: ours stays, the item says it
            with contextlib.suppress(DomainError):
                uow.guests.add(replace(guest, name=str(current.get("name") or guest.name),
                                       phones=(str(phone),) if phone else guest.phones))
    elif entry.kind in _CARD_EDITS and current.get("guest_id"):
        # the card as the server has it: the edit it refused is undone here too
        guest_id = str(current["guest_id"])
        with contextlib.suppress(DomainError, KeyError, TypeError, ValueError):
            uow.guests.add(guest_from_feed(uow.guests.get(guest_id), guest_id, current,
                                           lambda g: uow.groups.get(g) is not None))
    elif entry.kind == kinds.PROMO_ISSUED and current.get("code") and current.get("guest_id"):
        # the phone already has a code: the till adopts the server's instead of its own
        phone = current.get("phone")
        uow.promo.add_code(PromoCodeRecord(str(current["code"]), str(current["guest_id"]),
                                           str(phone) if phone else None))  # fmt: skip
    elif entry.kind == kinds.HOLD_PLACED and current.get("status"):
        hold = uow.sync.get_hold(str(entry.payload.get("hold_id")))
        status = {"committed": HOLD_COMMITTED, "released": HOLD_RELEASED,
                  "expired": HOLD_RELEASED}.get(str(current["status"]))  # fmt: skip
        if hold is not None and status is not None:
            uow.sync.save_hold(replace(hold, status=status))
