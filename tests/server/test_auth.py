"""Enrolment with one-time codes and bearer tokens stored only as hashes."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select

from pos_server.db import make_engine, make_sessions
from pos_server.db.models import Terminal
from pos_server.terminals import service as terminals
from tests.server.conftest import Till, add_terminal, enrol


def test_enrolment_code_works_once_and_token_is_stored_only_as_hash(
    client: TestClient, db_url: str
) -> None:
    added = add_terminal(db_url, "Bar till")
    first = client.post("/v1/terminals/enrol", json={"code": added.enrolment_code})
    assert first.status_code == 200
    token = first.json()["token"]
    assert len(token) >= 40

    again = client.post("/v1/terminals/enrol", json={"code": added.enrolment_code})
    assert again.status_code == 401
    assert "already been used" in again.json()["detail"]

    engine = make_engine(db_url)
    with make_sessions(engine)() as session:
        row = session.get_one(Terminal, added.terminal_id)
        assert row.token_hash == terminals.digest(token)
        assert row.enrol_code_hash is None
        stored = [str(v) for v in session.execute(select(Terminal.__table__)).one()]
    engine.dispose()
    assert token not in stored and added.enrolment_code not in stored


def test_unknown_code_is_refused(client: TestClient) -> None:
    response = client.post("/v1/terminals/enrol", json={"code": "made-up"})
    assert response.status_code == 401
    assert "unknown" in response.json()["detail"]


def test_calls_without_or_with_forged_token_get_401(client: TestClient, till: Till) -> None:
    missing = client.get("/v1/changes")
    assert missing.status_code == 401
    assert "Bearer" in missing.json()["detail"]
    assert missing.headers["www-authenticate"] == "Bearer"

    forged = client.get("/v1/changes", headers={"Authorization": f"Bearer {till.token}x"})
    assert forged.status_code == 401
    assert "not valid" in forged.json()["detail"]

    assert client.get("/v1/changes", headers=till.headers).status_code == 200


def test_revoked_terminal_gets_401_and_nothing_is_applied(
    client: TestClient, db_url: str
) -> None:
    till = enrol(client, db_url)
    engine = make_engine(db_url)
    with make_sessions(engine).begin() as session:
        assert terminals.revoke(session, till.terminal_id, datetime.now(UTC))
    response = till.push(till.op("guest.created", {"guest_id": "g1", "name": "Anna"}))
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
    with make_sessions(engine)() as session:
        assert session.get_one(Terminal, till.terminal_id).last_seq == 0
    engine.dispose()


def test_token_of_one_terminal_cannot_push_for_another(client: TestClient, db_url: str) -> None:
    first, second = enrol(client, db_url, "A"), enrol(client, db_url, "B")
    op = second.op("guest.created", {"guest_id": "g1", "name": "Anna"})
    response = first.push(op)
    assert response.status_code == 403
    assert "another terminal" in response.json()["detail"]


def test_enrolment_codes_never_start_like_a_command_line_option() -> None:
    from pos_server.terminals.service import new_enrolment_code

    codes = [new_enrolment_code() for _ in range(2000)]  # ~1 in 64 would start with "-" or "_"
    assert all(code[0].isalnum() for code in codes)
    assert len(set(codes)) == len(codes)
