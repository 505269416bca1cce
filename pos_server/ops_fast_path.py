"""``POST /v1/ops`` for a well-formed batch from a known token, answered as plain ASGI.

Routing, dependency resolution, validating the response model and the layers between cost
about 1 ms of CPU per request (measured: an empty batch 1.5 ms, ``GET /health`` 0.6 ms), as much
as judging a hold. Tills send nothing but this route all day, so a request that is
well-formed - a bearer token the terminal registry accepts, a body that ``OpsRequest`` accepts,
every operation of that terminal, within ``max_batch``, every payload of its kind's shape - is
answered here with the same pipeline (``apply_batch``), on the same worker threads, in the
same response shape, before any of FastAPI's layers (``ServerApp.__call__`` in app.py). Anything
else goes on, body untouched, to the FastAPI route (``pos_server.api.post_ops``), which gives
the 401/403/413/422 answers and documents the route in the OpenAPI schema.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from functools import partial
from typing import Any

from anyio import to_thread
from pydantic import ValidationError

from pos_server import terminals
from pos_server.nul_guard import holds_nul
from pos_server.ops.pipeline import BatchRefused, apply_posted, checked_for
from pos_server.schemas import OpsRequest, OpsResponse

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger(__name__)
PATH = "/v1/ops"
_JSON = [(b"content-type", b"application/json")]


async def serve_ops(app: Any, scope: Scope, receive: Receive, send: Send, fallback: ASGIApp
                    ) -> None:  # fmt: skip
    """Answer ``POST /v1/ops`` here when the request is well-formed, else ``fallback`` (the
    whole FastAPI stack) with the body replayed. ``app`` carries ``state`` (settings,
    sessions, clock, the token cache). Called before any of FastAPI's layers run."""
    limit = app.state.settings.max_body_bytes
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
        answer = await _answer(app.state, scope, body)
    if answer is None:
        log.debug("POST /v1/ops goes to the FastAPI route")
        replay = iter(messages)

        async def replayed() -> Message:
            return next(replay, None) or await receive()

        await fallback(scope, replayed, send)
        return
    status, content, headers = answer
    await send({"type": "http.response.start", "status": status,
                "headers": [*_JSON, (b"content-length", str(len(content)).encode()),
                            *headers]})  # fmt: skip
    await send({"type": "http.response.body", "body": content})


async def _answer(state: Any, scope: Scope, body: bytes
                  ) -> tuple[int, bytes, list[tuple[bytes, bytes]]] | None:  # fmt: skip
    """(status, body, headers), or None: the FastAPI route decides."""
    token = _bearer(scope)
    if token is None or holds_nul(body):
        return None
    cache = terminals.TokenCache.of(state)
    terminal_id = cache.cached(token)
    if terminal_id is None:  # first contact since start: the database knows the token
        try:
            terminal_id = await to_thread.run_sync(cache.terminal_id, state.sessions, token)
        except terminals.AuthError:
            return None  # the route answers 401 with the reason
    try:
        request = OpsRequest.model_validate_json(body)
    except ValidationError:
        return None
    settings = state.settings
    try:
        checked = checked_for(request.operations, terminal_id, settings.max_batch)
    except BatchRefused:
        return None  # the route gives the same refusal as its answer
    judge = partial(apply_posted, state.sessions, terminal_id, checked, state.clock, settings,
                    token_digest=terminals.digest(token))  # fmt: skip
    try:
        outcome = await to_thread.run_sync(judge)
    except terminals.AuthError as exc:
        content = json.dumps({"detail": str(exc)}, ensure_ascii=False).encode()
        return 401, content, [(b"www-authenticate", b"Bearer")]  # as HTTPException
    response = OpsResponse(results=outcome.results, last_seq=outcome.last_seq)
    return 200, response.model_dump_json().encode(), []


def _bearer(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            token = token.strip()
            return token if scheme.lower() == "bearer" and token else None
    return None
