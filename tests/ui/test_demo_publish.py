"""The demo till's guests reach the server (scripts/demo.sh): a store filled by ``demo-data``
is enrolled (it has no operation yet, so it takes the server's terminal id), ``demo-publish``
queues its guests and cards once, and the sync worker delivers them to a real server, where
every one is applied."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.commands import demo_data, demo_publish
from pos_app.commands.composition import start_sync
from pos_app.commands.demo_data_catalog import GUESTS
from pos_app.commands.store_factory import open_till_store
from pos_app.commands.sync_runtime import enrol_data_dir, enrolled_terminal
from tests.sync.conftest import new_code, server_ops
from tests.sync.test_order_stream_server import RealServer


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealServer]:
    running = RealServer(tmp_path_factory.mktemp("demo-publish")).start()
    try:
        yield running
    finally:
        running.stop()


def test_demo_guests_are_published_once_and_applied_on_the_server(
    server: RealServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(tmp_path / "till")
    assert demo_publish.main(["--data-dir", folder]) == 2  # not enrolled: nothing queued
    assert demo_data.main(["--data-dir", folder]) == 0
    store = enrol_data_dir(folder, server.base, new_code(server.db_url),
                           f"file:{tmp_path / 'token'}")  # fmt: skip
    terminal = enrolled_terminal(store)
    assert terminal is not None and terminal != "T1"  # the server's id, adopted
    store.close()
    assert demo_publish.main(["--data-dir", folder]) == 0
    assert demo_publish.main(["--data-dir", folder]) == 0  # again: nothing more queued
    assert "queued for the server before" in capsys.readouterr().out
    runtime = start_sync(open_till_store(folder), folder, idle_poll=0.2)
    try:
        runtime.worker.start()
        assert runtime.worker.wait_idle(30)
    finally:
        runtime.close()
    ops = server_ops(server.db_url, terminal)
    assert len(ops) == 3 * len(GUESTS)  # a guest and two identifiers each
    assert {verdict for _, _, verdict, _ in ops} == {"applied"}
