"""The Telegram Bot API over httpx: https://core.telegram.org/bots/api.

Every method is ``POST {base}/bot<token>/<method>``; the answer is ``{"ok": true, "result":
...}`` or ``{"ok": false, "error_code": N, "description": "...", "parameters":
{"retry_after": s}}``. ``BotApi`` calls methods; ``TelegramChannel`` sends outbox messages
(text, or the card's QR picture with the text as its caption) and says which failures are
worth retrying.
"""

from __future__ import annotations

from typing import Any

import httpx

from pos_server.notify.channels import Delivered, SendFailed
from pos_server.notify.qr import qr_png
from pos_server.repositories.notifications import TELEGRAM, Outgoing

CAPTION_LIMIT = 1024  # characters of a photo's caption (Bot API sendPhoto)


class BotApiError(Exception):
    def __init__(self, code: int, description: str, retry_after: float | None) -> None:
        super().__init__(f"{code} {description}")
        self.code, self.description, self.retry_after = code, description, retry_after


class BotApi:
    """One bot's API. ``timeout`` is per request; long polls add their own wait to it."""

    def __init__(self, base: str, token: str, timeout: float = 10.0) -> None:
        self._url = f"{base.rstrip('/')}/bot{token}/"
        self._timeout = timeout
        self._client = httpx.Client(timeout=timeout)

    def call(self, method: str, *, http_timeout: float | None = None,
             files: dict[str, Any] | None = None, **fields: Any) -> Any:  # fmt: skip
        """The method's ``result``; ``BotApiError`` when the API says no, ``httpx.HTTPError``
        when it cannot be reached."""
        wait = self._timeout if http_timeout is None else http_timeout
        if files:
            response = self._client.post(
                self._url + method,
                data={k: str(v) for k, v in fields.items()},
                files=files,
                timeout=wait,
            )
        else:
            response = self._client.post(self._url + method, json=fields, timeout=wait)
        try:
            body = response.json()
        except ValueError:
            raise BotApiError(response.status_code, response.text[:200], None) from None
        if not isinstance(body, dict) or not body.get("ok"):
            body = body if isinstance(body, dict) else {}
            retry = (body.get("parameters") or {}).get("retry_after")
            raise BotApiError(int(body.get("error_code") or response.status_code),
                              str(body.get("description", "")), retry)  # fmt: skip
        return body["result"]

    def get_updates(self, offset: int | None, wait: int) -> list[dict[str, Any]]:
        fields: dict[str, Any] = {"timeout": wait, "allowed_updates": ["message", "my_chat_member"]}
        if offset is not None:
            fields["offset"] = offset
        result: list[dict[str, Any]] = self.call("getUpdates", http_timeout=self._timeout + wait,
                                                 **fields)  # fmt: skip
        return result

    def set_webhook(self, url: str, secret_token: str | None) -> None:
        fields: dict[str, Any] = {"url": url, "allowed_updates": ["message", "my_chat_member"]}
        if secret_token:
            fields["secret_token"] = secret_token
        self.call("setWebhook", **fields)

    def close(self) -> None:
        self._client.close()


class TelegramChannel:
    name = TELEGRAM

    def __init__(self, api: BotApi, rate_per_second: float) -> None:
        self._api = api
        self.rate_per_second = rate_per_second

    def send(self, message: Outgoing) -> Delivered:
        try:
            if message.qr is not None and len(message.text) <= CAPTION_LIMIT:
                result = self._api.call(
                    "sendPhoto",
                    chat_id=message.recipient,
                    caption=message.text,
                    files={"photo": ("card.png", qr_png(message.qr), "image/png")},
                )
            else:
                result = self._api.call("sendMessage", chat_id=message.recipient,
                                        text=message.text)  # fmt: skip
        except BotApiError as error:
            raise _failure(error) from error
        except httpx.HTTPError as error:
            raise SendFailed(f"Bot API unreachable: {error!r}") from error
        return Delivered(str(result.get("message_id")) if isinstance(result, dict) else None)

    def close(self) -> None:
        self._api.close()


def _failure(error: BotApiError) -> SendFailed:
    """403: the guest blocked the bot (or it was never started): they are unsubscribed; 400:
    the request itself is wrong (chat not found ...); 429 and 5xx: later."""
    reason = f"Bot API {error.code}: {error.description}"
    if error.code == 403:
        return SendFailed(reason, permanent=True, unsubscribed=True)
    if error.code == 429:
        return SendFailed(reason, retry_after=error.retry_after)
    if 400 <= error.code < 500 and error.code not in (408, 409):
        return SendFailed(reason, permanent=True)
    return SendFailed(reason)
