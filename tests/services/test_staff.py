"""Sign-in by PIN, throttling, permissions and manager approvals (fakes and real SQLite)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pos_app.domain.loyalty import PermissionDenied
from pos_app.services.staff import (
    Action,
    InvalidPin,
    SignInLocked,
    StaffService,
    UnknownStaff,
    WrongPin,
    hash_pin,
    staff_from_feed,
)
from tests.services.conftest import Shop
from tests.services.fakes import FakeClock

SALT = bytes(range(16))


@pytest.fixture
def staff(shop: Shop) -> tuple[StaffService, FakeClock]:
    clock = FakeClock()
    service = StaffService(shop.uow, clock)
    service.add_staff("c1", "Ирина Кассир", "cashier", "1111", SALT)
    service.add_staff("m1", "Олег Менеджер", "manager", "9999", SALT[::-1])
    return service, clock


def test_a_cashier_signs_in_with_her_pin(staff: tuple[StaffService, FakeClock]) -> None:
    service, _ = staff
    session = service.sign_in(" 1111 ")
    assert (session.staff_id, session.name, session.role) == ("c1", "Ирина Кассир", "cashier")
    assert session.can(Action.SELL) and not session.can(Action.VOID)


def test_a_cashier_may_not_void_and_is_told_to_ask_a_manager(
    staff: tuple[StaffService, FakeClock],
) -> None:
    service, _ = staff
    session = service.sign_in("1111")
    with pytest.raises(PermissionDenied, match="may not void a sale; a manager's PIN"):
        service.require(session, Action.VOID)
    service.require(service.sign_in("9999"), Action.VOID)  # a manager may


def test_manager_pin_authorizes_a_guarded_action_and_a_cashier_pin_does_not(
    staff: tuple[StaffService, FakeClock],
) -> None:
    service, _ = staff
    ok = service.authorize_manager("9999", Action.RESET_HOLDS)
    assert (ok.staff_id, ok.action, ok.role) == ("m1", "reset_holds", "manager")
    assert ok.as_approval().name == "Олег Менеджер"
    with pytest.raises(PermissionDenied, match="Ирина Кассир \\(cashier\\) may not change a"):
        service.authorize_manager("1111", Action.PRICE_OVERRIDE)


def test_wrong_pins_count_down_then_pause_and_a_right_pin_resets(
    staff: tuple[StaffService, FakeClock],
) -> None:
    service, clock = staff
    with pytest.raises(WrongPin, match="2 more tries"):
        service.sign_in("0000")
    with pytest.raises(WrongPin, match="1 more try"):
        service.sign_in("0001")
    with pytest.raises(SignInLocked, match="paused for 30 seconds"):
        service.sign_in("0002")
    with pytest.raises(SignInLocked, match="Try again in"):
        service.sign_in("1111")  # even the right PIN waits
    clock.current += timedelta(seconds=31)
    with pytest.raises(SignInLocked, match="paused for 60 seconds"):
        service.sign_in("0003")  # the pause doubles
    clock.current += timedelta(seconds=61)
    assert service.sign_in("1111").staff_id == "c1"
    with pytest.raises(WrongPin, match="2 more tries"):
        service.sign_in("0000")  # the count started again


def test_a_pin_that_is_not_4_to_8_digits_is_refused_without_counting(
    staff: tuple[StaffService, FakeClock],
) -> None:
    service, _ = staff
    for bad in ("12", "12a4", "123456789"):
        with pytest.raises(InvalidPin, match="4 to 8 digits"):
            service.sign_in(bad)
    with pytest.raises(WrongPin, match="2 more tries"):
        service.sign_in("0000")


def test_a_till_without_staff_says_so_and_counts_nothing(shop: Shop) -> None:
    service = StaffService(shop.uow, FakeClock())
    for _ in range(5):
        with pytest.raises(UnknownStaff, match="No staff are set up"):
            service.sign_in("1111")
    service.add_staff("c1", "Ирина", "cashier", "1111", SALT)
    assert service.sign_in("1111").staff_id == "c1"  # not locked by the tries before


@pytest.mark.parametrize(
    "params",
    [{"algorithm": "pbkdf2_sha256", "iterations": 1000}, {"algorithm": "scrypt", "n": 1024,
                                                          "r": 8, "p": 1}],
)
def test_staff_from_the_feed_sign_in_offline_with_either_hash(
    shop: Shop, params: dict[str, object]
) -> None:
    service = StaffService(shop.uow, FakeClock())
    data = {"staff_id": "s9", "name": "Admin", "role": "admin", "salt": SALT.hex(),
            "pin_hash": hash_pin("2468", SALT, params), "params": params, "active": True}
    service.upsert_from_feed(data)
    assert service.sign_in("2468").role == "admin"
    service.upsert_from_feed({**data, "active": False})  # deactivated on the server
    with pytest.raises(UnknownStaff):
        service.sign_in("2468")
    assert staff_from_feed({**data, "staff_id": None, "id": "x"}).staff_id == "x"
