"""Manager/admin say on HTTP calls: X-Staff-Id + X-Staff-Pin over the terminal token, throttled."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from pos_server import staff, staff_auth
from pos_server.app import create_app
from pos_server.db import make_engine, make_sessions
from pos_server.settings import ServerSettings
from tests.server.conftest import Till, enrol


def guarded_app(db_url: str) -> FastAPI:
    """The real app plus one route guarded the way admin routes are (the harness here)."""
    app = create_app(ServerSettings(database_url=db_url, sweep_interval_seconds=0))

    @app.post("/test/guarded")
    def guarded(who: staff_auth.ManagerOrAdmin) -> dict[str, str]:
        return {"staff_id": who.id, "role": who.role}

    return app


@pytest.fixture
def people(db_url: str) -> dict[str, str]:
    now = datetime.now(UTC)
    engine = make_engine(db_url)
    try:
        with make_sessions(engine).begin() as session:
            return {role: staff.add_staff(session, role.title(), role, pin, now).id
                    for role, pin in [("manager", "9999"), ("cashier", "1111"),
                                      ("admin", "4242")]}  # fmt: skip
    finally:
        engine.dispose()


@pytest.fixture
def till(db_url: str) -> Iterator[Till]:
    staff_auth.THROTTLE = staff_auth.PinThrottle()  # a fresh count per test
    with TestClient(guarded_app(db_url)) as client:
        yield enrol(client, db_url)


def call(till: Till, staff_id: str | None, pin: str | None) -> tuple[int, object]:
    headers = dict(till.headers)
    if staff_id is not None:
        headers["X-Staff-Id"] = staff_id
    if pin is not None:
        headers["X-Staff-Pin"] = pin
    response = till.client.post("/test/guarded", headers=headers)
    return response.status_code, response.json()


def test_manager_and_admin_pass_cashier_and_wrong_pins_do_not(
    till: Till, people: dict[str, str]
) -> None:
    assert call(till, people["manager"], "9999") == (
        200, {"staff_id": people["manager"], "role": "manager"})  # fmt: skip
    assert call(till, people["admin"], "4242")[0] == 200
    code, body = call(till, people["cashier"], "1111")
    assert (code, body) == (403, {"detail": "Cashier is a cashier; this needs a admin or manager."})
    assert call(till, people["manager"], "9998")[0] == 401
    assert call(till, "nobody", "9999")[0] == 401
    assert call(till, people["manager"], None)[0] == 401
    no_token = till.client.post("/test/guarded",
                                headers={"X-Staff-Id": people["manager"], "X-Staff-Pin": "9999"})
    assert no_token.status_code == 401  # the terminal's token is still needed


def test_wrong_pins_lock_the_pair_and_a_right_pin_clears_the_count(
    till: Till, people: dict[str, str], db_url: str
) -> None:
    manager = people["manager"]
    for _ in range(staff_auth.FREE_ATTEMPTS - 1):
        assert call(till, manager, "0000")[0] == 401
    assert call(till, manager, "9999")[0] == 200  # right PIN: count cleared
    for _ in range(staff_auth.FREE_ATTEMPTS + 1):  # the free ones, then one that locks
        assert call(till, manager, "0000")[0] == 401
    code, body = call(till, manager, "9999")  # locked now, even with the right PIN
    assert code == 429
    assert "Too many wrong PINs" in str(body)
    other = enrol(till.client, db_url, "Till 2")
    assert call(other, manager, "9999")[0] == 200  # another terminal is not locked out


def test_lock_doubles_and_is_capped() -> None:
    now = [0.0]
    throttle = staff_auth.PinThrottle(lambda: now[0])
    key = ("t", "s")
    for _ in range(staff_auth.FREE_ATTEMPTS):
        throttle.failed(key)
    assert throttle.locked_for(key) == 0
    throttle.failed(key)
    assert throttle.locked_for(key) == staff_auth.LOCK_SECONDS
    throttle.failed(key)
    assert throttle.locked_for(key) == 2 * staff_auth.LOCK_SECONDS
    for _ in range(20):
        throttle.failed(key)
    assert throttle.locked_for(key) == staff_auth.MAX_LOCK_SECONDS
    now[0] += staff_auth.MAX_LOCK_SECONDS
    assert throttle.locked_for(key) == 0
