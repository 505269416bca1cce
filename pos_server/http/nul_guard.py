"""Refuse request bodies whose JSON text holds a NUL character (``\\u0000``).

PostgreSQL cannot store NUL in ``text`` or ``jsonb``; such a value used to travel through
validation and fail at the INSERT as a 500. Any string field of any endpoint can carry one,
so the check sits in front of the app as plain ASGI: the body is held (it is bounded by
``max_body_size`` anyway), looked at once and handed on unchanged.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# \u0000 not itself escaped: an even number of backslashes (or none) before "\u0000".
_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)
MESSAGE = "Text may not contain the NUL character (\\u0000)."


def holds_nul(body: bytes) -> bool:
    if b"\x00" in body:
        return True
    if b"u0000" not in body and b"U0000" not in body:
        return False  # the common case, found by a plain byte search (no regex over the body)
    return _NUL.search(body) is not None


class NulGuard:
    """``exempt``: paths whose route reads its body only after checking the caller's
    credentials (``admin_api.late_body``), and checks it for NUL itself then: held here, the
    body would be read before the credentials are checked. ``multipart_prefixes``: paths whose
    ``multipart/form-data`` bodies pass (an uploaded picture is binary and holds NUL bytes by
    nature); the back office's forms check their text fields for NUL themselves
    (``admin_web.context.check_form``)."""

    def __init__(self, app: ASGIApp, exempt: frozenset[str] = frozenset(),
                 multipart_prefixes: tuple[str, ...] = ()) -> None:  # fmt: skip
        self.app = app
        self.exempt = exempt
        self.multipart_prefixes = multipart_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope.get("method") not in ("POST", "PUT", "PATCH")
                or scope.get("path") in self.exempt or self._upload(scope)):  # fmt: skip
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request")
        if holds_nul(body):
            await _refuse(send)
            return
        replay = iter(messages)

        async def replayed() -> Message:
            return next(replay, None) or await receive()

        await self.app(scope, replayed, send)

    def _upload(self, scope: Scope) -> bool:
        path = str(scope.get("path", ""))
        if not any(path.startswith(prefix) for prefix in self.multipart_prefixes):
            return False
        headers: dict[bytes, bytes] = dict(scope.get("headers") or ())
        return headers.get(b"content-type", b"").lower().startswith(b"multipart/form-data")


async def _refuse(send: Send) -> None:
    # FastAPI's validation-error shape, so the 422 matches the OpenAPI schema of every route.
    error = {"loc": ["body"], "msg": MESSAGE, "type": "value_error", "input": None}
    content = json.dumps({"detail": [error]}).encode()
    await send({"type": "http.response.start", "status": 422,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(content)).encode())]})  # fmt: skip
    await send({"type": "http.response.body", "body": content})
