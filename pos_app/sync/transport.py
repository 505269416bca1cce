"""HTTP to the central server with ``requests``: push operations, reconcile holds, enrol.

Every call has a timeout (connect, read) and one ``requests.Session`` keeps the connection
alive between batches. Failures come out as two kinds, because the worker treats them
differently:

* ``Unreachable`` - no answer, a cut connection, a timeout, a 5xx or 429: the operations may or
  may not have been applied, so the same batch is sent again later (the server replays stored
  verdicts of known ``op_id``s, so a retry is harmless);
* ``Refused`` - the server answered and will answer the same again (401 revoked token, 403,
  413, 422 malformed payload): retrying cannot help; ``status`` and ``detail`` say why.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import requests

from pos_app.services.ports_sync import OpVerdict
from pos_app.sync.server_link import DEFAULT_TRUST, ServerTrust, new_session

CONNECT_TIMEOUT = 3.05
READ_TIMEOUT = 30.0  # a batch of 500 sales is judged in well under a second; 30 s is a hang


class TransportError(Exception):
    """The server could not be used for this call."""


class Unreachable(TransportError):
    """No usable answer: try again later."""


class Refused(TransportError):
    """The server refused the request itself; sending it again gives the same answer."""

    def __init__(self, status: int, detail: Any) -> None:
        self.status = status
        self.detail = detail
        super().__init__(f"the server answered {status}: {_short(detail)}")


class NotDrained(TransportError):
    """``/v1/holds/reconcile`` said 409: the server has judged another last seq."""


@dataclass(frozen=True, slots=True)
class PushAnswer:
    results: list[OpVerdict]
    last_seq: int


@dataclass(frozen=True, slots=True)
class KnownAnswer:
    """``POST /v1/ops/known``: the server's last seq; the stored verdicts of the operations it
    judged with the same payload; the op_ids it knows with another payload; the receipt
    number of this terminal's last sale it applied."""

    last_seq: int
    verdicts: list[OpVerdict]
    different: list[str]
    last_receipt_no: str | None = None


@dataclass(frozen=True, slots=True)
class QueueReport:
    """The till's queue as a batch leaves: the server counts it in its metrics
    (``tillkeeper_till_queue_*``) and keeps the last one per terminal for the back office
    (``pos_server.terminals.queue``)."""

    waiting: int
    oldest_age_seconds: float | None  # None: nothing waits

    def headers(self) -> dict[str, str]:
        found = {"X-Till-Queue-Waiting": str(max(self.waiting, 0))}
        if self.oldest_age_seconds is not None:
            found["X-Till-Queue-Age"] = f"{max(self.oldest_age_seconds, 0.0):.1f}"
        return found


def _short(detail: Any) -> str:
    if isinstance(detail, Mapping) and "message" in detail:
        return str(detail["message"])
    return str(detail)[:300]


class HttpTransport:
    """The terminal's calls to one server; safe to use from one thread at a time."""

    def __init__(
        self,
        base_url: str,
        token: str | None,
        *,
        timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT),
        trust: ServerTrust = DEFAULT_TRUST,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._timeout = timeout
        self._session = new_session(base_url, trust)  # refuses http:// that is not safe
        self.enrolled_name = ""  # the terminal's name, once enrolled (``enrol``)

    def close(self) -> None:
        self._session.close()

    def push(self, operations: Sequence[Mapping[str, Any]] | bytes, *,
             queue: QueueReport | None = None) -> PushAnswer:  # fmt: skip
        """``operations`` as wire dicts, or already encoded by ``encode_push``; ``queue``: what
        waits in the till's queue, told to the server for its metrics."""
        headers = queue.headers() if queue is not None else None
        if isinstance(operations, bytes):
            body = self._post("/v1/ops", content=operations, headers=headers)
        else:
            body = self._post("/v1/ops", {"operations": list(operations)}, headers=headers)
        results = [
            OpVerdict(str(r["op_id"]), int(r["seq"]), str(r["status"]), r.get("reason"),
                      r.get("message"), r.get("current"), bool(r.get("replayed")))
            for r in body["results"]
        ]  # fmt: skip
        return PushAnswer(results, int(body["last_seq"]))

    def known(self, operations: Sequence[Mapping[str, Any]]) -> KnownAnswer:
        """Which of these operations the server has judged (nothing is written)."""
        body = self._post("/v1/ops/known", {"operations": list(operations)})
        verdicts, different = [], []
        for r in body["known"]:
            if r["same_payload"]:
                verdicts.append(OpVerdict(str(r["op_id"]), int(r["seq"]), str(r["status"]),
                                          r.get("reason"), r.get("message"), r.get("current"),
                                          replayed=True))  # fmt: skip
            else:
                different.append(str(r["op_id"]))
        receipt = body.get("last_receipt_no")
        return KnownAnswer(int(body["last_seq"]), verdicts, different,
                           None if receipt is None else str(receipt))

    def reconcile(self, last_seq: int, open_hold_ids: Sequence[str]) -> list[str]:
        body = self._post(
            "/v1/holds/reconcile", {"last_seq": last_seq, "open_hold_ids": list(open_hold_ids)}
        )
        return [str(h) for h in body["released"]]

    def healthy(self, timeout: float = 1.0) -> bool:
        """``GET /health`` answers 200 within ``timeout``: the network is back (no token)."""
        try:
            response = self._session.get(self.base_url + "/health", timeout=(timeout, timeout))
        except requests.RequestException:
            return False
        return response.status_code == 200

    def enrol(self, code: str) -> tuple[str, str]:
        """Exchange a one-time enrolment code for ``(terminal_id, token)``; the terminal's
        name (servers that send one) is kept as ``enrolled_name``."""
        body = self._post("/v1/terminals/enrol", {"code": code}, auth=False)
        self.enrolled_name = str(body.get("name") or "").strip()
        return str(body["terminal_id"]), str(body["token"])

    def _post(self, path: str, body: Mapping[str, Any] | None = None, *, auth: bool = True,
              content: bytes | None = None, headers: Mapping[str, str] | None = None,
              ) -> Any:  # fmt: skip
        headers = dict(headers or {})
        if auth and self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        if content is not None:
            headers["Content-Type"] = "application/json"
        try:
            response = self._session.post(self.base_url + path, json=body, data=content,
                                          headers=headers, timeout=self._timeout)  # fmt: skip
        except requests.RequestException as exc:
            raise Unreachable(f"{self.base_url} did not answer: {exc.__class__.__name__}") from exc
        return _body(response)


def encode_push(operations: Sequence[Mapping[str, Any]]) -> bytes:
    """The body of ``POST /v1/ops`` as ``push`` would send it (for a batch encoded ahead)."""
    return json.dumps({"operations": list(operations)}, ensure_ascii=False,
                      allow_nan=False).encode("utf-8")  # fmt: skip


def _body(response: requests.Response) -> Any:
    status = response.status_code
    if status in {200, 201}:
        try:
            return response.json()
        except ValueError as exc:  # a proxy's page or a cut body
            raise Unreachable(f"the answer to {response.url} was not JSON") from exc
    if status >= 500 or status in (408, 429):
        raise Unreachable(f"the server answered {status}")
    try:
        detail = response.json().get("detail")
    except ValueError:
        detail = response.text[:300]
    if status == 409:
        raise NotDrained(_short(detail))
    raise Refused(status, detail)
