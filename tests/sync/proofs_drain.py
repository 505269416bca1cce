"""Delivering a till's queue for the proofs: ``drain(store, url, token)``.

A deliberately small, strict client of ``POST /v1/ops`` (DESIGN.md "Push") over the real till
store's outbox: operations in seq order, in batches, every call with a timeout, retried as they
are (same op_id, same payload) after any failure, resent from the server's ``last_seq`` after a
gap; ``applied``/``rejected``/``conflict`` are final. The fault and crash proofs use it to show
what the *server* guarantees whatever the line does; the production worker (``pos_app.sync``)
is proven by the same scenarios through ``pos-app till-sim``.
"""

from __future__ import annotations

import time

import requests

from pos_app.db import Store
from pos_app.services.ports import OutboxEntry


class TillBug(Exception):
    """The server refused an operation for a reason only a broken till causes."""


def wire(entry: OutboxEntry) -> dict[str, object]:
    return {"op_id": entry.op_id, "terminal_id": entry.terminal_id, "seq": entry.seq,
            "created_at": entry.created_at.isoformat(), "kind": entry.kind,
            "payload": dict(entry.payload)}  # fmt: skip


def drain(
    store: Store, url: str, token: str, *, timeout: float = 5.0, batch: int = 4,
    only: int | None = None, give_up_after: int | None = None, deadline_s: float = 60.0,
) -> bool:  # fmt: skip
    """Deliver pending operations (the first ``only`` of them, or all); True once delivered,
    False after ``give_up_after`` failed calls in a row."""
    session = requests.Session()
    headers = {"Authorization": f"Bearer {token}"}
    delivered = failures = 0
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        want = batch if only is None else min(batch, only - delivered)
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
