"""The till asks its server for a guest's cabinet access and sets the cabinet login and
password there (``/v1/guests/{id}/cabinet-credentials``, docs/api.md), with its terminal
token, for the guest card's Cabinet tab (``pos_app.services.guest_cabinet``). No answer or a
5xx is ``CabinetServerNeeded``; a refusal is ``CabinetRefused`` with the reason. One try, a
short connect timeout (a person is waiting); the server hashes the password (argon2id), so
the read timeout is longer than the history's."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import requests

from pos_app.services.guest_cabinet import (
    CabinetAccess,
    CabinetRefused,
    CabinetServerNeeded,
    CredentialsSet,
)
from pos_app.sync.terminal_client import TerminalClient

REASONS = {400: "invalid", 403: "forbidden", 404: "unknown_guest", 409: "login_taken",
           422: "invalid"}  # fmt: skip


class GuestCabinetClient(TerminalClient):
    TIMEOUT = (2.05, 15.0)

    def _ask(self, method: str, guest_id: str, body: Mapping[str, Any] | None = None
             ) -> Mapping[str, Any]:  # fmt: skip
        url = f"{self.base_url}/v1/guests/{quote(guest_id, safe='')}/cabinet-credentials"
        try:
            response = self._session.request(
                method, url, json=body, timeout=self._timeout,
                headers=self._auth(),
            )  # fmt: skip
        except requests.RequestException as exc:
            raise CabinetServerNeeded("The server did not answer.", reason="no_answer",
                                      error=type(exc).__name__) from exc  # fmt: skip
        if response.status_code in REASONS:
            detail = _detail(response)
            status = response.status_code
            raise CabinetRefused(detail or f"Refused ({status}).", REASONS[status], status=status)
        if response.status_code != 200:
            raise CabinetServerNeeded(f"The server could not answer ({response.status_code}).",
                                      reason="status", status=response.status_code)  # fmt: skip
        answer: Mapping[str, Any] = response.json()
        return answer

    def access(self, guest_id: str) -> CabinetAccess:
        body = self._ask("GET", guest_id)
        return CabinetAccess(body.get("login"), body.get("sms_phone"))

    def set_credentials(self, guest_id: str, staff_id: str, login: str, password: str | None,
                        send: bool) -> CredentialsSet:  # fmt: skip
        body = self._ask("POST", guest_id, {"staff_id": staff_id, "login": login,
                                            "password": password, "send": send})  # fmt: skip
        return CredentialsSet(str(body["login"]), body.get("password"), bool(body.get("sent")))


def _detail(response: requests.Response) -> str:
    try:
        detail = response.json().get("detail")
    except ValueError:
        return ""
    return detail if isinstance(detail, str) else ""
