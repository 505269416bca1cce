"""pos-server sub-commands, and one round trip against a real `pos-server run` process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from bench.net import free_port
from pos_server.cli import main
from pos_server.settings import ServerSettings
from tests.live_server import wait_until_up
from tests.server.conftest import guest_payload

POS_SERVER = [str(Path(sys.executable).with_name("pos-server"))]  # the installed entry point


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    code = main(list(argv))
    return code, capsys.readouterr().out.splitlines()


def test_terminal_add_prints_one_json_line_and_export_lists_operations(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from fastapi.testclient import TestClient

    from pos_server.app import create_app

    code, lines = run_cli(capsys, "terminal", "add", "Front till", "--db", db_url)
    assert code == 0 and len(lines) == 1
    added = json.loads(lines[0])
    assert set(added) == {"terminal_id", "enrolment_code", "expires_at"}

    with TestClient(create_app(ServerSettings(database_url=db_url))) as client:
        token = client.post("/v1/terminals/enrol",
                            json={"code": added["enrolment_code"]}).json()["token"]
        ops = [
            {"op_id": str(uuid.uuid4()), "terminal_id": added["terminal_id"], "seq": n,
             "created_at": datetime.now(UTC).isoformat(), "kind": kind, "payload": payload}
            for n, (kind, payload) in enumerate(
                [("guest.created", guest_payload("g1")), ("nope", {})], start=1
            )
        ]
        response = client.post("/v1/ops", json={"operations": ops},
                               headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200

    code, lines = run_cli(capsys, "export", "operations", "--terminal", added["terminal_id"],
                          "--db", db_url)
    exported = [json.loads(line) for line in lines]
    assert [(e["seq"], e["kind"], e["verdict"]) for e in exported] == [
        (1, "guest.created", "applied"), (2, "nope", "rejected")
    ]
    assert exported[0]["op_id"] == ops[0]["op_id"]
    assert exported[0]["payload"] == guest_payload("g1")
    code, lines = run_cli(capsys, "export", "operations", "--terminal", "other", "--db", db_url)
    assert (code, lines) == (0, [])

    code, lines = run_cli(capsys, "terminal", "revoke", added["terminal_id"], "--db", db_url)
    assert code == 0 and json.loads(lines[0])["revoked"] is True


def test_migrate_is_idempotent(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate", "--db", db_url]) == 0
    assert main(["migrate", "--db", db_url]) == 0


def test_settings_read_the_pos_server_environment(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    monkeypatch.setenv("POS_SERVER_PORT", "9123")
    monkeypatch.setenv("POS_SERVER_MAX_BATCH", "7")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    settings = ServerSettings()
    assert (settings.port, settings.max_batch) == (9123, 7)
    assert settings.database_url == f"sqlite:///{tmp_path / 'pos_server' / 'pos_server.sqlite3'}"
    monkeypatch.setenv("POS_SERVER_PORT", "not a port")
    with pytest.raises(ValueError, match="port"):
        ServerSettings()



@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    db = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    port = free_port()
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path)}
    process = subprocess.Popen(
        [*POS_SERVER, "run", "--db", db, "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process)
        yield base, db
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_real_server_process_enrols_and_applies_ops(live_server: tuple[str, str]) -> None:
    base, db = live_server
    added = json.loads(
        subprocess.run([*POS_SERVER, "terminal", "add", "Live till", "--db", db],
                       check=True, capture_output=True, text=True).stdout
    )
    with httpx.Client(base_url=base, timeout=10) as http:
        enrolled = http.post("/v1/terminals/enrol", json={"code": added["enrolment_code"]})
        assert enrolled.status_code == 200
        headers = {"Authorization": f"Bearer {enrolled.json()['token']}"}
        op = {"op_id": str(uuid.uuid4()), "terminal_id": added["terminal_id"], "seq": 1,
              "created_at": datetime.now(UTC).isoformat(), "kind": "guest.created",
              "payload": guest_payload("live-guest")}
        for replayed in (False, True):
            body = http.post("/v1/ops", json={"operations": [op]}, headers=headers).json()
            assert body["results"][0]["status"] == "applied"
            assert body["results"][0]["replayed"] is replayed
        changes = http.get("/v1/changes", headers=headers).json()
        assert [c["entity_id"] for c in changes["changes"]] == ["live-guest"]
        assert http.get("/v1/changes", headers={"Authorization": "Bearer x"}).status_code == 401


def test_demo_order_places_believable_orders_that_reach_the_feed(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from sqlalchemy import select

    from pos_server.db import make_engine, make_sessions
    from pos_server.db.models import Guest, GuestOrderLineRow, GuestOrderRow
    from pos_server.feed.changes import read_changes

    code, lines = run_cli(capsys, "demo-order", "--db", db_url, "--count", "4", "--seed", "7")
    assert code == 0 and len(lines) == 4
    printed = [json.loads(line) for line in lines]
    again = run_cli(capsys, "demo-order", "--db", db_url, "--seed", "7")[1]
    assert len(again) == 1
    engine = make_engine(db_url)
    with make_sessions(engine)() as session:
        orders = {o.id: o for o in session.scalars(select(GuestOrderRow))}
        guests = set(session.scalars(select(Guest.id)))
        lines_by_order: dict[str, int] = {}
        for line in session.scalars(select(GuestOrderLineRow)):
            lines_by_order[line.order_id] = lines_by_order.get(line.order_id, 0) + 1
            assert line.unit_price > 0 and 1 <= line.quantity <= 2
        feed = read_changes(session, 0, 100).changes
    engine.dispose()
    assert len(orders) == 5 and len(guests) == 3  # the second run reused the demo guests
    for row in printed:
        order = orders[row["order_id"]]
        assert (order.state, order.total, order.guest_id) == ("new", row["total"], row["guest_id"])
        assert 1 <= lines_by_order[order.id] <= 3 and order.ready_by is not None
    assert [c.entity for c in feed].count("order") == 5
    with pytest.raises(SystemExit):
        main(["demo-order", "--db", db_url, "--count", "0"])
