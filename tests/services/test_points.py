"""Paying with points: online holds and their verdicts, offline holds within the allowance,
and the order of hold and sale operations the server relies on (fakes and real SQLite)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import pytest

from pos_app.domain.money import rub
from pos_app.services.payments import PaymentService
from pos_app.services.points import (
    PointsNotAllowed,
    PointsNotConfirmed,
    PointsOfflineLimit,
    PointsRefused,
    PointsService,
)
from pos_app.services.points_holds import new_hold, place_hold
from pos_app.services.ports_sync import OpVerdict
from pos_app.services.sync_queue import OFFLINE_KEY
from tests.services.conftest import ANNA_CARD, TEN, Shop
from tests.services.fakes import FakeClock, FakeIds


@dataclass
class FakeGateway:
    """The sync adapter's port: ``answer`` is what the server says (None: nothing in time)."""

    online: bool = True
    answer: str | None = "applied"
    reason: str = "insufficient_points"
    message: str = "The guest has only 10.00 points."
    pushed: list[str] = field(default_factory=list)

    def is_online(self) -> bool:
        return self.online

    def push_now(self, op_id: str, timeout: float) -> OpVerdict | None:
        self.pushed.append(op_id)
        if self.answer is None:
            return None
        if self.answer == "applied":
            return OpVerdict(op_id, 1, "applied")
        return OpVerdict(op_id, 1, self.answer, self.reason, self.message)


@pytest.fixture
def gateway() -> FakeGateway:
    return FakeGateway()


@pytest.fixture
def points(shop: Shop, gateway: FakeGateway) -> PointsService:
    pay = PaymentService(shop.uow, FakeClock(), FakeIds("pay"), shop.service)
    return PointsService(shop.uow, FakeClock(), FakeIds("hold"), pay, gateway)


def _anna_sale(shop: Shop) -> str:
    """Latte x2 + cake = 610 ₽, Anna's 10 % -> 549 ₽; she has 250 ₽ of points available."""
    sale_id = shop.service.open_sale().sale_id
    shop.service.add_line(sale_id, product_id="latte", quantity=2)
    shop.service.add_line(sale_id, product_id="cake")
    shop.service.identify_guest(sale_id, identifier=ANNA_CARD)
    return sale_id


def _kinds(shop: Shop) -> list[str]:
    return [e.kind for e in shop.pending()]


def _payload(shop: Shop, kind: str) -> dict[str, Any]:
    return dict(next(e.payload for e in shop.pending() if e.kind == kind))


def _allow_offline(shop: Shop, amount: int) -> None:
    with shop.uow() as uow:
        uow.groups.add(replace(TEN, offline_allowance=amount))
        uow.commit()


def test_online_points_then_cash_queue_placed_committed_then_the_sale_naming_the_hold(
    shop: Shop, points: PointsService, gateway: FakeGateway
) -> None:
    sale_id = _anna_sale(shop)
    paid = points.pay_points(sale_id, rub(100))
    assert (paid.method, paid.amount, paid.closed) == ("points", rub(100), False)
    shop.pay.pay_cash(sale_id, rub(449))
    assert _kinds(shop) == ["hold.placed", "hold.committed", "sale.closed"]
    placed = _payload(shop, "hold.placed")
    assert placed == {"hold_id": placed["hold_id"], "guest_id": "anna", "amount": rub(100),
                      "offline": False, "ref": sale_id}  # fmt: skip
    assert gateway.pushed == [shop.pending()[0].op_id]
    assert _payload(shop, "hold.committed") == {"hold_id": placed["hold_id"], "amount": rub(100)}
    payments = _payload(shop, "sale.closed")["payments"]
    assert [(p["method"], p["amount"], p.get("hold_id")) for p in payments] == [
        ("points", rub(100), placed["hold_id"]), ("cash", rub(449), None)]


def test_points_that_settle_the_sale_close_it_in_the_same_unit_of_work(
    shop: Shop, points: PointsService
) -> None:
    sale_id = shop.service.open_sale().sale_id
    shop.service.add_line(sale_id, product_id="latte")  # 180 ₽, Anna's 10 % -> 162 ₽
    shop.service.identify_guest(sale_id, identifier=ANNA_CARD)
    shop.pay.pay_cash(sale_id, rub(81))
    assert points.pay_points(sale_id).closed  # 50 % max redemption = the 81 ₽ still due
    assert _kinds(shop) == ["hold.placed", "hold.committed", "sale.closed"]


def test_a_refused_online_hold_takes_no_points(
    shop: Shop, points: PointsService, gateway: FakeGateway
) -> None:
    gateway.answer = "rejected"
    sale_id = _anna_sale(shop)
    with pytest.raises(PointsRefused, match=r"only 10\.00 points"):
        points.pay_points(sale_id, rub(100))
    assert shop.service.get_sale(sale_id).paid == 0


def test_no_verdict_in_time_releases_the_hold_at_once_and_tells_the_cashier(
    shop: Shop, points: PointsService, gateway: FakeGateway
) -> None:
    gateway.answer = None
    sale_id = _anna_sale(shop)
    with pytest.raises(PointsNotConfirmed, match="none were taken"):
        points.pay_points(sale_id, rub(100))
    assert _kinds(shop) == ["hold.placed", "hold.released"]
    hold_id = _payload(shop, "hold.placed")["hold_id"]
    assert _payload(shop, "hold.released") == {"hold_id": hold_id}
    with shop.uow() as uow:
        assert uow.sync.open_hold_ids() == []
    assert shop.service.get_sale(sale_id).paid == 0


def test_offline_points_need_an_allowance_and_stay_within_it(
    shop: Shop, points: PointsService, gateway: FakeGateway
) -> None:
    gateway.online = False
    sale_id = _anna_sale(shop)
    with pytest.raises(PointsOfflineLimit, match="at most 0,00"):
        points.pay_points(sale_id, rub(10))  # the group's allowance is 0 by default
    _allow_offline(shop, rub(100))
    points.pay_points(sale_id, rub(80))
    assert gateway.pushed == []
    assert _payload(shop, "hold.placed")["offline"] is True
    assert points.offline_room(sale_id) == rub(20)
    with pytest.raises(PointsOfflineLimit):
        points.pay_points(sale_id, rub(30))


def test_offline_room_is_the_cached_balance_minus_holds_the_cache_does_not_have_yet(
    shop: Shop, points: PointsService, gateway: FakeGateway
) -> None:
    gateway.online = False
    _allow_offline(shop, rub(1_000))
    first = _anna_sale(shop)
    points.pay_points(first, rub(200))  # 250 ₽ cached available
    second = _anna_sale(shop)
    assert points.offline_room(second) == rub(50)
    with shop.uow() as uow:  # synced and refreshed: the snapshot now holds the 200 ₽
        for entry in uow.sync.waiting(10):
            uow.sync.mark(entry.op_id, "applied")
        uow.accounts.set_snapshot("anna-bonus", "anna", "bonus", total=rub(300),
                                  held=rub(250), at=FakeClock().now())  # fmt: skip
        assert uow.sync.mark_reflected(FakeClock().now().replace(year=2100)) == 1
        uow.commit()
    assert points.offline_room(second) == rub(50)  # counted once, not twice


def test_a_hold_left_without_its_payment_by_a_crash_is_released_when_the_sale_closes(
    shop: Shop, points: PointsService
) -> None:
    sale_id = _anna_sale(shop)
    with shop.uow() as uow:  # the till died between the hold and its payment
        place_hold(uow, new_hold("orphan", "anna", rub(30), sale_id, FakeClock().now(),
                                 offline=False))  # fmt: skip
        uow.commit()
    points.pay_points(sale_id, rub(100))
    shop.pay.pay_cash(sale_id, rub(449))
    kinds = _kinds(shop)
    assert kinds == ["hold.placed", "hold.placed", "hold.released", "hold.committed",
                     "sale.closed"]  # fmt: skip
    paid = shop.pending()[1].payload["hold_id"]
    assert _payload(shop, "hold.released") == {"hold_id": "orphan"}
    assert _payload(shop, "hold.committed") == {"hold_id": paid, "amount": rub(100)}
    assert _payload(shop, "sale.closed")["payments"][0]["hold_id"] == paid


def test_cancelling_the_sale_releases_its_hold(shop: Shop, points: PointsService) -> None:
    sale_id = _anna_sale(shop)
    points.pay_points(sale_id, rub(100))
    shop.service.cancel_sale(sale_id)
    assert _kinds(shop) == ["hold.placed", "hold.released", "sale.cancelled"]


def test_points_beyond_the_max_redemption_are_not_allowed(
    shop: Shop, points: PointsService
) -> None:
    sale_id = _anna_sale(shop)
    with pytest.raises(PointsNotAllowed, match="At most 250,00"):
        points.pay_points(sale_id, rub(260))
    assert _kinds(shop) == []


def test_a_sale_that_ends_while_the_till_is_offline_says_so_in_its_operation(
    shop: Shop,
) -> None:
    online = shop.service.open_sale().sale_id
    shop.service.add_line(online, product_id="latte")
    shop.pay.pay_cash(online, rub(180))
    with shop.uow() as uow:  # the worker found the server unreachable
        uow.settings.set(OFFLINE_KEY, "2026-11-23T10:00:00+00:00")
        uow.commit()
    offline = shop.service.open_sale().sale_id
    shop.service.add_line(offline, product_id="latte")
    shop.pay.pay_cash(offline, rub(180))
    flags = [e.payload.get("offline") for e in shop.pending()]
    assert flags == [False, True]


def test_a_refusal_for_want_of_points_adopts_the_servers_balance_and_pulls_the_feed(
    shop: Shop, gateway: FakeGateway
) -> None:
    """Issue 22 point 4: the cache believed 250 ₽ available, the server had 0; after the
    refusal the cached snapshot says the server's figure (its held part kept)."""
    pulled: list[bool] = []
    pay = PaymentService(shop.uow, FakeClock(), FakeIds("pay"), shop.service)
    points = PointsService(shop.uow, FakeClock(), FakeIds("hold"), pay, gateway,
                           refresh=lambda: pulled.append(True))  # fmt: skip
    gateway.answer = "rejected"
    gateway.message = "Only 0,00 points available; 100,00 points requested."
    sale_id = _anna_sale(shop)
    with pytest.raises(PointsRefused) as refused:
        points.pay_points(sale_id, rub(100))
    assert refused.value.details["reason"] == "insufficient_points"
    assert refused.value.details["server_available"] == 0
    assert refused.value.details["guest_id"] == "anna"
    with shop.uow() as uow:
        [account] = uow.accounts.for_guest("anna")
    assert (account.total, account.held, account.available) == (rub(50), rub(50), 0)
    assert pulled == [True]


def test_an_unknown_guest_refusal_leaves_the_cache_and_names_the_reason(
    shop: Shop, gateway: FakeGateway
) -> None:
    gateway.answer = "rejected"
    gateway.reason = "unknown_guest"
    gateway.message = "Guest anna is not known to the server."
    sale_id = _anna_sale(shop)
    pay = PaymentService(shop.uow, FakeClock(), FakeIds("pay"), shop.service)
    points = PointsService(shop.uow, FakeClock(), FakeIds("hold"), pay, gateway)
    with pytest.raises(PointsRefused) as refused:
        points.pay_points(sale_id, rub(100))
    assert refused.value.details["reason"] == "unknown_guest"
    assert refused.value.details["server_available"] is None
    with shop.uow() as uow:
        [account] = uow.accounts.for_guest("anna")
    assert account.available == rub(250)


def test_the_room_says_what_may_be_paid_online_and_offline(
    shop: Shop, points: PointsService, gateway: FakeGateway
) -> None:
    sale_id = _anna_sale(shop)  # 549 ₽ due; 50 % cap -> 250 ₽ available limits it
    _allow_offline(shop, rub(80))
    room = points.room(sale_id)
    assert (room.max_points, room.offline, room.online, room.connected) == (
        rub(250), rub(80), True, True)  # fmt: skip
    assert room.now == rub(250)
    gateway.online = False
    assert points.room(sale_id).now == rub(80)  # pay_points would go offline
