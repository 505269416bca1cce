"""SMS through SMS.ru's HTTP API (https://sms.ru/api/send).

``POST {base}/sms/send`` with ``api_id``, ``to`` (digits of the number), ``msg`` (UTF-8),
``from`` (an approved sender, optional) and ``json=1``. The answer:
``{"status": "OK", "status_code": 100, "sms": {"79...": {"status": "OK", "status_code": 100,
"sms_id": "..."}}, "balance": 10.5}``; an error of the whole request is
``{"status": "ERROR", "status_code": N, "status_text": "..."}``, one of the number is the
same shape inside ``sms``. The codes below are SMS.ru's; which of them a retry can cure is
this module's judgement.
"""

from __future__ import annotations

from typing import Any

import httpx

from pos_server.notify.channels import Delivered, SendFailed
from pos_server.repositories.notifications import SMS, Outgoing

ACCEPTED = 100
# SMS.ru status codes a later try can get past (money topped up, a limit over, a server back)
TRANSIENT = frozenset({201, 206, 220, 230, 231, 232, 233, 500})
CODES = {
    200: "wrong api_id",
    201: "not enough money on the account",
    202: "wrong recipient number or no route to it",
    203: "no message text",
    204: "sender name not approved",
    205: "message too long (over 8 SMS)",
    206: "daily sending limit reached",
    207: "no delivery route to this number",
    208: "wrong time parameter",
    209: "number is in the stop list",
    210: "GET used where POST is needed",
    211: "method not found",
    212: "text must be UTF-8",
    213: "over 100 numbers",
    220: "service temporarily unavailable",
    230: "daily limit for this number",
    231: "same message to this number: limit per minute",
    232: "same message to this number: limit per day",
    233: "repeated code limit",
    300: "wrong token",
    301: "wrong api_id or login/password",
    302: "account not confirmed",
    500: "server error, repeat the request",
}


class SmsRuChannel:
    name = SMS
    rate_per_second = 10.0

    def __init__(self, base: str, api_id: str, sender: str = "", timeout: float = 15.0) -> None:
        self._url = f"{base.rstrip('/')}/sms/send"
        self._api_id, self._sender = api_id, sender
        self._client = httpx.Client(timeout=timeout)

    def send(self, message: Outgoing) -> Delivered:
        number = message.recipient.lstrip("+")
        form = {"api_id": self._api_id, "to": number, "msg": message.text, "json": "1"}
        if self._sender:
            form["from"] = self._sender
        try:
            response = self._client.post(self._url, data=form)
            body: Any = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise SendFailed(f"SMS.ru unreachable: {error!r}") from error
        if not isinstance(body, dict):
            raise SendFailed(f"SMS.ru answered {response.status_code} without JSON")
        one = (body.get("sms") or {}).get(number) if body.get("status") == "OK" else body
        if not isinstance(one, dict):
            raise SendFailed(f"SMS.ru said nothing of {number}")
        code = int(one.get("status_code") or 0)
        if one.get("status") == "OK" and code == ACCEPTED:
            return Delivered(str(one.get("sms_id")) if one.get("sms_id") else None)
        text = one.get("status_text") or CODES.get(code, "unknown code")
        raise SendFailed(f"SMS.ru {code}: {text}", permanent=code not in TRANSIENT)

    def close(self) -> None:
        self._client.close()
