"""Sync fixtures: a real ``pos-server run`` per test module and enrolled tills in temp folders.

The server runs on SQLite in a temp dir (its sweeper off so holds change only by operations);
each till enrols with a fresh one-time code and keeps its token in a 0600 file chosen
explicitly (this box has no keyring backend), like an operator of a headless till would.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pos_app.commands.composition import start_sync
from pos_app.commands.sync_runtime import SyncRuntime, enrol_data_dir
from pos_server.db import make_engine, make_sessions
from pos_server.db.models import POINTS, AccountRow, AppliedOperation, BonusHoldRow
from pos_server.repositories.points_ledger import credit_points
from pos_server.terminals import service as terminals
from tests.sync.faultproxy import ServerProcess

MakeTill = Callable[..., SyncRuntime]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("server")
    url = f"sqlite:///{folder / 'server.sqlite3'}"
    with ServerProcess(url, folder, sweep_interval_seconds=0) as process:
        yield process


def new_code(db_url: str, name: str = "Till") -> str:
    engine = make_engine(db_url)
    try:
        with make_sessions(engine).begin() as session:
            return terminals.add_terminal(session, name, datetime.now(UTC)).enrolment_code
    finally:
        engine.dispose()


@pytest.fixture
def make_till(server: ServerProcess, tmp_path: Path) -> Iterator[MakeTill]:
    """``make_till(url=None, **start_sync options)``: an enrolled till, its worker not started."""
    made: list[SyncRuntime] = []
    counter = itertools.count(1)

    def make(url: str | None = None, **options: Any) -> SyncRuntime:
        folder = tmp_path / f"till{next(counter)}"
        store = enrol_data_dir(folder, server.url, new_code(server.db_url),
                               f"file:{tmp_path / 'tokens'}")  # fmt: skip
        options.setdefault("idle_poll", 0.2)
        runtime = start_sync(store, folder, server_url=url or server.url, **options)
        made.append(runtime)
        return runtime

    yield make
    for runtime in made:
        runtime.close()


def server_ops(db_url: str, terminal_id: str) -> list[tuple[int, str, str, str | None]]:
    """``(seq, kind, verdict, reason)`` of every operation the server judged for a terminal."""
    engine = make_engine(db_url)
    try:
        with make_sessions(engine)() as session:
            rows = session.execute(
                select(AppliedOperation.seq, AppliedOperation.kind, AppliedOperation.verdict,
                       AppliedOperation.reason)
                .where(AppliedOperation.terminal_id == terminal_id)
                .order_by(AppliedOperation.seq)
            )  # fmt: skip
            return [(r[0], r[1], r[2], r[3]) for r in rows]
    finally:
        engine.dispose()


def server_payload(db_url: str, terminal_id: str, kind: str) -> dict[str, Any]:
    """The payload of the terminal's first operation of ``kind`` as the server stored it."""
    engine = make_engine(db_url)
    try:
        with make_sessions(engine)() as session:
            payload = session.scalars(
                select(AppliedOperation.payload).where(
                    AppliedOperation.terminal_id == terminal_id, AppliedOperation.kind == kind)
            ).first()  # fmt: skip
            assert payload is not None
            return dict(payload)
    finally:
        engine.dispose()


def server_holds(db_url: str, hold_ids: list[str]) -> dict[str, tuple[str, int]]:
    """``{hold_id: (status, committed_amount)}`` on the server."""
    engine = make_engine(db_url)
    try:
        with make_sessions(engine)() as session:
            rows = session.scalars(select(BonusHoldRow).where(BonusHoldRow.id.in_(hold_ids)))
            return {r.id: (r.status, r.committed_amount) for r in rows}
    finally:
        engine.dispose()


def server_account(db_url: str, guest_id: str) -> tuple[int, int]:
    """``(total, held)`` of the guest's points account on the server."""
    engine = make_engine(db_url)
    try:
        with make_sessions(engine)() as session:
            row = session.get(AccountRow, (POINTS, guest_id))
            assert row is not None
            return row.total, row.held
    finally:
        engine.dispose()


def give_points(db_url: str, guest_id: str, amount: int) -> None:
    """Credit points to a guest's account on the server (an operator's adjustment)."""
    engine = make_engine(db_url)
    try:
        with make_sessions(engine).begin() as session:
            credit_points(session, guest_id, amount, now=datetime.now(UTC), actor="test",
                          reason="test points")  # fmt: skip
    finally:
        engine.dispose()
