"""Manager/admin say on HTTP calls: X-Staff-Id + X-Staff-Pin over the terminal token, throttled."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from fastapi import FastAPI
from fastapi.testclient import TestClient

from pos_server import staff, staff_auth
from pos_server.app import create_app
from pos_server.db import make_engine, make_sessions
from pos_server.settings import ServerSettings
from tests.server.conftest import Till, enrol
from tests.sync.conftest import new_code
from tests.sync.faultproxy import ServerProcess


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


def test_lock_doubles_and_is_capped(db_url: str) -> None:
    free = staff_auth.FREE_ATTEMPTS
    assert [staff_auth.lock_seconds(n) for n in (0, free, free + 1, free + 2, free + 50)] == [
        0, 0, staff_auth.LOCK_SECONDS, 2 * staff_auth.LOCK_SECONDS, staff_auth.MAX_LOCK_SECONDS]
    throttle, key = staff_auth.PinThrottle(), ("t", "s")
    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    engine = make_engine(db_url)
    sessions = make_sessions(engine)

    def fail_and_wait(times: int = 1, at: datetime = now) -> float:
        for _ in range(times):
            with sessions.begin() as session:
                throttle.failed(session, key, at)
        with sessions.begin() as session:
            return throttle.locked_for(session, key, at)

    try:
        assert fail_and_wait(staff_auth.FREE_ATTEMPTS) == 0
        assert fail_and_wait() == staff_auth.LOCK_SECONDS
        assert fail_and_wait() == 2 * staff_auth.LOCK_SECONDS
        assert fail_and_wait(20) == staff_auth.MAX_LOCK_SECONDS
        later = now + timedelta(seconds=staff_auth.MAX_LOCK_SECONDS)
        with sessions.begin() as session:
            assert throttle.locked_for(session, key, later) == 0
            throttle.succeeded(session, key)
        assert fail_and_wait() == 0  # counted from one again
    finally:
        engine.dispose()


def test_the_count_is_shared_by_every_server_process(
    till: Till, people: dict[str, str], db_url: str
) -> None:
    """A second process starts with nothing in memory (simulated by a fresh throttle object):
    the wrong PINs made through the first still lock the pair there."""
    manager = people["manager"]
    for _ in range(staff_auth.FREE_ATTEMPTS + 1):
        assert call(till, manager, "0000")[0] == 401
    staff_auth.THROTTLE = staff_auth.PinThrottle()  # what another worker process would have
    with TestClient(guarded_app(db_url)) as other_process:
        other = Till(other_process, till.terminal_id, till.token)
        assert call(other, manager, "9999")[0] == 429


def test_two_real_server_processes_share_the_lock(tmp_path: Path) -> None:
    """Two ``pos-server run`` processes on one database: wrong PINs sent to one lock the pair
    on the other (each process's memory alone would let it guess on)."""
    db_url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    first, second = ServerProcess(db_url, tmp_path), ServerProcess(db_url, tmp_path)
    with first:
        second.start()
        try:
            token = requests.post(f"{first.url}/v1/terminals/enrol", timeout=10,
                                  json={"code": new_code(db_url)}).json()["token"]  # fmt: skip
            engine = make_engine(db_url)
            with make_sessions(engine).begin() as session:
                manager = staff.add_staff(session, "Maria", "manager", "9999", datetime.now(UTC))
                manager_id = manager.id
            engine.dispose()

            def overdrafts(server: ServerProcess, pin: str) -> int:
                headers = {"Authorization": f"Bearer {token}", "X-Staff-Id": manager_id,
                           "X-Staff-Pin": pin}  # fmt: skip
                return requests.get(f"{server.url}/v1/admin/overdrafts", headers=headers,
                                    timeout=10).status_code  # fmt: skip

            assert overdrafts(second, "9999") == 200
            assert [overdrafts(first, "0000") for _ in range(staff_auth.FREE_ATTEMPTS + 1)] == [
                401] * (staff_auth.FREE_ATTEMPTS + 1)  # fmt: skip
            assert overdrafts(second, "9999") == 429
        finally:
            second.stop()
