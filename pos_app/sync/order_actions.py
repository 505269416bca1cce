"""Sends the console's order actions to the server and returns the verdict (``ActionSender``).

An action is an operation in the terminal's outbox like any other (written by
``ConsoleOrders.act`` in its own transaction, with the next gap-free ``seq``), so it is
delivered exactly once whatever happens to the connection. ``push_until`` sends the waiting
operations in ``seq`` order up to the action's own, through the same pieces as the outbox
worker (``HttpTransport``, and ``SyncQueue.record`` for the verdicts: ``applied`` done;
``rejected`` and ``conflict`` final with a reconciliation item, the queue moves on), and
returns the action's verdict at once - the operator waits for it. When the server cannot be
reached the operations stay pending and ``flush`` sends them once the stream is back (see
docs/console.md: which actions are queued, which are online-only).

One sender per terminal: every push holds ``sender_lock(terminal_id)`` for the whole request,
so two pushes of one queue never overlap in this process (the outbox worker takes it too).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from pos_app.services.ports import OutboxEntry
from pos_app.services.ports_sync import OpVerdict
from pos_app.services.sync_queue import SyncQueue
from pos_app.sync.transport import HttpTransport, TransportError
from pos_app.sync.wire import wire_op

log = logging.getLogger(__name__)
BATCH = 200
_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def sender_lock(terminal_id: str) -> threading.Lock:
    """The process-wide lock a sender of ``terminal_id``'s queue holds while it pushes."""
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(terminal_id, threading.Lock())


class HttpActionSender:
    """``ActionSender`` over ``POST /v1/ops``; safe to call from any thread."""

    def __init__(self, queue: SyncQueue, transport: HttpTransport) -> None:
        self._queue = queue
        self._transport = transport
        self._terminal_id = queue.terminal_id()

    def push_until(self, op_id: str) -> OpVerdict | None:
        """Push waiting operations until ``op_id`` has a verdict; None if unreachable."""
        for _ in range(50):  # BATCH operations a round: enough for any queue a console has
            verdicts, sent_it = self._push_round(op_id)
            if verdicts is None:
                return None
            if op_id in verdicts:
                return verdicts[op_id]
            if sent_it or not verdicts:
                return None  # refused (not judged): it stays queued
        return None

    def flush(self) -> int:
        """Send everything waiting (after a reconnect); returns how many got a verdict."""
        judged = 0
        while True:
            verdicts, _ = self._push_round(None)
            if not verdicts:
                return judged
            judged += len(verdicts)

    def _push_round(self, op_id: str | None) -> tuple[dict[str, OpVerdict] | None, bool]:
        """One ``POST /v1/ops`` of the waiting operations (up to ``op_id``)."""
        with sender_lock(self._terminal_id):
            waiting = self._queue.waiting(BATCH)
            upto = next((i for i, e in enumerate(waiting) if e.op_id == op_id), None)
            batch: Sequence[OutboxEntry] = waiting if upto is None else waiting[: upto + 1]
            if not batch:
                return {}, False
            try:
                answer = self._transport.push([wire_op(e) for e in batch])
            except TransportError as exc:
                log.info("order actions not sent: %s", exc)
                return None, upto is not None
            judged = [v for v in answer.results if v.status != "refused"]
            self._queue.record(batch, judged, answer.last_seq)
            refused = next((v for v in answer.results if v.status == "refused"), None)
            if refused is not None and refused.reason == "seq_gap":
                self._queue.reopen_after(answer.last_seq)  # resent from there next round
            elif refused is not None:
                log.warning("operation seq %s refused: %s", refused.seq, refused.reason)
        return {v.op_id: v for v in judged}, upto is not None
