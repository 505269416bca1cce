"""Group commit: a batch's operations share commits, each atomic in a savepoint of its own
with its applied-operations row (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from pos_server.db import make_engine, make_sessions
from pos_server.http.schemas import Operation
from pos_server.ops import dispatch
from pos_server.ops.pipeline import apply_batch, check_batch
from pos_server.terminals import service as terminals
from tests.server.conftest import sale_payload
from tests.server.test_batch_commits import _ops


@pytest.fixture
def database(db_url: str) -> Iterator[tuple[Engine, str]]:
    engine = make_engine(db_url)
    with make_sessions(engine).begin() as session:
        terminal_id = terminals.add_terminal(session, "Till", datetime.now(UTC)).terminal_id
    yield engine, terminal_id
    engine.dispose()


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        return int(connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one())


def test_an_operation_not_applied_leaves_its_group_alone(
    database: tuple[Engine, str],
) -> None:
    engine, terminal_id = database
    guests = _ops(terminal_id, 1, 3)
    bad_sale = Operation.model_validate({  # its rows are written, then its points are refused
        "op_id": "00000000-0000-4000-8000-000000000099", "terminal_id": terminal_id, "seq": 2,
        "created_at": datetime.now(UTC).isoformat(), "kind": "sale.closed",
        "payload": sale_payload("g1", payments=[
            {"method": "card", "amount": 50000},
            {"method": "points", "amount": 4000, "hold_id": "no-such-hold"}]),
    })  # fmt: skip
    batch = [guests[0], bad_sale,
             *(op.model_copy(update={"seq": op.seq + 1}) for op in guests[1:])]  # fmt: skip
    outcome = apply_batch(make_sessions(engine), terminal_id, check_batch(batch),
                          lambda: datetime.now(UTC))  # fmt: skip
    assert [(r.status, r.reason) for r in outcome.results] == [
        ("applied", None), ("rejected", "hold_mismatch"), ("applied", None), ("applied", None)]
    assert _count(engine, "guests") == 3 and _count(engine, "applied_operations") == 4
    assert _count(engine, "sales") == _count(engine, "sale_lines") == 0  # no trace of it


def test_an_error_drops_the_unfinished_group_and_a_resend_completes_it(
    database: tuple[Engine, str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine, terminal_id = database
    sessions = make_sessions(engine)
    ops = _ops(terminal_id, 1, 6)
    original = dispatch.handle

    def failing(kind: str, payload: Any, uow: Any) -> Any:
        if uow.op_id == str(ops[4].op_id):
            raise RuntimeError("the handler broke")
        return original(kind, payload, uow)

    monkeypatch.setattr("pos_server.ops.pipeline.handle", failing)
    with pytest.raises(RuntimeError):
        apply_batch(sessions, terminal_id, check_batch(ops), lambda: datetime.now(UTC),
                    group_ops=3, group_seconds=60.0)  # fmt: skip (groups by count, not load)
    # the first group (seq 1-3) was committed; seq 4, kept in the second, went with it
    assert _count(engine, "applied_operations") == _count(engine, "guests") == 3
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT last_seq FROM terminals").scalar() == 3
    monkeypatch.setattr("pos_server.ops.pipeline.handle", original)
    outcome = apply_batch(sessions, terminal_id, check_batch(ops), lambda: datetime.now(UTC),
                          group_ops=3, group_seconds=60.0)  # fmt: skip
    assert [r.replayed for r in outcome.results] == [True] * 3 + [False] * 3
    assert _count(engine, "applied_operations") == _count(engine, "guests") == 6


def test_a_race_inside_a_group_retries_only_its_operation(
    database: tuple[Engine, str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine, terminal_id = database
    ops = _ops(terminal_id, 1, 4)
    original, raced = dispatch.handle, list[str]()

    def racing(kind: str, payload: Any, uow: Any) -> Any:
        if uow.op_id == str(ops[2].op_id) and not raced:  # another writer won a unique key
            raced.append(uow.op_id)
            original(kind, payload, uow)  # its rows are written, then the race is lost
            raise IntegrityError("INSERT ...", {}, Exception("duplicate key"))
        return original(kind, payload, uow)

    monkeypatch.setattr("pos_server.ops.pipeline.handle", racing)
    outcome = apply_batch(make_sessions(engine), terminal_id, check_batch(ops),
                          lambda: datetime.now(UTC))  # fmt: skip
    assert raced and [r.status for r in outcome.results] == ["applied"] * 4
    assert _count(engine, "applied_operations") == _count(engine, "guests") == 4


def test_a_group_writes_one_feed_snapshot_per_account_and_guest(
    database: tuple[Engine, str],
) -> None:
    engine, terminal_id = database
    [created] = _ops(terminal_id, 1, 1)
    cash = [{"method": "cash", "amount": 54000}]
    sales = [Operation.model_validate({
        "op_id": f"00000000-0000-4000-8000-{seq:012d}", "terminal_id": terminal_id, "seq": seq,
        "created_at": datetime.now(UTC).isoformat(), "kind": "sale.closed",
        "payload": sale_payload("g1", payments=cash, offline=True),
    }) for seq in (2, 3, 4)]  # fmt: skip
    # one group whatever the machine's load: a group also ends after 50 ms of work, and a
    # loaded machine took longer for these four (the snapshots were then written per group)
    outcome = apply_batch(make_sessions(engine), terminal_id, check_batch([created, *sales]),
                          lambda: datetime.now(UTC), group_seconds=60.0)  # fmt: skip
    assert [r.status for r in outcome.results] == ["applied"] * 4
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT entity, data FROM changes WHERE entity_id = 'g1' ORDER BY id").all()
        total = connection.exec_driver_sql(
            "SELECT total FROM accounts WHERE kind = 'points' AND id = 'g1'").scalar_one()
    kinds = [entity for entity, _data in rows]
    assert kinds == ["guest", "bonus_account", "guest"]  # created; then the group's last state
    last = {entity: data if isinstance(data, dict) else json.loads(data) for entity, data in rows}
    assert last["bonus_account"]["total"] == total > 0  # three accruals in one snapshot
    assert last["guest"]["lifetime_spend"] == 3 * 54000
