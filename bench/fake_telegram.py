"""A local Telegram Bot API speaking its real HTTP protocol, for tests and ``python -m bench
notify``.

``POST /bot<token>/<method>`` with JSON or multipart form data, answered with
``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": N, "description": "...",
"parameters": {"retry_after": s}}`` as https://core.telegram.org/bots/api describes, for
``sendMessage``, ``sendPhoto``, ``getUpdates`` (long polling with ``offset`` and ``timeout``),
``setWebhook`` and ``getMe``. A test can queue updates, make the next sends fail, take the API
down (502, as a proxy in front of a dead server answers), block a chat (403) and see every
message delivered. It enforces Telegram's 30 messages a second per bot with 429.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler
from typing import Any

from bench.fake_http import FakeHttpServer, QuietHandler

TOKEN = "123456:TEST-token"
BOT_USERNAME = "venue_test_bot"


@dataclass
class Delivered:
    method: str
    chat_id: str
    text: str
    photo: bytes | None = None
    at: float = field(default_factory=time.monotonic)


class FakeBotApi(FakeHttpServer):
    def __init__(self, token: str = TOKEN, rate_per_second: int = 30) -> None:
        self.token = token
        self.rate = rate_per_second
        self.delivered: list[Delivered] = []
        self.failures: deque[tuple[int, str, float | None]] = deque()
        self.blocked: set[str] = set()
        self.down = False
        self.webhook: dict[str, Any] | None = None
        self.rate_limited = 0
        self._updates: list[dict[str, Any]] = []
        self._next_update = 1
        self._sends: deque[float] = deque()
        self._lock = threading.Condition()
        super().__init__(self._handler())

    # what a test does
    def fail_next(self, count: int, code: int = 500, description: str = "Internal Server Error",
                  retry_after: float | None = None) -> None:  # fmt: skip
        for _ in range(count):
            self.failures.append((code, description, retry_after))

    def push_update(self, **content: Any) -> dict[str, Any]:
        with self._lock:
            update = {"update_id": self._next_update, **content}
            self._next_update += 1
            self._updates.append(update)
            self._lock.notify_all()
        return update

    def start_message(self, chat_id: int, text: str) -> dict[str, Any]:
        """A private chat's message as Telegram sends it (``/start <payload>`` of a deep link)."""
        user = {"id": chat_id, "is_bot": False, "first_name": "Guest", "language_code": "ru"}
        return {
            "message_id": 1,
            "from": user,
            "date": int(time.time()),
            "chat": {"id": chat_id, "first_name": "Guest", "type": "private"},
            "text": text,
            "entities": [{"offset": 0, "length": 6, "type": "bot_command"}],
        }

    def to(self, chat_id: int | str) -> list[Delivered]:
        return [d for d in self.delivered if d.chat_id == str(chat_id)]

    # the API
    def _call(self, method: str, fields: dict[str, Any], files: dict[str, bytes]) -> Any:
        if method == "getMe":
            return {"id": 123456, "is_bot": True, "first_name": "Venue",
                    "username": BOT_USERNAME}  # fmt: skip
        if method == "setWebhook":
            self.webhook = fields
            return True
        if method == "getUpdates":
            return self._get_updates(fields)
        if method in ("sendMessage", "sendPhoto"):
            return self._send(method, fields, files)
        raise _ApiError(404, "Not Found: method not found")

    def _get_updates(self, fields: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(fields.get("offset") or 0)
        deadline = time.monotonic() + float(fields.get("timeout") or 0)
        with self._lock:
            if offset:  # confirms every update before it
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and time.monotonic() < deadline:
                self._lock.wait(deadline - time.monotonic())
            return list(self._updates)

    def _send(self, method: str, fields: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat_id = str(fields.get("chat_id", ""))
        text = str(fields.get("text" if method == "sendMessage" else "caption", ""))
        with self._lock:
            if self.failures:
                code, description, retry_after = self.failures.popleft()
                raise _ApiError(code, description, retry_after)
            if chat_id in self.blocked:
                raise _ApiError(403, "Forbidden: bot was blocked by the user")
            now = time.monotonic()
            while self._sends and self._sends[0] <= now - 1.0:
                self._sends.popleft()
            if len(self._sends) >= self.rate:
                self.rate_limited += 1
                raise _ApiError(429, "Too Many Requests: retry after 1", 1)
            if not chat_id or (method == "sendMessage" and not text):
                raise _ApiError(400, "Bad Request: message text is empty")
            if method == "sendPhoto" and not files.get("photo"):
                raise _ApiError(400, "Bad Request: there is no photo in the request")
            self._sends.append(now)
            self.delivered.append(Delivered(method, chat_id, text, files.get("photo")))
            message_id = len(self.delivered)
        result: dict[str, Any] = {"message_id": message_id, "date": int(time.time()),
                                  "chat": {"id": int(chat_id), "type": "private"}}  # fmt: skip
        if method == "sendPhoto":
            result.update(photo=[{"file_id": f"photo{message_id}", "width": 300,
                                  "height": 300}], caption=text)  # fmt: skip
        else:
            result["text"] = text
        return result

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(QuietHandler):
            def do_POST(self) -> None:
                body = self.body()
                if api.down:
                    self.reply(502, b"<html>502 Bad Gateway</html>", "text/html")
                    return
                prefix = f"/bot{api.token}/"
                if not self.path.startswith(prefix):
                    self.reply_json(401, {"ok": False, "error_code": 401,
                                          "description": "Unauthorized"})  # fmt: skip
                    return
                fields, files = _parse(self.headers.get("Content-Type", ""), body)
                try:
                    result = api._call(self.path[len(prefix) :], fields, files)
                except _ApiError as error:
                    answer: dict[str, Any] = {"ok": False, "error_code": error.code,
                                              "description": error.description}  # fmt: skip
                    if error.retry_after is not None:
                        answer["parameters"] = {"retry_after": error.retry_after}
                    self.reply_json(error.code, answer)
                    return
                self.reply_json(200, {"ok": True, "result": result})

        return Handler


class _ApiError(Exception):
    def __init__(self, code: int, description: str, retry_after: float | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.retry_after = code, description, retry_after


def _parse(content_type: str, body: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    """JSON, urlencoded or multipart/form-data fields, as the Bot API accepts all three."""
    if content_type.startswith("application/json"):
        return json.loads(body or b"{}"), {}
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
        )
        fields: dict[str, Any] = {}
        files: dict[str, bytes] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            decoded = part.get_payload(decode=True)
            payload = decoded if isinstance(decoded, bytes) else b""
            if part.get_filename():
                files[str(name)] = payload
            else:
                fields[str(name)] = payload.decode()
        return fields, files
    from urllib.parse import parse_qsl

    return dict(parse_qsl(body.decode())), {}
