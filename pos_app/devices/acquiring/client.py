"""``TcpAcquirer``: the till's side of the card terminal's line protocol (``protocol.py``).

One short TCP connection per request, every socket call under a timeout, so a terminal that is
off or hangs turns into ``CardTerminalUnavailable`` after ``timeout`` seconds, never a frozen
till. Implements ``pos_app.services.acquiring.Acquirer``.
"""

from __future__ import annotations

import socket

from pos_app.devices.acquiring.protocol import (
    MAX_LINE,
    ProtocolError,
    Reply,
    parse_reply,
    pay_line,
    reverse_line,
)
from pos_app.domain.money import format_money
from pos_app.services.acquiring import CardApproval, CardDeclined, CardTerminalUnavailable

DECLINE_TEXT = {
    "insufficient_funds": "there is not enough money on the card",
    "expired": "the card has expired",
    "wrong_pin": "the PIN was wrong",
    "cancelled": "the payment was cancelled on the terminal",
}


class TcpAcquirer:
    def __init__(self, host: str, port: int, *, timeout: float = 60.0) -> None:
        self.host = host
        self.port = port
        self.timeout = timeout  # a guest typing a PIN takes a while: seconds, not millis

    def charge(self, ref: str, amount: int) -> CardApproval:
        reply = self._ask(pay_line(ref, amount))
        if reply.verb == "APPROVED" and reply.fields[0] == ref:
            _, auth, rrn, mask = reply.fields
            return CardApproval(ref, amount, auth, rrn, mask)
        if reply.verb == "DECLINED" and reply.fields[0] == ref:
            code = reply.fields[1]
            why = DECLINE_TEXT.get(code, reply.text or code)
            raise CardDeclined(f"The card was declined: {why}. Nothing was charged; "
                               f"{format_money(amount)} is still due.", reason=code)
        raise CardTerminalUnavailable(f"The card terminal gave an unexpected answer "
                                      f"({reply.verb}).", verb=reply.verb)

    def reverse(self, ref: str) -> bool:
        reply = self._ask(reverse_line(ref))
        if reply.verb in ("REVERSED", "NOTFOUND") and reply.fields[0] == ref:
            return True
        raise CardTerminalUnavailable(f"The card terminal could not cancel the payment "
                                      f"({reply.verb}).", verb=reply.verb)

    def ping(self) -> bool:
        try:
            return self._ask(b"PING\n").verb == "PONG"
        except CardTerminalUnavailable:
            return False

    def _ask(self, request: bytes) -> Reply:
        """One request and its answer; ``details["sent"]`` of a failure says whether the
        request may have reached the terminal (a refused connection means it did not)."""
        try:
            sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as exc:
            raise CardTerminalUnavailable(
                f"The card terminal at {self.host}:{self.port} cannot be reached ({exc}). "
                "Check that it is on and connected, or take another payment method.",
                sent=False) from exc  # fmt: skip
        with sock:
            try:
                sock.settimeout(self.timeout)
                sock.sendall(request)
                return parse_reply(_read_line(sock))
            except TimeoutError as exc:
                raise CardTerminalUnavailable(
                    f"The card terminal did not answer within {self.timeout:g} seconds.",
                    sent=True) from exc  # fmt: skip
            except (OSError, ProtocolError) as exc:
                raise CardTerminalUnavailable(
                    f"The card terminal broke off the conversation ({exc}).", sent=True
                ) from exc


def _read_line(sock: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = sock.recv(MAX_LINE)
        if not chunk:
            raise ProtocolError("the terminal closed the connection without an answer")
        data += chunk
        if len(data) > MAX_LINE:
            raise ProtocolError("the terminal's answer is too long")
    return data
