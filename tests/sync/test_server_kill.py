"""A server SIGKILLed while it judges long batches (group commit: a group's operations are
committed together): the till resends, and every operation is on the server exactly once."""

from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.sync import queue_offline
from pos_app.db import open_store
from pos_server.db import upgrade
from pos_server.db.models import AppliedOperation, Sale
from tests.sync.faultproxy import ServerProcess, enrol_terminal
from tests.sync.proofs_drain import drain
from tests.sync.proofs_invariants import ServerView, TillOps

OPS = 1_500  # three batches of 500: a second or more of judging


def _count(view: ServerView, model: type[AppliedOperation] | type[Sale]) -> int:
    with view.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _applied_so_far(db: Path) -> int:
    """Committed operations, read beside the server on a plain read-only connection (WAL:
    it never blocks the server's writes). Not through ``ServerView``: the server's engine
    begins every transaction IMMEDIATE, and polling it would contend for the write lock."""
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)) as connection:
        return int(connection.execute("SELECT count(*) FROM applied_operations").fetchone()[0])


def _kill_when(server: ServerProcess, db: Path, applied: int) -> None:
    """SIGKILL the server as soon as ``applied`` operations are committed: in the middle of
    the drain however fast this machine judges them (a timed kill came after the drain's end
    on a fast one)."""
    deadline = time.monotonic() + 60
    while _applied_so_far(db) < applied:
        assert time.monotonic() < deadline, "the drain did not get that far"
        time.sleep(0.002)
    server.stop(kill=True)


@pytest.mark.parametrize("kill_at", [200, 800])  # in the first batch of 500; in the second
def test_given_the_server_killed_mid_batch_then_every_operation_lands_once(
    tmp_path: Path, kill_at: int
) -> None:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    upgrade(url)
    with ServerProcess(url, tmp_path, sweep_interval_seconds=0) as server:
        terminal_id, token = enrol_terminal(server)
        with open_store(tmp_path / "till.sqlite3", terminal_id=terminal_id) as store:
            queue_offline(store, OPS)  # a guest, then sales identified by card
            first = threading.Thread(target=drain, args=(store, server.url, token),
                                     kwargs={"timeout": 2.0, "batch": 500,
                                             "until_offline": True})  # fmt: skip
            first.start()
            _kill_when(server, tmp_path / "server.sqlite3", kill_at)  # a batch half judged
            first.join(60)
            with ServerView(url) as view:
                at_kill = _count(view, AppliedOperation)
            assert kill_at <= at_kill < OPS  # the kill cut the drain short
            server.start()
            assert drain(store, server.url, token, timeout=5.0, batch=500)
            with store.unit_of_work() as uow:
                entries = uow.outbox.all()
            till = TillOps(terminal_id, [(e.op_id, e.seq) for e in entries])
            with ServerView(url) as view:
                assert view.exactly_once([till]) == []
                assert _count(view, Sale) == OPS - 1
                assert view.conservation() == []
