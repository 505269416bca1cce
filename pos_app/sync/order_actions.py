"""Sends the console's order actions to the server and returns the verdict (``ActionSender``).

An action is an operation in the terminal's outbox like any other (written by
``ConsoleOrders.act`` in its own transaction, with the next gap-free ``seq``), so it is
delivered exactly once whatever happens to the connection. ``push_until`` sends the waiting
operations in ``seq`` order up to the action's own and records each verdict in the outbox:
``applied``; ``rejected`` and ``conflict`` are final (the outbox keeps ``rejected`` with the
reason, a conflict's message starts with ``conflict:``) and the queue moves on. When the server
cannot be reached the operations stay ``pending`` and ``flush`` sends them once the stream is
back (see docs/console.md: which actions are queued, which are online-only).

One sender per terminal: every push holds ``sender_lock(terminal_id)`` for the whole request,
so two pushes of one queue never overlap in this process (the outbox worker takes it too).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, cast

import requests

from pos_app.services.orders import Verdict
from pos_app.services.ports import OutboxEntry, UnitOfWorkFactory

log = logging.getLogger(__name__)
BATCH = 200
_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def sender_lock(terminal_id: str) -> threading.Lock:
    """The process-wide lock a sender of ``terminal_id``'s queue holds while it pushes."""
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(terminal_id, threading.Lock())


class MarkingOutbox(Protocol):
    def pending(self, limit: int = 100) -> Sequence[OutboxEntry]: ...
    def mark(self, op_id: str, status: str, error: str | None = None) -> None: ...


def wire_op(entry: OutboxEntry) -> dict[str, Any]:
    return {"op_id": entry.op_id, "terminal_id": entry.terminal_id, "seq": entry.seq,
            "created_at": entry.created_at.isoformat(), "kind": entry.kind,
            "payload": dict(entry.payload)}  # fmt: skip


class HttpActionSender:
    """``ActionSender`` over ``POST /v1/ops``; safe to call from any thread."""

    def __init__(
        self, uow: UnitOfWorkFactory, base_url: str, token: str, *, timeout: float = 5.0
    ) -> None:
        self._uow = uow
        self._url = base_url.rstrip("/") + "/v1/ops"
        self._headers = {"Authorization": f"Bearer {token}"}
        self._timeout = timeout
        self._session = requests.Session()

    def _pending(self) -> Sequence[OutboxEntry]:
        with self._uow() as uow:
            return cast(MarkingOutbox, uow.outbox).pending(BATCH)

    def push_until(self, op_id: str) -> Verdict | None:
        """Push waiting operations until ``op_id`` has a verdict; None if unreachable."""
        while True:
            pending = self._pending()
            if not pending:
                return None
            lock = sender_lock(pending[0].terminal_id)
            with lock:
                pending = self._pending()  # another sender may have pushed meanwhile
                upto = next((i for i, e in enumerate(pending) if e.op_id == op_id), None)
                batch = pending if upto is None else pending[: upto + 1]
                verdicts = self._post(batch) if batch else None
            if not verdicts:
                return None  # unreachable, or nothing was judged: it stays queued
            if op_id in verdicts:
                return verdicts[op_id]
            if upto is not None or not batch:
                return None  # refused (not judged): it stays queued

    def flush(self) -> int:
        """Send everything waiting (after a reconnect); returns how many got a verdict."""
        judged = 0
        while pending := self._pending():
            with sender_lock(pending[0].terminal_id):
                verdicts = self._post(self._pending())
            if not verdicts:
                break
            judged += len(verdicts)
        return judged

    def _post(self, batch: Sequence[OutboxEntry]) -> dict[str, Verdict] | None:
        if not batch:
            return {}
        try:
            response = self._session.post(
                self._url, json={"operations": [wire_op(e) for e in batch]},
                headers=self._headers, timeout=self._timeout,
            )  # fmt: skip
        except requests.RequestException as exc:
            log.info("order action not sent: %s", exc)
            return None
        if response.status_code != 200:
            log.warning("POST /v1/ops answered %s: %s", response.status_code, response.text[:300])
            return None
        verdicts = {}
        for result in response.json()["results"]:
            if result["status"] == "refused":
                log.warning("operation %s refused: %s", result["op_id"], result.get("reason"))
                continue
            verdicts[result["op_id"]] = _verdict(result)
        self._record(verdicts)
        return verdicts

    def _record(self, verdicts: Mapping[str, Verdict]) -> None:
        with self._uow() as uow:
            outbox = cast(MarkingOutbox, uow.outbox)
            for verdict in verdicts.values():
                if verdict.status == "applied":
                    outbox.mark(verdict.op_id, "applied")
                else:
                    text = f"{verdict.status}: {verdict.reason}: {verdict.message or ''}"
                    outbox.mark(verdict.op_id, "rejected", text)
            uow.commit()


def _verdict(result: Mapping[str, Any]) -> Verdict:
    return Verdict(str(result["op_id"]), str(result["status"]), result.get("reason"),
                   result.get("message"), result.get("current"))  # fmt: skip
