"""Delivering a till's queue for the proofs: ``drain(store, url, token)``.

``drain`` runs the production ``OutboxWorker`` (``pos_app.sync.worker``) on its own thread,
as the till does, wakes it and waits until the queue is empty and reconciled (or until the
worker has noticed an outage). ``deliver_first`` is a deliberately small, strict client of
``POST /v1/ops`` used only to put a queue into a half-delivered state before a scenario (the
worker always sends all).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import requests

from pos_app.db import Store
from pos_app.db.uow import SystemClock
from pos_app.services.ports import OutboxEntry
from pos_app.services.sync_queue import SyncQueue
from pos_app.sync.backoff import Backoff
from pos_app.sync.puller import FeedPuller
from pos_app.sync.transport import HttpTransport
from pos_app.sync.worker import OutboxWorker


class TillBug(Exception):
    """The server refused an operation for a reason only a broken till causes."""


def wire(entry: OutboxEntry) -> dict[str, object]:
    return {"op_id": entry.op_id, "terminal_id": entry.terminal_id, "seq": entry.seq,
            "created_at": entry.created_at.isoformat(), "kind": entry.kind,
            "payload": dict(entry.payload)}  # fmt: skip


def worker_for(
    store: Store, url: str, token: str, *, timeout: float = 5.0, batch: int = 4,
    puller: FeedPuller | None = None,
) -> OutboxWorker:  # fmt: skip
    """The till's worker as the app builds it, with short timeouts and backoff for tests;
    ``puller`` is its refresh after reconciliation (fresh account snapshots)."""

    def refresh(stop: threading.Event | None = None) -> bool:
        """The worker's refresh after reconciliation; True when the pull got to the end."""
        return puller is None or not puller.pull(stop).stopped

    return OutboxWorker(SyncQueue(store.unit_of_work, SystemClock()),
                        HttpTransport(url, token, timeout=(timeout, timeout)),
                        batch_size=batch, backoff=Backoff(0.02, 0.3), refresh=refresh)  # fmt: skip


def drain(
    store: Store, url: str, token: str, *, timeout: float = 5.0, batch: int = 4,
    only: int | None = None, until_offline: bool = False, deadline_s: float = 60.0,
    worker: OutboxWorker | None = None,
) -> bool:  # fmt: skip
    """Run the worker on its own thread (as the till does) and wake it: True once the queue is
    delivered and reconciled; with ``until_offline``, False as soon as the worker has found
    the server unreachable. A worker made here is stopped afterwards; a given one runs on.
    ``only``: see ``deliver_first``."""
    if only is not None:
        return deliver_first(store, url, token, only, timeout=timeout, batch=batch)
    own = worker is None
    worker = worker or worker_for(store, url, token, timeout=timeout, batch=batch)
    try:
        worker.start()
        worker.wake()
        if until_offline:
            return not _wait(lambda: worker.state.snapshot.offline_since is not None, deadline_s)
        if worker.wait_idle(deadline_s):
            return True
        fatal = worker.state.snapshot.fatal
        if fatal is not None:
            raise TillBug(fatal)
        raise TimeoutError(f"the queue was not delivered within {deadline_s} s "
                           f"({worker.state.snapshot.last_error})")  # fmt: skip
    finally:
        if own:
            worker.stop()


def _wait(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"not within {seconds} s")
        time.sleep(0.01)
    return True


def deliver_first(
    store: Store, url: str, token: str, only: int, *, timeout: float = 5.0, batch: int = 4,
    give_up_after: int | None = None, deadline_s: float = 60.0,
) -> bool:  # fmt: skip
    """Deliver the first ``only`` pending operations (in seq order) and stop there."""
    session = requests.Session()
    headers = {"Authorization": f"Bearer {token}"}
    delivered = failures = 0
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        want = min(batch, only - delivered)
        with store.unit_of_work(durable=False) as uow:
            pending = list(uow.outbox.pending(want)) if want > 0 else []
        if not pending:
            return True
        try:
            body = {"operations": [wire(e) for e in pending]}
            response = session.post(url + "/v1/ops", json=body, headers=headers, timeout=timeout)
            if 400 <= response.status_code < 500:
                raise TillBug(f"{response.status_code}: {response.text[:300]}")
            response.raise_for_status()
        except requests.RequestException:
            failures += 1
            if give_up_after is not None and failures >= give_up_after:
                return False
            session.close()
            session = requests.Session()
            time.sleep(min(0.5, 0.02 * 2**failures))
            continue
        failures = 0
        delivered += _record(store, response.json()["results"])
    raise TimeoutError(f"the queue was not delivered within {deadline_s} s")


def _record(store: Store, results: list[dict[str, object]]) -> int:
    done = 0
    with store.unit_of_work() as uow:
        for result in results:
            status = result["status"]
            if status == "refused":
                if result["reason"] == "seq_gap":
                    break  # resend from the server's last seq: the pending list does it
                raise TillBug(f"{result['reason']}: {result['message']}")
            uow.outbox.mark(str(result["op_id"]), "applied" if status == "applied" else "rejected",
                            None if status == "applied" else str(result["reason"]))  # fmt: skip
            done += 1
        uow.commit()
    return done
