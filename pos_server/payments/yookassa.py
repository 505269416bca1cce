"""A client of YooKassa API v3 (https://yookassa.ru/developers/api): the three calls a card
top-up needs, over httpx.

- ``POST /v3/payments`` (HTTP Basic: shop id and secret key; ``Idempotence-Key``: our top-up
  id, so a retried request makes no second payment) with ``amount {value: "100.00", currency:
  "RUB"}``, ``capture: true``, ``confirmation {type: redirect, return_url}``, ``description``
  and ``metadata``;
- ``GET /v3/payments/{id}``: the payment as YooKassa has it, the only thing trusted;
- notifications (``payment.succeeded``, ``payment.canceled``, ...) are parsed for the payment
  id only (``notified_payment_id``).

Not the official ``yookassa`` SDK: it keeps its shop id, key and API address in class
attributes (one configuration per process, changed under running threads when reconfigured),
retries on 202 with ``time.sleep`` inside a request thread, defaults to a 1800 s timeout,
ships no type hints and brings requests, netaddr, distro and deprecated along. The subset
above is small and stable.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

import httpx

# YooKassa's published notification sources (its docs and its SDK's SecurityHelper)
NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "185.71.76.0/27", "185.71.77.0/27", "77.75.153.0/25", "77.75.156.11/32", "77.75.156.35/32",
    "77.75.154.128/25", "2a02:5180::/32"))  # fmt: skip


class ProviderError(Exception):
    """YooKassa could not be asked, or refused the request; ``permanent``: asking again with
    the same data will not help."""

    def __init__(self, message: str, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Payment:
    payment_id: str
    status: str  # pending, waiting_for_capture, succeeded, canceled
    paid: bool
    amount: int  # kopecks
    currency: str
    metadata: dict[str, str]
    confirmation_url: str | None = None
    cancellation: str | None = None  # cancellation_details.reason


def kopecks(value: str) -> int:
    """``"100.00"`` -> 10000 exactly (no float on the way)."""
    whole, _, part = value.strip().partition(".")
    if not whole.isdigit() or not (part == "" or (part.isdigit() and len(part) <= 2)):
        raise ValueError(f"not an amount: {value!r}")
    return int(whole) * 100 + int(part.ljust(2, "0") or 0)


def roubles(amount: int) -> str:
    """10000 -> ``"100.00"``: YooKassa's amount value."""
    return f"{amount // 100}.{amount % 100:02d}"


def parse_payment(body: Any) -> Payment:
    try:
        amount = body["amount"]
        confirmation = body.get("confirmation") or {}
        cancellation = body.get("cancellation_details") or {}
        return Payment(
            payment_id=str(body["id"]), status=str(body["status"]), paid=bool(body.get("paid")),
            amount=kopecks(str(amount["value"])), currency=str(amount["currency"]),
            metadata={str(k): str(v) for k, v in (body.get("metadata") or {}).items()},
            confirmation_url=confirmation.get("confirmation_url"),
            cancellation=cancellation.get("reason"),
        )  # fmt: skip
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise ProviderError(f"YooKassa answered an unexpected payment: {error!r}") from error


def notified_payment_id(body: Any) -> str | None:
    """The payment id a notification names (``{"type": "notification", "event": ...,
    "object": {"id": ...}}``); its status and amount are not believed."""
    if not isinstance(body, dict) or body.get("type") != "notification":
        return None
    event, found = body.get("event"), body.get("object")
    if (
        not isinstance(event, str)
        or not event.startswith("payment.")
        or not isinstance(found, dict)
    ):
        return None
    payment_id = found.get("id")
    return payment_id if isinstance(payment_id, str) and 0 < len(payment_id) <= 64 else None


def from_yookassa(address: str | None) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in network for network in NETWORKS)


class YooKassa:
    def __init__(self, base: str, shop_id: str, secret_key: str, timeout: float = 15.0) -> None:
        self._base = base.rstrip("/")
        self._client = httpx.Client(auth=(shop_id, secret_key), timeout=timeout)

    def create_payment(self, idempotence_key: str, amount: int, *, return_url: str,
                       description: str, metadata: dict[str, str]) -> Payment:  # fmt: skip
        body = {
            "amount": {"value": roubles(amount), "currency": "RUB"},
            "capture": True,
            "confirmation": {"type": "redirect", "return_url": return_url},
            "description": description[:128],
            "metadata": metadata,
        }
        return self._call("POST", "/payments", json=body,
                          headers={"Idempotence-Key": idempotence_key})  # fmt: skip

    def payment(self, payment_id: str) -> Payment:
        return self._call("GET", f"/payments/{payment_id}")

    def _call(self, method: str, path: str, **kwargs: Any) -> Payment:
        try:
            response = self._client.request(method, self._base + path, **kwargs)
        except httpx.HTTPError as error:
            raise ProviderError(f"YooKassa unreachable: {error!r}") from error
        if response.status_code != 200:
            permanent = response.status_code in (400, 401, 403, 404)
            raise ProviderError(f"YooKassa answered {response.status_code}: "
                                f"{response.text[:300]}", permanent)  # fmt: skip
        try:
            body = response.json()
        except ValueError as error:
            raise ProviderError("YooKassa answered without JSON") from error
        return parse_payment(body)

    def close(self) -> None:
        self._client.close()
