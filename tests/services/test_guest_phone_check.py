"""A new guest at the till (issue 17, point 6): the phone is checked for duplicates in the
local store and by the server's verdict when it answers; offline the local check alone decides
and the guest is created, its operations queued. Fakes and real SQLite."""

from __future__ import annotations

import pytest

from pos_app.domain.identifiers import InputMethod
from pos_app.services.guests import GuestExists, GuestService, PhoneOwner, ServerNotAsked
from tests.services.conftest import Shop
from tests.services.fakes import FakeClock, FakeIds

ANNA_PHONE = "+79121234567"  # conftest's Анна Смирнова


class Server:
    def __init__(self) -> None:
        self.owners: dict[str, PhoneOwner] = {}
        self.up = True
        self.asked: list[str] = []

    def phone_owner(self, phone: str) -> PhoneOwner | None:
        self.asked.append(phone)
        if not self.up:
            raise ServerNotAsked("The server did not answer.")
        return self.owners.get(phone)


@pytest.fixture
def server() -> Server:
    return Server()


@pytest.fixture
def guests(shop: Shop, server: Server) -> GuestService:
    return GuestService(shop.uow, FakeClock(), FakeIds("g"), server)


def test_the_check_says_who_has_the_phone_here_and_on_the_server(
    guests: GuestService, server: Server
) -> None:
    check = guests.phone_check("8 912 123-45-67")
    assert check.phone == ANNA_PHONE and check.server_asked
    assert [g.name for g in check.local] == ["Анна Смирнова"]
    assert check.taken_by == "Анна Смирнова"
    server.owners["+79000000001"] = PhoneOwner("boris", "Борис")  # made on another till
    far = guests.phone_check("+7 900 000-00-01")
    assert (far.local, far.server, far.taken_by) == ((), PhoneOwner("boris", "Борис"), "Борис")
    server.up = False
    offline = guests.phone_check("+7 900 000-00-01")
    assert (offline.server, offline.server_asked, offline.taken_by) == (None, False, None)


def test_the_full_form_creates_the_guest_with_phone_and_card(
    shop: Shop, guests: GuestService, server: Server
) -> None:
    panel = guests.create_guest("Вера Котова", phone="8 900 555-44-33", identifier="77001234",
                                method=InputMethod.MANUAL)  # fmt: skip
    assert (panel.name, panel.phones) == ("Вера Котова", ("+79005554433",))
    assert server.asked == ["+79005554433"]
    assert [e.kind for e in shop.pending()] == ["guest.created", "identifier.bound"]


def test_a_duplicate_here_or_on_the_server_creates_nobody(
    shop: Shop, guests: GuestService, server: Server
) -> None:
    with pytest.raises(GuestExists, match="Анна Смирнова"):
        guests.create_guest("Анна", phone="8 912 123 45 67")
    server.owners["+79000000001"] = PhoneOwner("boris", "Борис")
    with pytest.raises(GuestExists, match=r"Борис .* on the server"):
        guests.create_guest("Борис Второй", phone="+79000000001")
    assert shop.pending() == []


def test_offline_the_local_check_alone_decides(
    shop: Shop, guests: GuestService, server: Server
) -> None:
    server.up = False
    server.owners["+79000000001"] = PhoneOwner("boris", "Борис")  # unknown while offline
    with pytest.raises(GuestExists):
        guests.create_guest("Анна", phone=ANNA_PHONE)
    panel = guests.create_guest("Борис", phone="+79000000001")
    assert panel.phones == ("+79000000001",)
    assert [e.kind for e in shop.pending()] == ["guest.created"]
