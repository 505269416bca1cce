"""``BatchReader``: the batch read while another is on the wire is sent only if it is still the
head of the queue (a real SQLite store)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from pos_app.db import open_store
from pos_app.db.uow import SystemClock
from pos_app.domain.operations import GuestCreated, parse
from pos_app.services.ports import OutboxEntry
from pos_app.services.ports_sync import OpVerdict
from pos_app.services.sync_queue import SyncQueue
from pos_app.sync.read_ahead import BatchReader


class CountingQueue(SyncQueue):
    reads = 0

    def waiting(self, limit: int = 500, *, after: int = 0) -> Sequence[OutboxEntry]:
        self.reads += 1
        return super().waiting(limit, after=after)


@pytest.fixture
def queue(tmp_path: Path) -> Iterator[CountingQueue]:
    with open_store(tmp_path / "till.sqlite3", terminal_id="t-1") as store:
        with store.unit_of_work() as uow:
            for n in range(1, 8):
                uow.outbox.append(GuestCreated(guest_id=f"g{n}", name=f"Guest {n}"))
            uow.commit()
        yield CountingQueue(store.unit_of_work, SystemClock())


def _seqs(entries: Sequence[OutboxEntry]) -> list[int]:
    return [e.seq for e in entries]


def _applied(queue: SyncQueue, entries: Sequence[OutboxEntry]) -> None:
    verdicts = [OpVerdict(e.op_id, e.seq, "applied", None, None, None) for e in entries]
    queue.record(entries, verdicts, entries[-1].seq)


def test_the_batch_read_ahead_is_sent_when_it_is_still_the_head(queue: CountingQueue) -> None:
    reader = BatchReader(queue)
    first = reader.next(3)
    assert _seqs(first.entries) == [1, 2, 3]
    reader.read_ahead(3, 3)
    _applied(queue, first.entries)  # the server's verdicts came back
    second = reader.next(3)
    assert _seqs(second.entries) == [4, 5, 6]
    assert queue.reads == 2  # the head was not read again
    sent = json.loads(second.body)["operations"]
    assert [(op["seq"], op["payload"]["guest_id"]) for op in sent] == [(4, "g4"), (5, "g5"),
                                                                       (6, "g6")]  # fmt: skip
    reader.close()


def test_a_batch_another_sender_pushed_is_read_again(queue: CountingQueue) -> None:
    reader = BatchReader(queue)
    first = reader.next(3)
    reader.read_ahead(3, 3)
    _applied(queue, [*first.entries, *queue.waiting(1, after=3)])  # seq 4 went elsewhere
    assert _seqs(reader.next(3).entries) == [5, 6, 7]
    reader.close()


def test_operations_reopened_before_the_batch_are_sent_first(queue: CountingQueue) -> None:
    reader = BatchReader(queue)
    first = reader.next(3)
    reader.read_ahead(3, 3)
    _applied(queue, first.entries)
    queue.reopen_after(1)  # the server lost seq 2 and 3 (a seq_gap)
    assert _seqs(reader.next(3).entries) == [2, 3, 4]
    reader.close()


def test_nothing_read_ahead_then_new_operations_are_found(queue: CountingQueue) -> None:
    reader = BatchReader(queue)
    first = reader.next(10)
    reader.read_ahead(first.entries[-1].seq, 10)  # finds nothing behind seq 7
    _applied(queue, first.entries)
    assert reader.next(10).entries == []
    reader.read_ahead(7, 10)
    with queue._uow() as uow:  # a sale is closed meanwhile
        uow.outbox.append(parse("guest.created", {"guest_id": "g8", "name": "Guest 8"}))
        uow.commit()
    assert _seqs(reader.next(10).entries) == [8]
    reader.close()
