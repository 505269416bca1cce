"""The plumbing of a local fake of an HTTP service (the Telegram Bot API here, SMS.ru and
YooKassa in ``tests/server``): a threaded HTTP server on a free loopback port, serving on a
daemon thread while the fake is open (``with Fake() as fake:``), and a quiet request handler
that reads a request's body and writes a whole answer in one call. What a fake speaks and
records is its own."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


class FakeHttpServer:
    """Serves ``handler`` on 127.0.0.1 (``base``: its URL) between ``__enter__`` and
    ``__exit__``."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


class QuietHandler(BaseHTTPRequestHandler):
    """A handler that logs nothing (the test's output stays readable)."""

    def log_message(self, *args: object) -> None:
        pass

    def body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def reply(self, status: int, data: bytes, content_type: str,
              headers: dict[str, str] | None = None) -> None:  # fmt: skip
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def reply_json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        self.reply(status, json.dumps(body).encode(), "application/json", headers)
