"""The till asks its server for a page of a guest's history (``GET /v1/guests/{id}/history``,
docs/api.md) for the guest card; ``pos_app.services.guest_history`` keeps what it gets for
offline reading. No answer, a 5xx or a refusal is ``HistoryUnavailable`` with the reason; one
short timeout, no retries (a person is waiting)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import requests

from pos_app.services.guest_history import HistoryUnavailable
from pos_app.services.guests import PhoneOwner, ServerNotAsked
from pos_app.sync.terminal_client import TerminalClient


class GuestHistoryClient(TerminalClient):
    TIMEOUT = (2.05, 5.0)

    def page(self, guest_id: str, section: str, before: str | None, limit: int
             ) -> Mapping[str, Any]:  # fmt: skip
        params: dict[str, Any] = {"section": section, "limit": limit}
        if before is not None:
            params["before"] = before
        url = f"{self.base_url}/v1/guests/{quote(guest_id, safe='')}/history"
        try:
            response = self._session.get(
                url,
                params=params,
                timeout=self._timeout,
                headers=self._auth(),
            )
        except requests.RequestException as exc:
            raise HistoryUnavailable("The server did not answer.",
                                     error=type(exc).__name__) from exc  # fmt: skip
        if response.status_code == 404:
            raise HistoryUnavailable("The server does not know this guest yet.", status=404)
        if response.status_code != 200:
            raise HistoryUnavailable(f"The server could not answer ({response.status_code}).",
                                     status=response.status_code)  # fmt: skip
        body: Mapping[str, Any] = response.json()
        return body

    def phone_owner(self, phone: str) -> PhoneOwner | None:
        """The server's verdict on a phone for a new guest (``GET /v1/guests/by-phone``):
        who has it, None: nobody; ``ServerNotAsked`` without an answer."""
        try:
            response = self._session.get(
                f"{self.base_url}/v1/guests/by-phone",
                params={"phone": phone},
                timeout=self._timeout,
                headers=self._auth(),
            )
        except requests.RequestException as exc:
            raise ServerNotAsked("The server did not answer.", error=type(exc).__name__) from exc
        if response.status_code != 200:
            raise ServerNotAsked(f"The server could not answer ({response.status_code}).",
                                 status=response.status_code)  # fmt: skip
        body: Mapping[str, Any] = response.json()
        if not body.get("guest_id"):
            return None
        return PhoneOwner(str(body["guest_id"]), str(body.get("name") or ""))
