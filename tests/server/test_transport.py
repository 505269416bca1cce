"""Issue 16 points 5 and 7 on the server: HTTPS from ``pos-server run --tls-cert --tls-key``,
the API docs only when asked for, enrolment codes that expire, 422 answers that never echo the
refused input, and one id rule for bodies and paths."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from fastapi.testclient import TestClient

from bench.net import free_port
from pos_server.app import create_app
from pos_server.cli import main
from pos_server.db import make_engine, make_sessions, upgrade
from pos_server.settings import ServerSettings
from pos_server.terminals import service as terminals
from tests.live_server import wait_until_up
from tests.server.conftest import Till, guest_payload
from tests.tls_certs import make_tls_files

CLI = [sys.executable, "-m", "pos_server.cli"]


# --- HTTPS -------------------------------------------------------------------------------


def _wait_for_https(base: str, ca: Path, process: subprocess.Popen[bytes]) -> None:
    wait_until_up(base, process, ca=ca)


def test_run_with_a_certificate_serves_https_only(tmp_path: Path) -> None:
    tls = make_tls_files(tmp_path)
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    port = free_port()
    process = subprocess.Popen(
        [*CLI, "run", "--db", url, "--port", str(port), "--tls-cert", str(tls.cert),
         "--tls-key", str(tls.key)],
        env={**os.environ, "POS_SERVER_SWEEP_INTERVAL_SECONDS": "0"},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        _wait_for_https(f"https://127.0.0.1:{port}", tls.ca_cert, process)
        code = terminals_add(url)
        enrolled = requests.post(f"https://127.0.0.1:{port}/v1/terminals/enrol",
                                 json={"code": code}, verify=str(tls.ca_cert), timeout=10)
        assert enrolled.status_code == 200, enrolled.text
        with pytest.raises(requests.exceptions.SSLError):  # a certificate nobody vouches for
            requests.get(f"https://127.0.0.1:{port}/health", verify=True, timeout=5)
        with pytest.raises(requests.ConnectionError):  # no plain HTTP beside it
            requests.post(f"http://127.0.0.1:{port}/v1/terminals/enrol", json={"code": "x"},
                          timeout=5)
    finally:
        process.terminate()
        process.wait(timeout=10)


def terminals_add(url: str) -> str:
    out = subprocess.run([*CLI, "terminal", "add", "Till", "--db", url], check=True,
                         capture_output=True, text=True).stdout  # fmt: skip
    return str(json.loads(out)["enrolment_code"])


@pytest.mark.parametrize("flags", [["--tls-cert", "{cert}"], ["--tls-key", "{key}"],
                                   ["--tls-cert", "{key}", "--tls-key", "{cert}"],
                                   ["--tls-cert", "{missing}", "--tls-key", "{key}"]])
def test_run_refuses_half_or_unusable_tls_settings(
    tmp_path: Path, flags: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    tls = make_tls_files(tmp_path)
    names = {"cert": tls.cert, "key": tls.key, "missing": tmp_path / "nope.pem"}
    argv = ["run", "--db", f"sqlite:///{tmp_path / 's.sqlite3'}", "--port", str(free_port()),
            *(f.format(**names) for f in flags)]  # fmt: skip
    assert main(argv) == 2
    assert "cannot start" in capsys.readouterr().err


# --- docs --------------------------------------------------------------------------------


def test_docs_and_schema_are_not_served_by_default(settings: ServerSettings) -> None:
    with TestClient(create_app(settings)) as client:
        for path in ("/docs", "/openapi.json", "/redoc"):
            assert client.get(path).status_code == 404, path


def test_docs_and_schema_are_served_when_the_setting_enables_them(db_url: str) -> None:
    settings = ServerSettings(database_url=db_url, api_docs=True)
    with TestClient(create_app(settings)) as client:
        assert client.get("/openapi.json").json()["info"]["title"] == "Tillkeeper central server"
        assert client.get("/docs").status_code == 200


def test_the_docs_setting_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POS_SERVER_API_DOCS", "1")
    assert ServerSettings(database_url="sqlite://").api_docs is True
    monkeypatch.delenv("POS_SERVER_API_DOCS")
    assert ServerSettings(database_url="sqlite://").api_docs is False


# --- enrolment codes expire -------------------------------------------------------------


def _add(db_url: str, at: datetime, lifetime: timedelta) -> terminals.NewTerminal:
    engine = make_engine(db_url)
    try:
        with make_sessions(engine).begin() as session:
            return terminals.add_terminal(session, "Till", at, lifetime)
    finally:
        engine.dispose()


def test_an_enrolment_code_older_than_its_lifetime_is_refused(client: TestClient,
                                                              db_url: str) -> None:  # fmt: skip
    old = _add(db_url, datetime.now(UTC) - timedelta(hours=25), timedelta(hours=24))
    answer = client.post("/v1/terminals/enrol", json={"code": old.enrolment_code})
    assert answer.status_code == 401
    assert "expired" in answer.json()["detail"]
    fresh = _add(db_url, datetime.now(UTC) - timedelta(hours=23), timedelta(hours=24))
    assert client.post("/v1/terminals/enrol", json={"code": fresh.enrolment_code}
                       ).status_code == 200  # fmt: skip


def test_terminal_add_prints_when_its_code_expires(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    before = datetime.now(UTC)
    assert main(["terminal", "add", "Till", "--db", url, "--code-hours", "2"]) == 0
    added = json.loads(capsys.readouterr().out)
    expires = datetime.fromisoformat(added["expires_at"])
    assert timedelta(hours=2) - timedelta(seconds=2) <= expires - before <= timedelta(
        hours=2, seconds=5)
    assert main(["terminal", "add", "Till 2", "--db", url]) == 0  # the default: a day
    expires = datetime.fromisoformat(json.loads(capsys.readouterr().out)["expires_at"])
    assert timedelta(hours=23, minutes=59) < expires - before <= timedelta(hours=24, seconds=5)


def test_the_migration_gives_pending_codes_a_day_from_their_terminals_creation(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    upgrade(url, "0011")
    engine = make_engine(url)
    created = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO terminals (id, name, created_at, enrol_code_hash, last_seq) "
                "VALUES ('t1', 'Till', ?, 'abc', 0)", (created.replace(tzinfo=None),))
        upgrade(url)
        with engine.connect() as conn:
            stored = conn.exec_driver_sql(
                "SELECT enrol_code_expires_at FROM terminals").scalar_one()
    finally:
        engine.dispose()
    assert datetime.fromisoformat(str(stored)).replace(tzinfo=UTC) == created + timedelta(days=1)


# --- 422 never echoes the input ---------------------------------------------------------


def test_a_422_never_echoes_a_pin_or_a_code(client: TestClient, till: Till) -> None:
    pin = "12345678901234567"  # 17 digits: longer than any PIN may be
    answer = client.get("/v1/admin/overdrafts",
                        headers={**till.headers, "X-Staff-Id": "m1", "X-Staff-Pin": pin})
    assert answer.status_code == 422
    assert pin not in answer.text
    assert answer.json()["detail"][0]["loc"] == ["header", "x-staff-pin"]
    code = "C" * 201
    answer = client.post("/v1/terminals/enrol", json={"code": code})
    assert answer.status_code == 422 and code not in answer.text
    assert all("input" not in error for error in answer.json()["detail"])


# --- one id rule -------------------------------------------------------------------------


def _order(order_id: str) -> dict[str, Any]:
    return {"order_id": order_id, "guest_id": "anna", "method": "card",
            "lines": [{"product_id": "latte", "name": "Latte", "quantity": 1,
                       "unit_price": 25_000}]}  # fmt: skip


@pytest.mark.parametrize("bad", ["o-\u202e1", "o-\x07", "o\n1", "o-\u200b1", "o-\x851"])
def test_an_id_with_control_or_bidi_characters_is_refused_on_create_and_on_fetch(
    client: TestClient, till: Till, bad: str
) -> None:
    till.push_ok(till.op("guest.created", guest_payload("anna")))
    created = client.post("/v1/orders", json=_order(bad), headers=till.headers)
    assert created.status_code == 422, created.text
    error = created.json()["detail"][0]
    assert error["loc"] == ["body", "order_id"] and error["type"] == "value_error"
    assert "printable" in error["msg"] and bad not in created.text
    fetched = client.get("/v1/orders/" + requests.utils.quote(bad, safe=""),
                         headers=till.headers)  # fmt: skip
    assert fetched.status_code == 422, fetched.text
    assert fetched.json()["detail"][0]["loc"] == ["path", "order_id"]
    assert fetched.json()["detail"][0]["msg"] == error["msg"]
    assert client.post("/v1/orders", json=_order("o-1"), headers=till.headers
                       ).status_code == 201  # fmt: skip


def test_a_payload_id_with_a_bidi_override_is_refused(till: Till) -> None:
    answer = till.push(till.op("guest.created", guest_payload("anna\u202e")))
    assert answer.status_code == 422
    assert answer.json()["detail"]["operations"][0]["errors"][0]["loc"] == ["guest_id"]


# --- the database file is the server user's only -----------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_a_new_sqlite_database_and_its_wal_are_0600(tmp_path: Path) -> None:
    path = tmp_path / "server.sqlite3"
    old = os.umask(0o022)  # a typical service umask: world-readable unless made otherwise
    try:
        upgrade(f"sqlite:///{path}")
        engine = make_engine(f"sqlite:///{path}")
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql("UPDATE feed_counter SET last_id = last_id")
            sides = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
            assert [stat.S_IMODE(p.stat().st_mode) for p in sides] == [0o600] * 3
        finally:
            engine.dispose()
        path.chmod(0o644)  # made by an older server: narrowed when next opened
        make_engine(f"sqlite:///{path}").dispose()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    finally:
        os.umask(old)
