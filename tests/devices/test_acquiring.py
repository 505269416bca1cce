"""The card terminal's line protocol: parsing, and the fake terminal over real TCP."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from pos_app.devices.acquiring import FakeCardTerminal, TcpAcquirer
from pos_app.devices.acquiring.protocol import ProtocolError, parse_reply, pay_line, reverse_line
from pos_app.services.acquiring import CardDeclined, CardTerminalUnavailable


@pytest.fixture
def terminal() -> Iterator[FakeCardTerminal]:
    card = FakeCardTerminal()
    card.start()
    yield card
    card.stop()


def test_lines_are_built_and_parsed_strictly() -> None:
    assert pay_line("r-1", 54_900) == b"PAY r-1 54900\n"
    assert reverse_line("r-1") == b"REVERSE r-1\n"
    reply = parse_reply(b"APPROVED r-1 100001 000000000001 ****4242\n")
    assert (reply.verb, reply.fields) == ("APPROVED", ("r-1", "100001", "000000000001",
                                                       "****4242"))
    declined = parse_reply(b"DECLINED r-1 expired card expired 12/25\r\n")
    assert (declined.fields, declined.text) == (("r-1", "expired"), "card expired 12/25")
    for bad in (b"HELLO\n", b"APPROVED r-1\n", b"\xff\xfe\n"):
        with pytest.raises(ProtocolError):
            parse_reply(bad)
    for ref, amount in (("has space", 1), ("r", 0), ("r", -5)):
        with pytest.raises(ProtocolError):
            pay_line(ref, amount)


def test_a_retried_pay_with_the_same_ref_charges_once(terminal: FakeCardTerminal) -> None:
    acquirer = TcpAcquirer("127.0.0.1", terminal.port, timeout=1)
    first = acquirer.charge("r-1", 1_000)
    again = acquirer.charge("r-1", 1_000)
    assert first == again and terminal.approved_total == 1_000
    assert acquirer.reverse("r-1") and acquirer.reverse("never-charged")
    assert terminal.approved_total == 0 and acquirer.ping()


def test_declines_name_the_reason_and_a_garbled_terminal_is_unavailable(
    terminal: FakeCardTerminal,
) -> None:
    acquirer = TcpAcquirer("127.0.0.1", terminal.port, timeout=1)
    terminal.script.extend(["decline:expired", "drop"])
    with pytest.raises(CardDeclined, match="the card has expired"):
        acquirer.charge("r-2", 500)
    with pytest.raises(CardTerminalUnavailable, match="broke off") as err:
        acquirer.charge("r-3", 500)
    assert err.value.details["sent"] is True and terminal.approved_total == 0
    with socket.create_connection(("127.0.0.1", terminal.port), timeout=1) as raw:
        raw.sendall(b"DANCE\n")
        assert raw.recv(100) == b"ERROR not understood\n"
