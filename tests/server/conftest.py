"""Server fixtures: a migrated database per test, on SQLite and (when it answers) PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import make_url

from pos_server.app import create_app
from pos_server.db import make_engine, make_sessions, upgrade
from pos_server.db.models import Base
from pos_server.settings import ServerSettings
from pos_server.terminals import service as terminals
from tests.operation_examples import till_sale

__all__ = ["till_sale"]  # the short form of a sale, for the tests of this package

PG_URL = os.environ.get("POS_TEST_PG_URL")
PG_SKIP_REASON = (
    "POS_TEST_PG_URL is not set (PostgreSQL did not answer): PostgreSQL variant skipped"
)


def _admin_conninfo(admin_url: str) -> str:
    return make_url(admin_url).set(drivername="postgresql").render_as_string(hide_password=False)


@contextmanager
def throwaway_pg_database(admin_url: str) -> Iterator[str]:
    """A fresh database pos_test_server_<random>, dropped afterwards; nothing else is touched."""
    import psycopg

    name = f"pos_test_server_{uuid.uuid4().hex[:12]}"
    conninfo = make_url(admin_url).set(drivername="postgresql").render_as_string(
        hide_password=False
    )
    with psycopg.connect(conninfo, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """One migrated throwaway database per test session (CREATE DATABASE costs ~0.3 s a test)."""
    if not PG_URL:
        pytest.skip(PG_SKIP_REASON)
    with throwaway_pg_database(PG_URL) as url:
        upgrade(url)
        yield url


def empty_pg_database(url: str) -> None:
    """Back to the freshly migrated state: every table emptied, the feed counter at zero."""
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
            connection.exec_driver_sql("INSERT INTO feed_counter (id, last_id) VALUES (1, 0)")
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
        upgrade(url)
        return url
    if not PG_URL:
        pytest.skip(PG_SKIP_REASON)
    pg_url: str = request.getfixturevalue("pg_database")
    empty_pg_database(pg_url)
    return pg_url


@pytest.fixture
def settings(db_url: str) -> ServerSettings:
    return ServerSettings(database_url=db_url, max_batch=50, max_page=20)


@pytest.fixture
def client(settings: ServerSettings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def add_terminal(db_url: str, name: str = "Till 1") -> terminals.NewTerminal:
    engine = make_engine(db_url)
    try:
        with make_sessions(engine).begin() as session:
            return terminals.add_terminal(session, name, datetime.now(UTC))
    finally:
        engine.dispose()


class Till:
    """A terminal as the tests drive it: builds operations with the next seq and pushes them."""

    def __init__(self, client: TestClient, terminal_id: str, token: str) -> None:
        self.client = client
        self.terminal_id = terminal_id
        self.token = token
        self.seq = 0

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def op(self, kind: str, payload: dict[str, Any], **override: Any) -> dict[str, Any]:
        if "seq" not in override:
            self.seq += 1
        op = {
            "op_id": str(uuid.uuid4()),
            "terminal_id": self.terminal_id,
            "seq": self.seq,
            "created_at": datetime.now(UTC).isoformat(),
            "kind": kind,
            "payload": payload,
        }
        op.update(override)
        return op

    def push(self, *ops: dict[str, Any]) -> Any:
        return self.client.post("/v1/ops", json={"operations": list(ops)}, headers=self.headers)

    def push_ok(self, *ops: dict[str, Any]) -> dict[str, Any]:
        response = self.push(*ops)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


def enrol(client: TestClient, db_url: str, name: str = "Till 1") -> Till:
    added = add_terminal(db_url, name)
    response = client.post("/v1/terminals/enrol", json={"code": added.enrolment_code})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["terminal_id"] == added.terminal_id
    return Till(client, added.terminal_id, body["token"])


@pytest.fixture
def till(client: TestClient, db_url: str) -> Till:
    return enrol(client, db_url)


def guest_payload(guest_id: str | None = None, name: str = "Anna") -> dict[str, Any]:
    return {"guest_id": guest_id or str(uuid.uuid4()), "name": name, "phone": "+79121234567"}


def sale_payload(guest_id: str | None = None, **override: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "sale_id": str(uuid.uuid4()),
        "receipt_no": "A-000001",
        "opened_at": "2026-11-23T10:00:00+00:00",
        "closed_at": "2026-11-23T10:05:00+00:00",
        "guest_id": guest_id,
        "lines": [
            {"line_no": 1, "product_id": "latte", "name": "Latte", "quantity": 2,
             "unit_price": 25000, "discount": 5000, "total": 45000},
            {"line_no": 2, "product_id": "cookie", "name": "Cookie", "quantity": 1,
             "unit_price": 9000, "total": 9000},
        ],
        "payments": [{"method": "card", "amount": 50000}, {"method": "cash", "amount": 4000}],
        "total": 54000,
    }
    payload.update(override)
    return till_sale(payload)


def add_staff_member(db_url: str, staff_id: str, role: str = "cashier", *,
                     active: bool = True) -> None:  # fmt: skip
    """A staff record written straight into the server's database (PIN 123456); written
    again when the id exists (a server shared by several tests)."""
    from pos_app.domain.staff_pins import PIN_PARAMS, hash_pin
    from pos_server.db.models_staff import StaffRow

    now, salt = datetime.now(UTC), bytes(range(16))
    engine = make_engine(db_url)
    with make_sessions(engine).begin() as session:
        session.merge(StaffRow(id=staff_id, name=staff_id.title(), role=role, active=active,
                             pin_hash=hash_pin("123456", salt, PIN_PARAMS), salt=salt.hex(),
                             params=dict(PIN_PARAMS), created_at=now, updated_at=now))
    engine.dispose()
