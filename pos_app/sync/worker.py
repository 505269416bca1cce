"""The outbox worker: one background thread per terminal pushes the queue to the server.

What it does, and why (DESIGN.md "Sync protocol"):

* **In order, in batches.** The pending operations go in ``seq`` order, ``batch_size`` at a time,
  each batch in one ``POST /v1/ops``; every verdict of a batch is recorded in one transaction
  (``SyncQueue.record``) before the next batch is sent. The next batch is read and encoded
  while the current one is on the wire (``read_ahead.BatchReader``) and used only if it is
  still the head of the queue then.
* **Every verdict.** ``applied`` -> done; ``rejected`` -> final, a reconciliation item, never
  retried; ``conflict`` -> final, the server's state taken where the till keeps it, a message;
  ``refused/seq_gap`` -> everything after the server's ``last_seq`` is pending again and is
  resent from there; ``refused/seq_used`` -> the queue is realigned (below);
  ``refused/op_id_reused`` (and a 422 malformed batch, a 401) -> the worker stops with
  ``state.fatal`` set: a till bug no retry can fix.
* **A store behind the server** (restored from an older backup): before the first push of a
  run the worker learns the server's last seq; if it has passed a pending operation, the
  server says which of them it judged (``POST /v1/ops/known``), those take its verdicts and the
  rest are renumbered after its last seq (``_align``).
* **Retries.** A batch without an answer is sent again (the server replays known ``op_id``s),
  after an exponential backoff with jitter - or at once on ``wake()`` (a new operation was
  queued) or when, while offline, ``GET /health`` answers again (probed every 2 s). While
  online and idle, ``GET /health`` every ``liveness`` (3 s) notices a lost server within ~5 s.
* **Reconciliation after every reconnect.** Once the queue is empty after a start or an outage:
  ``POST /v1/holds/reconcile`` with the till's open holds, then ``refresh`` (the change-feed
  pull that brings fresh account snapshots), then the holds are marked as reflected. The
  refresh stops between pages when ``wake()`` is called (a first sync of 100 000 guests must not
  keep a sale's operations or an online hold waiting); the next attempt pushes, then resumes it.
* **One sender per terminal.** The OS file lock ``SenderLock`` (between processes: a second
  window waits with ``sending=False``) and ``order_actions.sender_lock`` (inside the process).

Holds: ``push_now(op_id, timeout)`` wakes the worker and waits for that operation's verdict.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from pos_app.domain.operations import HOLD_PLACED
from pos_app.services.ports import OutboxEntry
from pos_app.services.ports_sync import OpVerdict
from pos_app.services.sync_queue import SyncQueue
from pos_app.sync.backoff import Backoff
from pos_app.sync.order_actions import sender_lock
from pos_app.sync.read_ahead import BatchReader
from pos_app.sync.sender_lock import SenderLock
from pos_app.sync.state import SyncState
from pos_app.sync.transport import (
    HttpTransport,
    NotDrained,
    PushAnswer,
    QueueReport,
    Refused,
    Unreachable,
    encode_push,
)
from pos_app.sync.wire import wire_op

log = logging.getLogger(__name__)
DEFAULT_BATCH = 500
KEPT_VERDICTS = 512
_EMPTY_BATCH = encode_push([])
ANOTHER_SENDER = "Another window of this till is sending its operations; this one waits."


class SyncFatal(Exception):
    """The queue cannot go on without someone fixing the till (or its token)."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


class OutboxWorker:
    """Pushes one terminal's outbox; ``start()`` runs it on its own daemon thread."""

    def __init__(
        self,
        queue: SyncQueue,
        transport: HttpTransport,
        *,
        state: SyncState | None = None,
        lock: SenderLock | None = None,
        batch_size: int = DEFAULT_BATCH,
        backoff: Backoff | None = None,
        idle_poll: float = 2.0,
        refresh: Callable[[threading.Event], bool] | None = None,
        heartbeat: float = 15.0,
        probe_every: float = 2.0,
        liveness: float = 3.0,
        now: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.queue = queue
        self.transport = transport
        self.state = state or SyncState()
        self.batch_size = batch_size
        self._lock = lock
        self._backoff = backoff or Backoff()
        self._idle_poll = idle_poll
        self._refresh = refresh
        self._heartbeat = heartbeat
        self._probe_every = probe_every
        self._liveness = liveness
        self._last_contact = float("-inf")
        self._failures = 0  # attempts that found the server unreachable (push_now stops early)
        self._now = now
        self._terminal_id = queue.terminal_id()
        self._wake = threading.Event()
        self._yield = threading.Event()  # set by wake(): a refresh stops between its pages
        self._stop = threading.Event()
        self._idle = threading.Event()
        self._verdicts: OrderedDict[str, OpVerdict] = OrderedDict()
        self._verdict_cond = threading.Condition()
        self._needs_reconcile = True
        self._needs_align = True  # before the first push: is the server ahead of this store?
        self._reader = BatchReader(queue)
        self._thread: threading.Thread | None = None

    # --- life cycle -------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="outbox-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Finish the request in flight (bounded by its timeout), then end the thread."""
        self._stop.set()
        self._wake.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                # A request still in flight (a cut network waits for its read timeout): closing
                # the session ends it sooner, and the thread is waited for, never left running
                # on a store its owner is about to close (that crashed the process in SQLite).
                self.transport.close()
                thread.join()
        if self._lock is not None:
            self._lock.release()
        self._reader.close()
        self.transport.close()

    def wake(self) -> None:
        """Try again now: an operation was queued, or the network came back."""
        self._idle.clear()
        self._yield.set()
        self._wake.set()

    def is_online(self) -> bool:
        """Not known to be offline: before the first contact the till tries online first."""
        snap = self.state.snapshot
        return snap.fatal is None and (snap.online or snap.offline_since is None)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Until the queue is empty and reconciled (True), or ``timeout``/fatal (False)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = None if deadline is None else max(deadline - time.monotonic(), 0.0)
            if not self._idle.wait(left):
                return False
            if self.state.snapshot.fatal is not None:
                return False
            if self.queue.stats().waiting == 0:
                return True
            self.wake()  # an operation came in while the last attempt was finishing

    def push_now(self, op_id: str, timeout: float) -> OpVerdict | None:
        """Wake the worker and wait up to ``timeout`` s for ``op_id``'s verdict."""
        with self._verdict_cond:
            failures = self._failures
            self.wake()
            self._verdict_cond.wait_for(
                lambda: op_id in self._verdicts or self._failures != failures, timeout
            )
            return self._verdicts.get(op_id)

    # --- the loop -----------------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            delay = self._attempt()
            if delay is None:
                self._stop.wait()  # fatal: stays stopped until the till is fixed and restarted
                return
            self._sleep(delay)

    def _sleep(self, delay: float) -> None:
        """Wait ``delay`` s, or less: a ``wake()``, or - while offline - the server's health
        check answering again (connectivity is back: retry now, not at the end of the backoff).
        """
        deadline = time.monotonic() + delay
        while (left := deadline - time.monotonic()) > 0:
            if self._wake.wait(min(left, self._probe_every)) or self._stop.is_set():
                return
            if self.state.snapshot.offline_since is not None and self.transport.healthy():
                return

    def _attempt(self) -> float | None:
        """One try to drain and reconcile; the wait before the next one (None: fatal)."""
        if self.state.snapshot.fatal is not None:
            return None
        if self._lock is not None and not self._lock.acquire():
            self.state.update(sending=False, last_error=ANOTHER_SENDER)
            return self._backoff.next_delay()
        try:
            self.drain_once()
        except Unreachable as exc:
            self._needs_reconcile = True
            if self.state.snapshot.offline_since is None:
                self._store_offline_since(self._now())  # sales from now on say "offline"
            self.state.went_offline(str(exc), self._now())
            with self._verdict_cond:  # a hold waiting for its verdict gives up now, offline
                self._failures += 1
                self._verdict_cond.notify_all()
            self._publish_queue()  # the status bar shows what waits, and since when
            return self._backoff.next_delay()
        except SyncFatal as exc:
            log.error("outbox worker stopped: %s", exc)
            self.state.update(fatal=str(exc), last_error=str(exc))
            self._idle.set()
            return None
        except Exception as exc:  # a bug or a store error: keep the thread, say it, retry
            log.exception("outbox worker attempt failed")
            self.state.update(last_error=f"{exc.__class__.__name__}: {exc}")
            return self._backoff.next_delay()
        self._backoff.reset()
        self._idle.set()
        return self._idle_poll

    def _store_offline_since(self, since: datetime | None) -> None:
        try:
            self.queue.set_offline_since(since)
        except Exception:  # the store is busy or broken: the next attempt says it again
            log.exception("could not record the connectivity in the store")

    def drain_once(self) -> None:
        """Push everything waiting, then reconcile if this is a reconnect (caller's thread).

        With nothing to send for ``heartbeat`` seconds an empty push asks whether the server is
        still there (and still takes the token); in between, after ``liveness`` seconds of
        quiet, the cheap ``GET /health`` does, so an idle till says "offline" within a few
        seconds (status bar, points' online/offline choice), not a heartbeat later.
        """
        self._yield.clear()
        try:
            while not self._stop.is_set() and self._push():
                self._last_contact = time.monotonic()
                self.state.update(online=True, offline_since=None, sending=True)
                self._publish_queue()
        finally:
            self._reader.drop()  # read behind a batch that failed, or after the last one
        if self._stop.is_set():
            return
        quiet = time.monotonic() - self._last_contact
        if quiet >= self._heartbeat:
            self._send()
            self._last_contact = time.monotonic()
        elif quiet >= self._liveness:
            if not self.transport.healthy():
                raise Unreachable("the server does not answer its health check")
            self._last_contact = time.monotonic()
        if self._needs_reconcile:
            self._needs_reconcile = not self._reconcile()
        if self.state.snapshot.offline_since is not None or not self.state.snapshot.online:
            self.queue.set_offline_since(None)
        self.state.went_online()
        self._publish_queue(synced=True)

    def _push(self) -> bool:
        """Send the next batch and store its verdicts; False when nothing was waiting."""
        if self._needs_align:
            self._align()
            self._needs_align = False
        with sender_lock(self._terminal_id):  # read under the lock: another sender may have
            batch = self._reader.next(self.batch_size)  # pushed what we saw before
            if not batch.entries:
                return False
            self._reader.read_ahead(batch.entries[-1].seq, self.batch_size)
            answer = self._send(batch.body, self._queue_report(batch.entries))
            judged = [v for v in answer.results if v.status != "refused"]
            recorded = self.queue.record(batch.entries, judged, answer.last_seq)
        self._remember(batch.entries, judged)
        self.state.add_messages(recorded.messages)
        refused = next((v for v in answer.results if v.status == "refused"), None)
        if refused is not None:
            self._reader.drop()
            self._refused(refused, answer.last_seq)
        return True

    def _queue_report(self, batch: Sequence[OutboxEntry]) -> QueueReport:
        """The queue as this batch leaves: its head is the oldest operation waiting; the count
        is the last one taken (at least this batch)."""
        age = (self._now() - batch[0].created_at).total_seconds()
        return QueueReport(max(self.state.snapshot.waiting, len(batch)), age)

    def _last_count(self) -> QueueReport:
        """The queue as last counted (``_publish_queue``), for a push without operations."""
        snap = self.state.snapshot
        oldest = snap.oldest_waiting_at
        age = None if oldest is None else (self._now() - oldest).total_seconds()
        return QueueReport(snap.waiting, age)

    def _send(self, body: bytes = b"", queue: QueueReport | None = None) -> PushAnswer:
        """Push an encoded batch (``BatchReader``); none: an empty one, asking the server's
        last seq (a heartbeat)."""
        try:
            return self.transport.push(body or _EMPTY_BATCH, queue=queue or self._last_count())
        except Refused as exc:
            if exc.status == 413 and self.batch_size > 1:
                self.batch_size = max(1, self.batch_size // 2)
                raise Unreachable(f"batch too large, now {self.batch_size}") from exc
            raise SyncFatal(_refusal_text(exc)) from exc

    def _refused(self, verdict: OpVerdict, last_seq: int) -> None:
        if verdict.reason == "seq_gap":
            reopened = self.queue.reopen_after(last_seq)
            log.warning("seq gap: server at %s, %s operations to resend", last_seq, reopened)
            if reopened:
                return
        if verdict.reason == "seq_used":  # the server is ahead of this store: catch up first
            log.warning("seq %s already used on the server (at %s): realigning the queue",
                        verdict.seq, last_seq)  # fmt: skip
            self._needs_align = True
            return
        raise SyncFatal(
            f"The server refused operation seq {verdict.seq} ({verdict.reason}): "
            f"{verdict.message or 'this till and the server disagree about its queue'}. "
            "Sending is stopped; the till's queue needs a technician."
        )

    def _align(self) -> None:
        """Before the first push of a run (and after a ``seq_used``): when the server has passed
        the seq of a pending operation (or, nothing pending, the last seq this store heard of),
        this store is behind it - restored from an older backup - and its new operations carry
        seqs the server used for others. Ask which of
        those operations the server judged (``POST /v1/ops/known``), take their stored
        verdicts, number the rest after the server's last seq (``SyncQueue.realign``): nothing
        is applied twice and the queue goes on instead of stopping. An operation the server
        knows with another payload is a till bug: sending stops, as for ``op_id_reused``."""
        with sender_lock(self._terminal_id):
            last_seq = self._send().last_seq
            first = self.queue.first_waiting()
            if first is None and self.queue.last_seq() >= last_seq:
                return  # the usual case: nothing waits, the server knows no more than we do
            if first is not None and first > last_seq:
                return  # the usual case: the server has not passed this store
            overlap: list[OutboxEntry] = []
            after = 0
            while page := [e for e in self.queue.waiting(self.batch_size, after=after)
                           if e.seq <= last_seq]:  # fmt: skip
                overlap.extend(page)
                after = page[-1].seq
            known: list[OpVerdict] = []
            last_receipt: str | None = None
            for start in range(0, max(len(overlap), 1), self.batch_size):  # one call at least
                chunk = overlap[start:start + self.batch_size]
                try:
                    answer = self.transport.known([wire_op(e) for e in chunk])
                except Refused as exc:
                    raise SyncFatal(_refusal_text(exc)) from exc
                if answer.different:
                    raise SyncFatal(
                        f"The server refused operation {answer.different[0]} (op_id_reused): "
                        "it holds another operation under this op_id. Sending is stopped; "
                        "the till's queue needs a technician.")
                known.extend(answer.verdicts)
                last_receipt = answer.last_receipt_no
            realigned = self.queue.realign(last_seq, overlap, known, last_receipt)
        self._reader.drop()
        log.warning("this store was behind the server (its last seq %s): %s operations took "
                    "the server's verdicts, %s were renumbered after it", last_seq,
                    realigned.known, realigned.renumbered)  # fmt: skip
        self.state.add_messages(realigned.messages)

    def _remember(self, batch: Sequence[OutboxEntry], verdicts: Sequence[OpVerdict]) -> None:
        holds = {e.op_id for e in batch if e.kind == HOLD_PLACED}
        with self._verdict_cond:
            for verdict in verdicts:
                if verdict.op_id in holds:
                    self._verdicts[verdict.op_id] = verdict
            while len(self._verdicts) > KEPT_VERDICTS:
                self._verdicts.popitem(last=False)
            self._verdict_cond.notify_all()

    def _reconcile(self) -> bool:
        """Report the open holds, then refresh the accounts; False if the refresh yielded to
        new operations (``wake()``) before it finished - the next attempt goes on with it."""
        started = self._now()
        open_ids = self.queue.open_hold_ids()
        try:
            released = self.transport.reconcile(self.queue.last_seq(), open_ids)
        except NotDrained:
            answer = self._send()  # learn the server's last seq
            if self.queue.waiting(1):
                raise Unreachable("new operations arrived before reconciliation") from None
            released = self.transport.reconcile(answer.last_seq, open_ids)
        except Refused as exc:
            raise SyncFatal(_refusal_text(exc)) from exc
        if released:
            self.queue.released_by_server(released)
            log.info("reconciliation released %s holds", len(released))
        if self._refresh is None:
            return True
        if not self._refresh(self._yield):
            return False  # a first sync of many guests must not hold back a sale's operations
        self.queue.holds_reflected(started)
        return True

    def _publish_queue(self, *, synced: bool = False) -> None:
        stats = self.queue.stats()
        changes: dict[str, object] = {"waiting": stats.waiting, "oldest_waiting_at":
                                      stats.oldest_at, "problems": stats.open_items}  # fmt: skip
        if synced and stats.waiting == 0:
            changes["last_sync"] = self._now()
        self.state.update(**changes)


def _refusal_text(exc: Refused) -> str:
    if exc.status == 401:
        return ("The server does not accept this till's token (revoked or unknown). "
                "Enrol the till again with a new code.")  # fmt: skip
    return (f"The server refused this till's operations ({exc}). This is a till bug; "
            "sending is stopped until it is fixed.")  # fmt: skip
