"""The till asks its server for a guest's Telegram subscription link (``POST
/v1/guests/{id}/telegram-link``, docs/notifications.md) for ``services/subscription.py``. No
answer, a 5xx or a refusal is ``LinkUnavailable`` with its ``reason`` (``unknown_guest`` on a
404: the guest is not on the server yet); one short timeout, no retries here (a person is
waiting, the service decides)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import requests

from pos_app.services.subscription import LinkUnavailable
from pos_app.sync.terminal_client import TerminalClient


class SubscriptionLinkClient(TerminalClient):
    TIMEOUT = (2.05, 4.0)

    def telegram_link(self, guest_id: str) -> Mapping[str, Any]:
        url = f"{self.base_url}/v1/guests/{quote(guest_id, safe='')}/telegram-link"
        try:
            response = self._session.post(url, timeout=self._timeout, headers=self._auth())
        except requests.RequestException as exc:
            raise LinkUnavailable("The server did not answer.", reason="no_answer",
                                  error=type(exc).__name__) from exc  # fmt: skip
        if response.status_code == 404:
            raise LinkUnavailable("The server does not know this guest yet.", status=404,
                                  reason="unknown_guest")  # fmt: skip
        if response.status_code == 409:
            raise LinkUnavailable("The server has no Telegram bot configured.", status=409,
                                  reason="no_bot")  # fmt: skip
        if response.status_code != 200:
            raise LinkUnavailable(f"The server could not answer ({response.status_code}).",
                                  status=response.status_code, reason="refused")  # fmt: skip
        body: Mapping[str, Any] = response.json()
        return body
