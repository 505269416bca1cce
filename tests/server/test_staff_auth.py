"""Staff say on HTTP calls: a password or staff key on admin routes; a manager's PIN only with
the terminal's token on the till's manager calls; a role that may not is refused like a wrong
credential; wrong ones throttled in the database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from fastapi import FastAPI
from fastapi.testclient import TestClient

from pos_app.domain.staff_pins import LEGACY_PARAMS, hash_pin
from pos_server.app import create_app
from pos_server.db import make_engine, make_sessions
from pos_server.db.models_staff import StaffRow
from pos_server.settings import ServerSettings
from pos_server.staff import auth as staff_auth
from pos_server.staff import service as staff
from pos_server.uow import unit_of_work
from tests.server.conftest import Till, enrol
from tests.sync.conftest import new_code
from tests.sync.faultproxy import ServerProcess

PASSWORDS = {"manager": "manager's long password", "cashier": "cashier's long password",
             "admin": "admin's long password"}  # fmt: skip


def guarded_app(db_url: str) -> FastAPI:
    """The real app plus two routes guarded the way admin routes are (the harness here):
    ``/test/guarded`` a till's manager call (PIN with token, or password/key),
    ``/test/admin`` an admin route (password/key only)."""
    app = create_app(ServerSettings(database_url=db_url, sweep_interval_seconds=0))

    @app.post("/test/guarded")
    def guarded(who: staff_auth.ManagerAtTill) -> dict[str, str]:
        return {"staff_id": who.row.id, "role": who.row.role}

    @app.post("/test/admin")
    def admin(who: staff_auth.ManagerOrAdmin) -> dict[str, str | None]:
        return {"staff_id": who.row.id, "by": who.credential, "terminal": who.terminal_id}

    return app


@pytest.fixture
def people(db_url: str) -> dict[str, str]:
    now = datetime.now(UTC)
    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, actor="test", now=now) as uow:
            ids = {role: staff.add_staff(uow, role.title(), role, pin).id
                   for role, pin in [("manager", "999999"), ("cashier", "111111"),
                                     ("admin", "424242")]}  # fmt: skip
            for role, staff_id in ids.items():
                staff.set_password(uow, staff_id, PASSWORDS[role])
            return ids
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


WRONG_PIN = {"detail": "Unknown member of staff or wrong PIN."}


def test_manager_and_admin_pass_cashier_and_wrong_pins_do_not(
    till: Till, people: dict[str, str]
) -> None:
    assert call(till, people["manager"], "999999") == (
        200, {"staff_id": people["manager"], "role": "manager"})  # fmt: skip
    assert call(till, people["admin"], "424242")[0] == 200
    assert call(till, people["manager"], "999998") == (401, WRONG_PIN)
    assert call(till, "nobody", "999999") == (401, WRONG_PIN)
    assert call(till, people["manager"], None)[0] == 401
    no_token = till.client.post("/test/guarded", headers={"X-Staff-Id": people["manager"],
                                                          "X-Staff-Pin": "999999"})  # fmt: skip
    assert no_token.status_code == 401  # the terminal's token is still needed
    assert "enrolled terminal's token" in no_token.json()["detail"]


def test_a_right_pin_of_a_role_that_may_not_answers_like_a_wrong_one(
    till: Till, people: dict[str, str]
) -> None:
    """Same status, same body (no name), counted by the lock-out the same way."""
    cashier = people["cashier"]
    assert call(till, cashier, "111111") == (401, WRONG_PIN)  # the cashier's right PIN
    assert call(till, cashier, "111112") == (401, WRONG_PIN)  # a wrong one
    for _ in range(staff_auth.FREE_ATTEMPTS - 1):  # two done: these lock the pair
        assert call(till, cashier, "111111") == (401, WRONG_PIN)
    code, _body = call(till, cashier, "111111")
    assert code == 429


def test_a_pin_never_opens_an_admin_route(till: Till, people: dict[str, str]) -> None:
    """The admin routes take a password or a key: a right admin PIN with a terminal token is
    refused (every till holds the PIN hashes, so a PIN can be guessed offline)."""
    headers = {**till.headers, "X-Staff-Id": people["admin"], "X-Staff-Pin": "424242"}
    response = till.client.post("/test/admin", headers=headers)
    assert response.status_code == 401
    assert "a PIN is not accepted here" in response.json()["detail"]


def test_a_pin_shorter_than_six_digits_is_refused_uncounted(
    till: Till, db_url: str
) -> None:
    """A manager's PIN set before the 6-digit rule still verifies at the tills, not here."""
    now = datetime.now(UTC)
    engine = make_engine(db_url)
    salt = bytes(range(16))
    with make_sessions(engine).begin() as session:
        session.add(StaffRow(id="old", name="Old", role="manager", active=True,
                             pin_hash=hash_pin("4321", salt, LEGACY_PARAMS), salt=salt.hex(),
                             params=dict(LEGACY_PARAMS), created_at=now,
                             updated_at=now))  # fmt: skip
    engine.dispose()
    for _ in range(staff_auth.FREE_ATTEMPTS + 2):
        code, body = call(till, "old", "4321")
        assert code == 401 and "at least 6 digits" in str(body)


def admin_call(
    client: TestClient, staff_id: str | None = None, password: str | None = None,
    key: str | None = None, token: str | None = None,
) -> tuple[int, object]:  # fmt: skip
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if staff_id is not None:
        headers["X-Staff-Id"] = staff_id
    if password is not None:
        headers["X-Staff-Password"] = password
    if key is not None:
        headers["X-Staff-Key"] = key
    response = client.post("/test/admin", headers=headers)
    return response.status_code, response.json()


def test_passwords_open_admin_routes_with_or_without_a_terminal(
    till: Till, people: dict[str, str]
) -> None:
    manager, cashier = people["manager"], people["cashier"]
    assert admin_call(till.client, manager, PASSWORDS["manager"]) == (
        200, {"staff_id": manager, "by": "password", "terminal": None})  # fmt: skip
    assert admin_call(till.client, manager, PASSWORDS["manager"], token=till.token) == (
        200, {"staff_id": manager, "by": "password", "terminal": till.terminal_id})  # fmt: skip
    wrong = admin_call(till.client, manager, "not the password at all")
    assert wrong == (401, {"detail": "Unknown member of staff or wrong password."})
    assert admin_call(till.client, cashier, PASSWORDS["cashier"]) == wrong  # role may not
    assert admin_call(till.client, "nobody", PASSWORDS["manager"]) == wrong
    assert admin_call(till.client)[0] == 401
    for _ in range(staff_auth.FREE_ATTEMPTS):
        assert admin_call(till.client, manager, "still not it, sorry")[0] == 401
    assert admin_call(till.client, manager, PASSWORDS["manager"])[0] == 429


def test_a_staff_key_opens_admin_routes_until_withdrawn(
    till: Till, people: dict[str, str], db_url: str
) -> None:
    now = datetime.now(UTC)
    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, actor="test", now=now) as uow:
            _row, key = staff.new_key(uow, people["admin"])
            _row, cashier_key = staff.new_key(uow, people["cashier"])
        assert admin_call(till.client, key=key)[0] == 200
        wrong = admin_call(till.client, key=key[:-2] + "xx")
        assert wrong == (401, {"detail": "Unknown or withdrawn staff key."})
        assert admin_call(till.client, key=cashier_key) == wrong
        with unit_of_work(engine, actor="test", now=now) as uow:
            staff.withdraw_key(uow, people["admin"])
        assert admin_call(till.client, key=key) == wrong
    finally:
        engine.dispose()


def test_wrong_pins_lock_the_pair_and_a_right_pin_clears_the_count(
    till: Till, people: dict[str, str], db_url: str
) -> None:
    manager = people["manager"]
    for _ in range(staff_auth.FREE_ATTEMPTS - 1):
        assert call(till, manager, "000000")[0] == 401
    assert call(till, manager, "999999")[0] == 200  # right PIN: count cleared
    for _ in range(staff_auth.FREE_ATTEMPTS + 1):  # the free ones, then one that locks
        assert call(till, manager, "000000")[0] == 401
    code, body = call(till, manager, "999999")  # locked now, even with the right PIN
    assert code == 429
    assert "Too many wrong PINs" in str(body)
    other = enrol(till.client, db_url, "Till 2")
    assert call(other, manager, "999999")[0] == 200  # another terminal is not locked out


def test_lock_doubles_and_is_capped(db_url: str) -> None:
    free = staff_auth.FREE_ATTEMPTS
    assert [staff_auth.lock_seconds(n) for n in (0, free, free + 1, free + 2, free + 50)] == [
        0, 0, staff_auth.LOCK_SECONDS, 2 * staff_auth.LOCK_SECONDS, staff_auth.MAX_LOCK_SECONDS]
    throttle, key = staff_auth.PinThrottle(), ("t", "s")
    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    engine = make_engine(db_url)

    def fail_and_wait(times: int = 1, at: datetime = now) -> float:
        for _ in range(times):
            with unit_of_work(engine, actor="test", now=at) as uow:
                throttle.failed(uow, key)
        with unit_of_work(engine, actor="test", now=at) as uow:
            return throttle.locked_for(uow, key)

    try:
        assert fail_and_wait(staff_auth.FREE_ATTEMPTS) == 0
        assert fail_and_wait() == staff_auth.LOCK_SECONDS
        assert fail_and_wait() == 2 * staff_auth.LOCK_SECONDS
        assert fail_and_wait(20) == staff_auth.MAX_LOCK_SECONDS
        later = now + timedelta(seconds=staff_auth.MAX_LOCK_SECONDS)
        with unit_of_work(engine, actor="test", now=later) as uow:
            assert throttle.locked_for(uow, key) == 0
            throttle.succeeded(uow, key)
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
        assert call(till, manager, "000000")[0] == 401
    staff_auth.THROTTLE = staff_auth.PinThrottle()  # what another worker process would have
    with TestClient(guarded_app(db_url)) as other_process:
        other = Till(other_process, till.terminal_id, till.token)
        assert call(other, manager, "999999")[0] == 429


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
            with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
                manager_id = staff.add_staff(uow, "Maria", "manager", "999999").id
            engine.dispose()

            def reset(server: ServerProcess, pin: str) -> int:
                headers = {"Authorization": f"Bearer {token}", "X-Staff-Id": manager_id,
                           "X-Staff-Pin": pin}  # fmt: skip
                return requests.post(f"{server.url}/v1/admin/holds/reset", headers=headers,
                                     json={"guest_id": "anna", "reason": "stuck holds"},
                                     timeout=10).status_code  # fmt: skip

            assert reset(second, "999999") == 200
            assert [reset(first, "000000") for _ in range(staff_auth.FREE_ATTEMPTS + 1)] == [
                401] * (staff_auth.FREE_ATTEMPTS + 1)  # fmt: skip
            assert reset(second, "999999") == 429
        finally:
            second.stop()
