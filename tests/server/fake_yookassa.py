"""A local YooKassa (API v3 subset, https://yookassa.ru/developers/api) for tests, real HTTP on
loopback: ``POST /v3/payments`` (HTTP Basic shop id and secret key, ``Idempotence-Key``
required: the same key answers the same payment), ``GET /v3/payments/{id}``, and a checkout
page at the confirmation URL whose "Pay" succeeds, cancels or leaves the payment pending
(``outcome``), then sends YooKassa's notification to ``webhook_url`` (``webhook_times`` times,
``webhook_delay`` seconds late) and sends the payer back to the ``return_url``."""

from __future__ import annotations

import base64
import html
import json
import threading
import time
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlsplit

import httpx

from bench.fake_http import FakeHttpServer, QuietHandler

SHOP_ID = "506751"
SECRET_KEY = "test_Fh8hUAVVBGUGbjmlzba6TB0iyUbos_lueTHE-axOwM0"


class FakeYooKassa(FakeHttpServer):
    def __init__(self, shop_id: str = SHOP_ID, secret_key: str = SECRET_KEY) -> None:
        self.shop_id, self.secret_key = shop_id, secret_key
        self.payments: dict[str, dict[str, Any]] = {}
        self.by_key: dict[str, str] = {}
        self.created = 0  # POST /v3/payments that made a new payment
        self.reads = 0  # GET /v3/payments/{id}
        self.outcome = "succeed"  # what the checkout's "Pay" does: succeed, cancel, pending
        self.webhook_url: str | None = None
        self.webhook_times = 1
        self.webhook_delay = 0.0
        self.delivered: list[int] = []  # the webhook's answers
        self.fail_next = 0  # the next API requests answer 500
        self._lock = threading.Lock()
        super().__init__(self._handler())

    @property
    def api(self) -> str:
        return f"{self.base}/v3"

    # what the payer or the bank does
    def pay(self, payment_id: str) -> None:
        self._set(payment_id, "succeeded")

    def cancel(self, payment_id: str, reason: str = "insufficient_funds") -> None:
        self._set(payment_id, "canceled", reason)

    def tamper(self, payment_id: str, **fields: Any) -> None:
        """Change what the API says of a payment (an amount that does not match)."""
        with self._lock:
            self.payments[payment_id].update(fields)

    def notification(self, payment_id: str, event: str | None = None) -> dict[str, Any]:
        with self._lock:
            payment = dict(self.payments[payment_id])
        return {"type": "notification", "event": event or f"payment.{payment['status']}",
                "object": payment}  # fmt: skip

    def notify(self, payment_id: str) -> None:
        """Send the notification ``webhook_times`` times, ``webhook_delay`` seconds late (on a
        thread when late)."""
        body = self.notification(payment_id)

        def deliver() -> None:
            time.sleep(self.webhook_delay)
            for _ in range(self.webhook_times):
                assert self.webhook_url is not None
                answer = httpx.post(self.webhook_url, json=body, timeout=30)
                self.delivered.append(answer.status_code)

        if self.webhook_url is None:
            return
        if self.webhook_delay:
            threading.Thread(target=deliver, daemon=True).start()
        else:
            deliver()

    def _set(self, payment_id: str, status: str, reason: str | None = None) -> None:
        with self._lock:
            payment = self.payments[payment_id]
            payment["status"] = status
            if status == "succeeded":
                payment["paid"] = True
                payment["captured_at"] = _now()
                card = {"type": "bank_card", "id": payment_id, "title": "Bank card *4477"}
                payment["payment_method"] = card
            elif status == "canceled":
                payment["cancellation_details"] = {"party": "payment_network", "reason": reason}
            if status != "pending":
                payment.pop("confirmation", None)

    def _create(self, key: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self._lock:
            if key in self.by_key:
                return 200, dict(self.payments[self.by_key[key]])
            amount = body.get("amount") or {}
            confirmation = body.get("confirmation") or {}
            if (not isinstance(amount.get("value"), str) or amount.get("currency") != "RUB"
                    or confirmation.get("type") != "redirect"):  # fmt: skip
                return 400, _error("invalid_request", "amount or confirmation is wrong")
            payment_id = f"2{uuid.uuid4().hex[1:8]}-000f-5000-9000-{uuid.uuid4().hex[:12]}"
            self.payments[payment_id] = {
                "id": payment_id, "status": "pending", "paid": False,
                "amount": {"value": amount["value"], "currency": "RUB"},
                "confirmation": {"type": "redirect",
                                 "confirmation_url": f"{self.base}/checkout/{payment_id}"},
                "created_at": _now(), "description": body.get("description", ""),
                "metadata": body.get("metadata") or {}, "recipient": {
                    "account_id": self.shop_id, "gateway_id": "1"},
                "refundable": False, "test": True,
                "_return_url": confirmation.get("return_url"),
            }  # fmt: skip
            self.by_key[key] = payment_id
            self.created += 1
            return 200, _public(self.payments[payment_id])

    def _authorised(self, header: str | None) -> bool:
        expected = base64.b64encode(f"{self.shop_id}:{self.secret_key}".encode()).decode()
        return header == f"Basic {expected}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(QuietHandler):
            def _answer(self, status: int, body: Any, content: str = "application/json",
                        headers: dict[str, str] | None = None) -> None:  # fmt: skip
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.reply(status, data, content, headers)

            def _api_refused(self) -> bool:
                if not fake._authorised(self.headers.get("Authorization")):
                    self._answer(401, _error("invalid_credentials", "Basic auth is wrong"))
                    return True
                if fake.fail_next:
                    fake.fail_next -= 1
                    self._answer(500, _error("internal_server_error", "try again"))
                    return True
                return False

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                if path.startswith("/v3/payments/"):
                    if self._api_refused():
                        return
                    fake.reads += 1
                    with fake._lock:
                        found = fake.payments.get(path.rsplit("/", 1)[1])
                        answer = _public(found) if found else None
                    if answer is None:
                        self._answer(404, _error("not_found", "no such payment"))
                    else:
                        self._answer(200, answer)
                elif path.startswith("/checkout/"):
                    payment_id = path.rsplit("/", 1)[1]
                    if payment_id not in fake.payments:
                        self._answer(404, b"no such payment", "text/plain")
                        return
                    self._answer(200, _checkout(payment_id, fake.payments[payment_id]),
                                 "text/html; charset=utf-8")  # fmt: skip
                else:
                    self._answer(404, b"", "text/plain")

            def do_POST(self) -> None:
                path = urlsplit(self.path).path
                raw = self.body()
                if path == "/v3/payments":
                    if self._api_refused():
                        return
                    key = self.headers.get("Idempotence-Key")
                    if not key:
                        self._answer(400, _error("invalid_request", "Idempotence-Key needed"))
                        return
                    status, body = fake._create(key, json.loads(raw or b"{}"))
                    self._answer(status, body)
                elif path.startswith("/checkout/") and path.count("/") == 3:
                    _, _, payment_id, action = path.split("/")
                    if payment_id not in fake.payments:
                        self._answer(404, b"", "text/plain")
                        return
                    if action == "cancel":
                        fake.cancel(payment_id, "canceled_by_merchant")
                    elif fake.outcome == "succeed":
                        fake.pay(payment_id)
                    elif fake.outcome == "cancel":
                        fake.cancel(payment_id)
                    if fake.payments[payment_id]["status"] != "pending":
                        fake.notify(payment_id)
                    back = fake.payments[payment_id].get("_return_url") or "/"
                    self._answer(303, b"", "text/plain", {"Location": back})
                else:
                    self._answer(404, b"", "text/plain")

        return Handler


def _public(payment: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in payment.items() if not k.startswith("_")}


def _error(code: str, description: str) -> dict[str, Any]:
    return {"type": "error", "id": str(uuid.uuid4()), "code": code, "description": description}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _checkout(payment_id: str, payment: dict[str, Any]) -> bytes:
    value, description = payment["amount"]["value"], html.escape(payment.get("description", ""))
    return "\n".join((
        '<!doctype html><html><head><meta charset="utf-8"><title>YooKassa test checkout</title>',
        f'</head><body><h1>Оплата {value} ₽</h1><p id="description">{description}</p>',
        f'<form method="post" action="/checkout/{payment_id}/pay">',
        '<button id="pay-card">Оплатить</button></form>',
        f'<form method="post" action="/checkout/{payment_id}/cancel">',
        '<button id="cancel-payment">Отказаться</button></form></body></html>',
    )).encode()  # fmt: skip
