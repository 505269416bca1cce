"""What the till's one-request clients of its server share (the guest's history, cabinet and
Telegram link, the manager's admin calls): the server's address, the terminal's bearer token,
one timeout and one HTTP session, made safe by ``new_session`` unless a test gives its own."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from pos_app.sync.server_link import DEFAULT_TRUST, ServerTrust, new_session

if TYPE_CHECKING:
    import requests


class TerminalClient:
    """Calls of one enrolled terminal to one server; ``TIMEOUT`` (connect, read) unless given."""

    TIMEOUT: ClassVar[tuple[float, float]] = (2.05, 5.0)

    def __init__(
        self, base_url: str, token: str, *, timeout: tuple[float, float] | None = None,
        session: requests.Session | None = None, trust: ServerTrust = DEFAULT_TRUST,
    ) -> None:  # fmt: skip
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._timeout = timeout or self.TIMEOUT
        self._session = session or new_session(base_url, trust)

    def close(self) -> None:
        self._session.close()

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"}
