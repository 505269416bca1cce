"""The till's manager calls on the server's admin API (docs/api.md "Admin").

``POST /v1/admin/holds/reset`` releases a guest's open points holds. It needs the terminal's
bearer token and the manager's ``X-Staff-Id`` / ``X-Staff-Pin``; the server audits who, where
and why. Answers become the errors of ``pos_app.services.hold_reset``: no answer (or a 5xx) is
``ServerUnavailable`` - nothing was released, try again later; 401/403/429 about the staff
member is ``ServerRefusedStaff``; any other refusal is ``ResetRefused`` with the server's words.

Called on the till's op worker (never the GUI thread); one short timeout, no retries: a
person is waiting and reads the outcome.
"""

from __future__ import annotations

from typing import Any

import requests

from pos_app.services.hold_reset import ResetRefused, ServerRefusedStaff, ServerUnavailable
from pos_app.sync.server_link import DEFAULT_TRUST, ServerTrust, check_server_url
from pos_app.sync.terminal_client import TerminalClient


class AdminClient(TerminalClient):
    """Admin calls of one enrolled terminal to one server."""

    TIMEOUT = (3.05, 10.0)

    def __init__(
        self, base_url: str, token: str, *, timeout: tuple[float, float] | None = None,
        session: requests.Session | None = None, trust: ServerTrust = DEFAULT_TRUST,
    ) -> None:  # fmt: skip
        check_server_url(base_url, trust)  # the PIN goes along: never over unsafe http://
        super().__init__(base_url, token, timeout=timeout, session=session, trust=trust)

    @property
    def available(self) -> bool:
        """An enrolled terminal can always ask (whether the server answers is another matter)."""
        return True

    def reset_guest_holds(self, guest_id: str, reason: str, staff_id: str, pin: str) -> list[str]:
        headers = {**self._auth(), "X-Staff-Id": staff_id, "X-Staff-Pin": pin}
        url = self.base_url + "/v1/admin/holds/reset"
        try:
            response = self._session.post(url, json={"guest_id": guest_id, "reason": reason},
                                          headers=headers, timeout=self._timeout)  # fmt: skip
        except requests.RequestException as exc:
            raise ServerUnavailable(
                f"The server {self.base_url} did not answer, so no holds were released.",
                error=type(exc).__name__,
            ) from exc
        status = response.status_code
        if status == 200:
            return [str(h) for h in response.json()["released"]]
        detail = _detail(response)
        if status >= 500 or status == 408:
            raise ServerUnavailable(f"The server could not do it now ({status}); no holds "
                                    "were released.", status=status)  # fmt: skip
        if status in (401, 403, 429):
            raise ServerRefusedStaff(f"The server refused: {detail}", status=status,
                                     detail=detail)  # fmt: skip
        raise ResetRefused(f"The server refused: {detail}", status=status, detail=detail)


def _detail(response: requests.Response) -> str:
    try:
        detail: Any = response.json().get("detail")
    except ValueError:
        return response.text[:300]
    if isinstance(detail, list) and detail and isinstance(detail[0], dict):
        detail = detail[0].get("msg", detail[0])  # a validation error: the first is enough
    return str(detail)[:300]
