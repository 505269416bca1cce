"""The outbox worker's next batch, read and encoded while the current one is on the wire.

Reading 500 operations from the store, shaping them for the wire and encoding the body took
about a sixth of a drain's time on the till's side (``python -m bench sync``), all of it spent
while the server sat idle. So while a batch is being judged, a thread of its own reads the
one behind it (the pending operations after the batch's last seq). The sender takes that
batch only if it is still the head of the queue - nobody else pushed it, nothing was reopened
before it - and otherwise reads the head again, as it always did.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from pos_app.services.ports import OutboxEntry
from pos_app.services.sync_queue import SyncQueue
from pos_app.sync.transport import encode_push
from pos_app.sync.wire import wire_op


@dataclass(frozen=True, slots=True)
class Batch:
    entries: Sequence[OutboxEntry]
    body: bytes  # the POST /v1/ops body of these entries


class BatchReader:
    """Used by one sender thread; the reading ahead runs on a thread of its own."""

    def __init__(self, queue: SyncQueue) -> None:
        self._queue = queue
        self._executor: ThreadPoolExecutor | None = None
        self._ahead: Future[Batch] | None = None

    def next(self, limit: int) -> Batch:
        """The head of the queue, at most ``limit`` operations (empty: nothing waits)."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            try:
                batch = ahead.result()
            except Exception:  # the store was busy: read again here, where errors are seen
                batch = None
            if (batch is not None and batch.entries and len(batch.entries) <= limit
                    and self._queue.first_waiting() == batch.entries[0].seq):  # fmt: skip
                return batch
        return self._read(limit, 0)

    def read_ahead(self, after: int, limit: int) -> None:
        """Start reading the batch behind the one ending at ``after``."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="outbox-read-ahead")
        self._ahead = self._executor.submit(self._read, limit, after)

    def drop(self) -> None:
        """Forget what was read ahead (the queue changed, or the push failed)."""
        self._ahead = None

    def close(self) -> None:
        """Wait for a read in progress (a few ms), so the store can be closed after this."""
        self._ahead = None
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def _read(self, limit: int, after: int) -> Batch:
        entries = self._queue.waiting(limit, after=after)
        return Batch(entries, encode_push([wire_op(e) for e in entries]) if entries else b"")
