"""A local SMS.ru (``POST /sms/send``, https://sms.ru/api/send) for tests: checks ``api_id``,
answers in SMS.ru's JSON shape with its status codes, and keeps what it was asked to send."""

from __future__ import annotations

from collections import deque
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from bench.fake_http import FakeHttpServer, QuietHandler

API_ID = "A3CA597E-3ACF-4E7D-82EE-CF82B52B1A8B"
STOP_LIST = "79990000000"  # SMS.ru code 209: the number is in the stop list


class FakeSmsRu(FakeHttpServer):
    def __init__(self, api_id: str = API_ID) -> None:
        self.api_id = api_id
        self.sent: list[dict[str, str]] = []
        self.codes: deque[int] = deque()  # the next requests answer these codes
        self.balance = 100.0
        super().__init__(self._handler())

    def _send(self, form: dict[str, str]) -> dict[str, Any]:
        if form.get("api_id") != self.api_id:
            return {"status": "ERROR", "status_code": 200, "status_text": "Неправильный api_id"}
        if self.codes:
            code = self.codes.popleft()
            if code in (201, 220, 500):  # a failure of the whole request
                return {"status": "ERROR", "status_code": code, "status_text": f"code {code}"}
        else:
            code = 100
        number = form.get("to", "")
        if not form.get("msg"):
            return {"status": "ERROR", "status_code": 203, "status_text": "Нет текста сообщения"}
        if number == STOP_LIST:
            code = 209
        if code != 100:
            one: dict[str, Any] = {"status": "ERROR", "status_code": code,
                                   "status_text": f"code {code}"}  # fmt: skip
        else:
            self.sent.append(form)
            self.balance -= 2.5
            one = {"status": "OK", "status_code": 100, "sms_id": f"000000-{len(self.sent):08d}"}
        return {"status": "OK", "status_code": 100, "sms": {number: one},
                "balance": self.balance}  # fmt: skip

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(QuietHandler):
            def do_POST(self) -> None:
                body = self.body()
                if urlsplit(self.path).path != "/sms/send":
                    self.reply(404, b"", "text/plain")
                    return
                self.reply_json(200, fake._send(dict(parse_qsl(body.decode()))))

        return Handler
