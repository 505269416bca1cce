"""How a batch reaches the disk on SQLite, and the plain-ASGI fast path of POST /v1/ops.

A batch's operations share commits (each in a savepoint of its own); all but the batch's last
commit are made with ``synchronous=NORMAL`` and the last one with ``FULL``, whose WAL sync
covers them; a batch ending in a replay syncs with a write of its own; a feed reader syncs
before answering. Seen through SQLite's own statement trace.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from pos_server.app import create_app
from pos_server.db import make_engine, make_sessions, upgrade
from pos_server.db.checkpointer import SAFETY_PAGES, Checkpointer
from pos_server.feed.changes import read_changes
from pos_server.http import ops_fast_path
from pos_server.http.schemas import Operation
from pos_server.ops.pipeline import apply_batch, check_batch
from pos_server.settings import ServerSettings
from pos_server.terminals import service as terminals
from tests.server.conftest import Till, enrol, guest_payload


class Trace:
    """Every statement SQLite runs on the engine's connections, with the synchronous level."""

    def __init__(self, engine: Engine) -> None:
        self.lines: list[str] = []
        event.listen(engine, "connect", self._on_connect)

    def _on_connect(self, dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.set_trace_callback(self.lines.append)

    def since(self, mark: int) -> list[str]:
        return [line.strip() for line in self.lines[mark:]]


@pytest.fixture
def traced(tmp_path: Path) -> Iterator[tuple[Engine, Trace, str]]:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    trace = Trace(engine)
    with make_sessions(engine).begin() as session:
        terminal_id = terminals.add_terminal(session, "Till", datetime.now(UTC)).terminal_id
    yield engine, trace, terminal_id
    engine.dispose()


def _ops(terminal_id: str, first_seq: int, count: int) -> list[Operation]:
    return [Operation.model_validate({
        "op_id": f"00000000-0000-4000-8000-{first_seq + n:012d}", "terminal_id": terminal_id,
        "seq": first_seq + n, "created_at": datetime.now(UTC).isoformat(),
        "kind": "guest.created", "payload": guest_payload(f"g{first_seq + n}"),
    }) for n in range(count)]  # fmt: skip


def _commits(lines: list[str]) -> list[str]:
    """The synchronous level in force at each COMMIT that followed a write."""
    level, wrote, seen = "FULL", False, []
    for line in lines:
        if line.startswith("PRAGMA synchronous="):
            level = line.split("=")[1]
        elif line.startswith(("INSERT", "UPDATE")):
            wrote = True
        elif line == "COMMIT":
            if wrote:
                seen.append(level)
            wrote = False
    return seen


def test_a_batch_shares_commits_and_only_its_last_waits_for_the_disk(
    traced: tuple[Engine, Trace, str],
) -> None:
    engine, trace, terminal_id = traced
    mark = len(trace.lines)
    outcome = apply_batch(make_sessions(engine), terminal_id, check_batch(_ops(terminal_id, 1, 7)),
                          lambda: datetime.now(UTC), group_ops=3)  # fmt: skip
    assert [r.status for r in outcome.results] == ["applied"] * 7
    lines = trace.since(mark)
    assert _commits(lines) == ["NORMAL", "NORMAL", "FULL"]  # 3 + 3 + the last one alone
    assert lines.count("SAVEPOINT op") == lines.count("RELEASE op") == 6
    with engine.connect() as connection:  # the pooled connection is durable again
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2
    mark = len(trace.lines)
    apply_batch(make_sessions(engine), terminal_id, check_batch(_ops(terminal_id, 8, 4)),
                lambda: datetime.now(UTC))  # fmt: skip
    lines = trace.since(mark)
    assert _commits(lines) == ["FULL"]  # a batch within one group: one commit
    mark = len(trace.lines)
    apply_batch(make_sessions(engine), terminal_id, check_batch(_ops(terminal_id, 12, 1)),
                lambda: datetime.now(UTC))  # fmt: skip
    lines = trace.since(mark)
    assert _commits(lines) == ["FULL"] and "SAVEPOINT op" not in lines  # alone: as ever


def test_a_batch_ending_in_a_replay_syncs_what_it_applied(
    traced: tuple[Engine, Trace, str],
) -> None:
    engine, trace, terminal_id = traced
    sessions = make_sessions(engine)
    first = _ops(terminal_id, 1, 1)
    apply_batch(sessions, terminal_id, check_batch(first), lambda: datetime.now(UTC))
    mark = len(trace.lines)
    batch = [*_ops(terminal_id, 2, 2), first[0]]  # two new operations, then a replay
    outcome = apply_batch(sessions, terminal_id, check_batch(batch), lambda: datetime.now(UTC),
                          group_ops=1)  # fmt: skip
    assert [r.replayed for r in outcome.results] == [False, False, True]
    lines = trace.since(mark)
    assert _commits(lines) == ["NORMAL", "NORMAL", "FULL"]
    barrier = [line for line in lines if line.startswith("UPDATE terminals")][-1]
    assert "last_seq=terminals.last_seq" in barrier.replace(" ", "")


def test_a_feed_reader_syncs_before_answering(traced: tuple[Engine, Trace, str]) -> None:
    engine, trace, terminal_id = traced
    sessions = make_sessions(engine)
    apply_batch(sessions, terminal_id, check_batch(_ops(terminal_id, 1, 3)),
                lambda: datetime.now(UTC))  # fmt: skip
    mark = len(trace.lines)
    with sessions() as session:
        page = read_changes(session, 0, 10)
    assert [c.entity_id for c in page.changes] == ["g1", "g2", "g3"]
    lines = trace.since(mark)
    read_at = next(i for i, line in enumerate(lines) if "FROM changes" in line)
    synced = [i for i, line in enumerate(lines) if line.startswith("UPDATE feed_counter")]
    assert synced and synced[0] > read_at
    assert _commits(lines[read_at:]) == ["FULL"]


@pytest.fixture
def sqlite_till(tmp_path: Path) -> Iterator[Till]:
    url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    upgrade(url)
    settings = ServerSettings(database_url=url, max_batch=50, max_page=20)
    with TestClient(create_app(settings)) as client:
        yield enrol(client, url)


def test_the_fast_path_answers_as_the_route_does(
    sqlite_till: Till, monkeypatch: pytest.MonkeyPatch
) -> None:
    till = sqlite_till
    answered: list[int | None] = []
    original = ops_fast_path._answer

    async def spy(state: Any, terminal_id: str, token: str, body: bytes, scope: Any) -> Any:
        if not answered:  # the first request is left to the FastAPI route, to compare with
            answered.append(None)
            return None
        answer = await original(state, terminal_id, token, body, scope)
        answered.append(None if answer is None else answer[0])
        return answer

    monkeypatch.setattr(ops_fast_path, "_answer", spy)
    ops = [till.op("guest.created", guest_payload("g1")),
           till.op("guest.created", guest_payload("g1"))]  # the second one conflicts
    first = till.push_ok(*ops)
    again = till.client.post("/v1/ops", content=json.dumps({"operations": ops}),
                             headers={**till.headers, "Content-Type": "application/json"})
    assert again.status_code == 200
    assert again.headers["content-type"] == "application/json"
    replayed = again.json()
    assert [r.pop("replayed") for r in replayed["results"]] == [True, True]
    assert [r.pop("replayed") for r in first["results"]] == [False, False]
    assert replayed == first
    assert answered == [None, 200]  # the route, then the fast path


def test_the_fast_path_refuses_a_revoked_token_like_the_route(
    sqlite_till: Till, tmp_path: Path
) -> None:
    till = sqlite_till
    till.push_ok(till.op("guest.created", guest_payload("g1")))  # token now cached
    engine = make_engine(f"sqlite:///{tmp_path / 'app.sqlite3'}")
    with make_sessions(engine).begin() as session:
        assert terminals.revoke(session, till.terminal_id, datetime.now(UTC))
    engine.dispose()
    response = till.push(till.op("guest.created", guest_payload("g2")))
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "revoked" in response.json()["detail"]


def test_a_malformed_batch_still_gets_the_routes_422(sqlite_till: Till) -> None:
    till = sqlite_till
    till.push_ok(till.op("guest.created", guest_payload("g1")))  # token now cached
    response = till.push(till.op("guest.created", {"guest_id": "g2"}))  # no name
    assert response.status_code == 422
    assert "nothing was applied" in response.json()["detail"]["message"]


def test_the_log_is_copied_back_by_the_checkpointer_not_by_a_commit(
    traced: tuple[Engine, Trace, str],
) -> None:
    engine, _trace, terminal_id = traced
    with engine.connect() as connection:  # a commit never checkpoints below the safety net
        assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == SAFETY_PAGES
    apply_batch(make_sessions(engine), terminal_id, check_batch(_ops(terminal_id, 1, 20)),
                lambda: datetime.now(UTC))  # fmt: skip
    busy, frames, copied = Checkpointer(engine).run_once()
    assert (busy, frames) == (0, copied) and copied > 0  # everything went back into the file


def test_the_server_runs_the_checkpointer_on_sqlite(sqlite_till: Till) -> None:
    sqlite_till.push_ok(sqlite_till.op("guest.created", guest_payload("g1")))
    assert any(t.name == "wal-checkpoint" and t.is_alive() for t in threading.enumerate())


@pytest.mark.parametrize("path", ["fast path", "route"])
def test_the_commit_group_comes_from_the_servers_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    """``POS_SERVER_COMMIT_GROUP_OPS``: 2 operations per commit here, on both paths to the
    pipeline (a shop whose online tills must never wait behind a draining one can lower it)."""
    url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    upgrade(url)
    traces: list[Trace] = []

    def traced_engine(database_url: str) -> Engine:
        engine = make_engine(database_url)
        traces.append(Trace(engine))
        return engine

    monkeypatch.setattr("pos_server.app.make_engine", traced_engine)
    if path == "route":
        async def to_the_route(*_args: Any) -> None:
            return None

        monkeypatch.setattr(ops_fast_path, "_answer", to_the_route)
    settings = ServerSettings(database_url=url, commit_group_ops=2, sweep_interval_seconds=0)
    with TestClient(create_app(settings)) as client:
        till = enrol(client, url)
        till.push_ok(till.op("guest.created", guest_payload("g0")))  # token cached
        mark = len(traces[0].lines)
        ops = [till.op("guest.created", guest_payload(f"g{n}")) for n in range(1, 6)]
        assert [r["status"] for r in till.push_ok(*ops)["results"]] == ["applied"] * 5
        lines = traces[0].since(mark)
    assert _commits(lines) == ["NORMAL", "NORMAL", "FULL"]  # 2 + 2 + the last one alone
