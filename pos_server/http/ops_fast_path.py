"""``POST /v1/ops`` for a well-formed batch from a known token, answered as plain ASGI.

Routing, dependency resolution, validating the response model and the layers between cost
about 1 ms of CPU per request (measured: an empty batch 1.5 ms, ``GET /health`` 0.6 ms), as much
as judging a hold. Tills send nothing but this route all day, so a request that is
well-formed - a bearer token the terminal registry accepts, a body that ``OpsRequest`` accepts,
every operation of that terminal, within ``max_batch``, every payload of its kind's shape - is
answered here with the same pipeline (``apply_batch``), on the same worker threads, in the
same response shape, before any of FastAPI's layers (``ServerApp.__call__`` in app.py).

Bounded work (issue 16 point 6): the token is checked before the body is read (a 401 here, the
route's answer, with the body unread), and a large body is parsed on a worker thread one
operation at a time, refused with 413 at operation ``max_batch + 1``. Anything else goes on,
body untouched, to the FastAPI route (``pos_server.http.api.post_ops``), which gives the
403/413/422 answers and documents the route in the OpenAPI schema.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable, MutableMapping
from functools import partial
from typing import Any

from anyio import to_thread
from pydantic import TypeAdapter, ValidationError

from pos_server.http.metrics import count_verdicts
from pos_server.http.nul_guard import holds_nul
from pos_server.http.schemas import Operation, OpsRequest, OpsResponse
from pos_server.ops.pipeline import BatchRefused, apply_posted, checked_for
from pos_server.terminals import queue as till_queue
from pos_server.terminals import service as terminals

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger(__name__)
PATH = "/v1/ops"
_JSON = [(b"content-type", b"application/json")]


REQUIRED = "An 'Authorization: Bearer <token>' header is required."
# A body up to this size is validated whole, on the event loop (a few milliseconds at most).
# A larger one on a worker thread, one operation at a time: the count stops at max_batch + 1
# (413 before the rest is decoded) and the thread lets go of the GIL between operations, so
# the event loop keeps answering other requests (issue 16 point 6).
INLINE_PARSE_BYTES = 256 * 1024
_OPERATION: TypeAdapter[Operation] = TypeAdapter(Operation)


async def serve_ops(app: Any, scope: Scope, receive: Receive, send: Send, fallback: ASGIApp
                    ) -> None:  # fmt: skip
    """Answer ``POST /v1/ops`` here when the request is well-formed, else ``fallback`` (the
    whole FastAPI stack) with the body replayed. ``app`` carries ``state`` (settings,
    sessions, clock, the token cache). Called before any of FastAPI's layers run.

    The bearer token is checked BEFORE the body is read: a request without a valid token gets
    its 401 (the route's answer) with the body unread and unparsed."""
    state = app.state
    token = bearer_of(scope)
    if token is None:
        await reply(send, *unauthorised(REQUIRED))
        return
    cache = terminals.TokenCache.of(state)
    terminal_id = cache.cached(token)
    if terminal_id is None:  # first contact since start: the database knows the token
        try:
            terminal_id = await to_thread.run_sync(cache.terminal_id, state.sessions, token)
        except terminals.AuthError as exc:
            await reply(send, *unauthorised(str(exc)))
            return
    limit = state.settings.max_body_bytes
    messages: list[Message] = []
    complete, size = False, 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        size += len(message.get("body", b""))
        if size > limit:
            break  # the route's body limit answers 413
        if not message.get("more_body", False):
            complete = True
            break
    answer = None
    if complete:
        body = b"".join(m.get("body", b"") for m in messages)
        answer = await _answer(state, terminal_id, token, body, scope)
    if answer is None:
        log.debug("POST /v1/ops goes to the FastAPI route")
        replay = iter(messages)

        async def replayed() -> Message:
            return next(replay, None) or await receive()

        await fallback(scope, replayed, send)
        return
    await reply(send, *answer)


Answer = tuple[int, bytes, list[tuple[bytes, bytes]]]


async def reply(send: Send, status: int, content: bytes, headers: list[tuple[bytes, bytes]]
                 ) -> None:  # fmt: skip
    await send({"type": "http.response.start", "status": status,
                "headers": [*_JSON, (b"content-length", str(len(content)).encode()),
                            *headers]})  # fmt: skip
    await send({"type": "http.response.body", "body": content})


def unauthorised(message: str) -> Answer:
    """The route's 401 (``pos_server.http.api._unauthorised``: an HTTPException)."""
    content = json.dumps({"detail": message}, ensure_ascii=False).encode()
    return 401, content, [(b"www-authenticate", b"Bearer")]


async def _answer(state: Any, terminal_id: str, token: str, body: bytes, scope: Scope
                  ) -> Answer | None:  # fmt: skip
    """(status, body, headers), or None: the FastAPI route decides."""
    if holds_nul(body):
        return None
    settings = state.settings
    try:
        if len(body) > INLINE_PARSE_BYTES:
            request = await to_thread.run_sync(_parsed, body, settings.max_batch)
        else:
            request = _parsed(body, settings.max_batch)
    except BatchRefused as refusal:  # too many operations: refused before all are decoded
        content = json.dumps({"detail": refusal.detail}, ensure_ascii=False).encode()
        return refusal.status, content, []
    if request is None:
        return None
    try:
        checked = checked_for(request.operations, terminal_id, settings.max_batch)
    except BatchRefused:
        return None  # the route gives the same refusal as its answer
    judge = partial(apply_posted, state.sessions, terminal_id, checked, state.clock, settings,
                    token_digest=terminals.digest(token))  # fmt: skip
    try:
        outcome = await to_thread.run_sync(judge)
    except terminals.AuthError as exc:
        return unauthorised(str(exc))
    count_verdicts(request.operations, outcome.results)
    await _keep_queue(state, terminal_id, scope, outcome.results)
    response = OpsResponse(results=outcome.results, last_seq=outcome.last_seq)
    return 200, response.model_dump_json().encode(), []


async def _keep_queue(state: Any, terminal_id: str, scope: Scope, results: Any) -> None:
    """The till's queue report kept for the back office (``terminals.queue``): a dictionary
    lookup here; a write, on a worker thread, only when the figures changed or a minute
    passed."""
    judged = sum(1 for r in results if r.status != "refused")
    queue = till_queue.note(state, terminal_id, till_queue.reported(scope["headers"]), judged)
    if queue is not None:
        await to_thread.run_sync(till_queue.store, state.sessions.kw["bind"],
                                 till_queue.QueueBook.of(state), terminal_id, queue)  # fmt: skip


def _parsed(body: bytes, max_batch: int) -> OpsRequest | None:
    """The batch, None when it is malformed (the route then says why), or ``BatchRefused``
    (413) as soon as its operations array holds more than ``max_batch`` elements."""
    try:
        if len(body) <= INLINE_PARSE_BYTES:
            return OpsRequest.model_validate_json(body)
        text = body.decode("utf-8")
        spans = operation_spans(text, max_batch)
        if spans is None:
            return None
        operations = [_OPERATION.validate_json(text[start:end]) for start, end in spans]
    except _TooMany:
        raise BatchRefused(413, f"A batch may hold at most {max_batch} operations; this one "
                                "has more.") from None  # fmt: skip
    except (ValidationError, UnicodeDecodeError):
        return None
    return OpsRequest.model_construct(operations=operations)


_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")


class _TooMany(Exception):
    """The operations array holds more than max_batch elements."""


def decode_element(text: str, at: int) -> int:
    """Skip one JSON value of ``text`` at ``at``; returns where it ends. (A function of its
    own so a test can count the elements decoded.)"""
    return _DECODER.raw_decode(text, at)[1]


def _skip(text: str, at: int) -> int:
    return _SPACE.match(text, at).end()  # type: ignore[union-attr]


def operation_spans(text: str, limit: int) -> list[tuple[int, int]] | None:
    """Where each element of ``{"operations": [...]}`` starts and ends in ``text``, found one
    element at a time: ``_TooMany`` on element ``limit + 1``. None for a body of any other
    shape (another key, not an array, not JSON): the FastAPI route then says what is wrong."""
    try:
        at = _skip(text, 0)
        if text[at] != "{":
            return None
        key, at = _DECODER.raw_decode(text, _skip(text, at + 1))
        at = _skip(text, at)
        if key != "operations" or text[at] != ":":
            return None
        at = _skip(text, at + 1)
        if text[at] != "[":
            return None
        spans, at = _array_spans(text, at + 1, limit)
        at = _skip(text, at)
        if text[at] != "}" or _skip(text, at + 1) != len(text):
            return None
    except (ValueError, IndexError, RecursionError):
        return None
    return spans


def _array_spans(text: str, at: int, limit: int) -> tuple[list[tuple[int, int]], int]:
    """The spans of the array's elements (the first starts at ``at``) and where it ends."""
    spans: list[tuple[int, int]] = []
    at = _skip(text, at)
    if text[at] == "]":
        return spans, at + 1
    while True:
        end = decode_element(text, at)
        spans.append((at, end))
        if len(spans) > limit:
            raise _TooMany
        at = _skip(text, end)
        if text[at] == "]":
            return spans, at + 1
        if text[at] != ",":
            raise ValueError("not an array")
        at = _skip(text, at + 1)


def bearer_of(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            token = token.strip()
            return token if scheme.lower() == "bearer" and token else None
    return None
