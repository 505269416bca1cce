"""What a till lacks is a null object inside the services, never a ``None``: a till built with
no adapters (no card terminal, no server) holds a refusing object for each, and every caller
gets the same refusal (issue 15 point 3)."""

from __future__ import annotations

import pytest

from pos_app.domain.money import rub
from pos_app.services.acquiring import CardApproval, NoAcquirer, NoCardTerminal
from pos_app.services.hold_reset import NOT_ENROLLED, HoldResetService, NotConnected, no_feed
from pos_app.services.payments import PaymentService
from pos_app.services.points import NoServer, PointsNotConfirmed, PointsService
from pos_app.services.till import TillServices
from tests.services.conftest import ANNA_CARD, Shop
from tests.services.fakes import FakeClock, FakeIds


def _collaborators(service: object) -> dict[str, object]:
    slots = [name for cls in type(service).__mro__ for name in getattr(cls, "__slots__", ())]
    found = {name: getattr(service, name) for name in slots if hasattr(service, name)}
    return {**found, **getattr(service, "__dict__", {})}


def test_no_service_of_a_till_built_without_adapters_holds_a_none(shop: Shop) -> None:
    till = TillServices.build(shop.uow, FakeClock(), FakeIds())
    for field in till.__dataclass_fields__:
        service = getattr(till, field)
        empty = [name for name, value in _collaborators(service).items() if value is None]
        assert not empty, (field, empty)
    assert isinstance(till.payments._acquirer, NoAcquirer)
    assert isinstance(till.points._gateway, NoServer)
    assert not till.hold_reset.available


class _OneCard:
    """A terminal that approves one charge (so a sale has a card slip to give back)."""

    def charge(self, ref: str, amount: int) -> CardApproval:
        return CardApproval(ref, amount, "123456", "000000000001", "**** 4242")

    def reverse(self, ref: str) -> bool:
        return True


def _anna_sale(shop: Shop) -> str:
    sale_id = shop.service.open_sale().sale_id
    shop.service.add_line(sale_id, product_id="latte", quantity=2)
    shop.service.identify_guest(sale_id, identifier=ANNA_CARD)
    return sale_id


def test_without_a_card_terminal_no_card_is_charged_or_given_back(shop: Shop) -> None:
    till = TillServices.build(shop.uow, FakeClock(), FakeIds())
    sale_id = _anna_sale(shop)
    with pytest.raises(NoCardTerminal, match="No card terminal is set up on this till"):
        till.payments.pay_card(sale_id)
    assert shop.service.get_sale(sale_id).payments == ()
    PaymentService(shop.uow, FakeClock(), FakeIds("card"), shop.service,
                   acquirer=_OneCard()).pay_card(sale_id, rub(100))  # fmt: skip
    till.staff.add_staff("m1", "Олег", "manager", "9999", bytes(16))
    manager = till.staff.sign_in("9999")
    with pytest.raises(NoCardTerminal, match="give the card payment back"):
        till.payments.void_sale(sale_id, manager)
    assert shop.service.get_sale(sale_id).status == "open"  # nothing cancelled


def test_without_a_server_points_are_offline_and_online_is_refused(shop: Shop) -> None:
    payments = PaymentService(shop.uow, FakeClock(), FakeIds(), shop.service)
    points = PointsService(shop.uow, FakeClock(), FakeIds("hold"), payments)
    sale_id = _anna_sale(shop)
    with pytest.raises(PointsNotConfirmed, match="not connected to the server"):
        points.pay_points(sale_id, rub(10), offline=False)
    with shop.uow() as uow:
        holds = uow.sync.holds_for_sale(sale_id)
    assert [h.status for h in holds] == ["released"]  # the hold it was about to push ended
    assert shop.service.get_sale(sale_id).payments == ()


def test_without_a_server_the_holds_reset_says_so_before_the_pin_length(shop: Shop) -> None:
    till = TillServices.build(shop.uow, FakeClock(), FakeIds())
    till.staff.add_staff("m1", "Олег", "manager", "9999", bytes(16))  # 4 digits: too short
    resets = HoldResetService(till.staff, NOT_ENROLLED)
    assert not resets.available and not NOT_ENROLLED.available
    with pytest.raises(NotConnected, match="not connected to a server"):
        resets.reset_guest("anna", "the till crashed", "9999")
    with pytest.raises(NotConnected):
        NOT_ENROLLED.reset_guest_holds("anna", "why", "m1", "999999")
    with pytest.raises(NotConnected):
        no_feed()
