"""``/health`` and ``/metrics`` of a real ``pos-server run`` on a loopback port.

* ``/metrics`` is the Prometheus text format and counts requests by route template and status
  (the ``POST /v1/ops`` fast path included), verdicts by kind and status (replays apart), the
  queues tills report with their batches (``till-sim``'s sync worker sends them), and the open
  order streams; it shows no token. With ``POS_SERVER_METRICS_TOKEN`` it needs that token.
* ``/health`` answers 503 with a reason while the database refuses connections (PostgreSQL
  with ``ALLOW_CONNECTIONS false``), and 200 again once it accepts them.
"""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
import requests
from sqlalchemy import make_url

from tests.server.conftest import PG_SKIP_REASON, PG_URL, throwaway_pg_database
from tests.sync.conftest import new_code
from tests.sync.several_servers import Console, RunningServer, parse_metrics, total
from tests.sync.test_several_processes import enrol


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    folder = tmp_path_factory.mktemp("metrics")
    running = RunningServer(f"sqlite:///{folder / 'server.sqlite3'}", folder / "server.log")
    running.start()
    try:
        running.wait_up()
        yield running
    finally:
        running.stop()


def op(terminal_id: str, seq: int, kind: str, payload: dict[str, object]) -> dict[str, object]:
    return {"op_id": str(uuid.uuid4()), "terminal_id": terminal_id, "seq": seq,
            "created_at": datetime.now(UTC).isoformat(), "kind": kind, "payload": payload}


def test_health_says_the_database_answers(server: RunningServer) -> None:
    answer = requests.get(server.url + "/health", timeout=5)
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "database": "ok"}


def test_metrics_count_requests_verdicts_and_till_queues(server: RunningServer) -> None:
    terminal_id, token = enrol(server, "metrics till")
    auth = {"Authorization": f"Bearer {token}"}
    before = server.metrics()
    created = op(terminal_id, 1, "guest.created", {"guest_id": "m-1", "name": "Anna",
                                                    "phone": None})  # fmt: skip
    queue = {"X-Till-Queue-Waiting": "7", "X-Till-Queue-Age": "42.5"}
    for _ in range(2):  # the second time: the stored verdict replayed
        answer = requests.post(server.url + "/v1/ops", json={"operations": [created]},
                               headers=auth | queue, timeout=10)  # fmt: skip
        assert answer.status_code == 200, answer.text
    gap = op(terminal_id, 5, "guest.created", {"guest_id": "m-2", "name": "Ivan", "phone": None})
    answer = requests.post(server.url + "/v1/ops", json={"operations": [gap]}, headers=auth,
                           timeout=10)  # fmt: skip
    assert answer.json()["results"][0]["status"] == "refused"
    # without a valid token: a 401, and its queue report is not believed
    requests.post(server.url + "/v1/ops", json={"operations": [created]}, timeout=10,
                  headers={"Authorization": "Bearer wrong", **queue})  # fmt: skip
    requests.get(server.url + "/v1/orders/no-such-order", headers=auth, timeout=10)
    requests.get(server.url + "/no/such/page", timeout=10)

    after = server.metrics()

    def grew(name: str, **labels: str) -> float:
        return total(after, name, **labels) - total(before, name, **labels)

    assert grew("tillkeeper_verdicts_total", kind="guest.created", status="applied") == 1
    assert grew("tillkeeper_verdicts_total", kind="guest.created", status="refused") == 1
    assert grew("tillkeeper_verdict_replays_total", status="applied") == 1
    assert grew("tillkeeper_http_requests_total", method="POST", route="/v1/ops",
                status="200") == 3  # fmt: skip
    assert grew("tillkeeper_http_requests_total", route="/v1/ops", status="401") == 1
    assert grew("tillkeeper_http_requests_total", route="/v1/orders/{order_id}",
                status="404") == 1  # fmt: skip
    assert grew("tillkeeper_http_requests_total", route="unmatched", status="404") == 1
    assert grew("tillkeeper_http_request_duration_seconds_count", route="/v1/ops") == 4
    # two reports of 7 waiting, 42.5 s old (the third batch sent none)
    assert grew("tillkeeper_till_queue_waiting_count") == 2
    assert grew("tillkeeper_till_queue_waiting_sum") == 14
    assert grew("tillkeeper_till_queue_age_seconds_count") == 2
    assert grew("tillkeeper_till_queue_age_seconds_sum") == 85


def test_the_till_worker_reports_its_queue_with_each_batch(server: RunningServer,
                                                           tmp_path: Path) -> None:  # fmt: skip
    before = server.metrics()
    command = [sys.executable, "-m", "pos_app.app", "till-sim", "--server", server.url,
               "--data-dir", str(tmp_path / "till"), "--token-store",
               f"file:{tmp_path / 'tokens'}", "--sales", "3", "--enrol-code",
               new_code(server.db_url, "reporting till")]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    after = server.metrics()
    assert total(after, "tillkeeper_verdicts_total", kind="sale.closed", status="applied") \
        - total(before, "tillkeeper_verdicts_total", kind="sale.closed", status="applied") == 3
    assert total(after, "tillkeeper_till_queue_age_seconds_count") > total(
        before, "tillkeeper_till_queue_age_seconds_count")
    assert total(after, "tillkeeper_till_queue_waiting_sum") >= total(
        before, "tillkeeper_till_queue_waiting_sum") + 1


def test_metrics_count_the_open_order_streams_and_show_no_token(server: RunningServer) -> None:
    _terminal_id, token = enrol(server, "metrics console")
    consoles = [Console(server.url, token), Console(server.url, token)]
    try:
        assert total(server.metrics(), "tillkeeper_order_stream_clients") == 2
    finally:
        consoles[0].close()
    deadline = time.monotonic() + 10
    while total(server.metrics(), "tillkeeper_order_stream_clients") != 1:
        assert time.monotonic() < deadline, "a closed stream is still counted"
        time.sleep(0.2)
    consoles[1].close()
    text = requests.get(server.url + "/metrics", timeout=10)
    assert text.headers["content-type"].startswith("text/plain")
    assert "# TYPE tillkeeper_verdicts_total counter" in text.text
    assert token not in text.text


def test_metrics_need_the_token_when_one_is_set(tmp_path: Path) -> None:
    running = RunningServer(f"sqlite:///{tmp_path / 'server.sqlite3'}", tmp_path / "log",
                            env={"POS_SERVER_METRICS_TOKEN": "s3cret-metrics"})  # fmt: skip
    running.start()
    try:
        running.wait_up()
        assert requests.get(running.url + "/metrics", timeout=10).status_code == 401
        wrong = {"Authorization": "Bearer nope"}
        assert requests.get(running.url + "/metrics", headers=wrong, timeout=10).status_code \
            == 401
        samples = running.metrics("s3cret-metrics")
        assert "tillkeeper_order_stream_clients" in samples
        assert "s3cret-metrics" not in str(samples)
    finally:
        running.stop()


@pytest.mark.postgres
def test_health_is_503_with_a_reason_while_the_database_refuses(tmp_path: Path) -> None:
    if not PG_URL:
        pytest.skip(PG_SKIP_REASON)
    admin = make_url(PG_URL).set(drivername="postgresql").render_as_string(hide_password=False)
    with throwaway_pg_database(PG_URL) as url:
        name = make_url(url).database
        running = RunningServer(url, tmp_path / "server.log").start()
        try:
            running.wait_up()
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
                conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                             "WHERE datname = %s", (name,))  # fmt: skip
            answer = wait_for_health(running, 503)
            body = answer.json()
            assert body["status"] == "unavailable" and body["database"] == "unreachable"
            assert "OperationalError" in body["reason"], body
            assert "postgres" not in body["reason"]  # no user, host or database named
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
            assert wait_for_health(running, 200).json()["status"] == "ok"
        finally:
            running.stop()


def wait_for_health(running: RunningServer, status: int) -> requests.Response:
    deadline = time.monotonic() + 20
    while True:
        answer = requests.get(running.url + "/health", timeout=10)
        if answer.status_code == status or time.monotonic() > deadline:
            assert answer.status_code == status, answer.text
            return answer
        time.sleep(0.2)


def test_parse_metrics_reads_labels_in_any_order() -> None:
    samples = parse_metrics('a_total{b="2",a="1"} 3.0\n# HELP x y\nplain 1\n')
    assert samples == {'a_total{a="1",b="2"}': 3.0, "plain": 1.0}


def test_a_database_that_never_answers_is_reported_after_the_timeout() -> None:
    """A PostgreSQL address whose socket accepts but never speaks: the check gives up after its
    timeout, and while that connection attempt hangs no second thread is started."""
    import socket

    import anyio

    from pos_server.db import make_engine
    from pos_server.http.health import HealthProbe

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        engine = make_engine(f"postgresql+psycopg://nobody@127.0.0.1:{port}/none")
        probe = HealthProbe(engine, timeout=1.0)
        started = time.monotonic()
        first = anyio.run(probe.check)
        waited = time.monotonic() - started
        assert (first.ok, first.reason) == (False, "the database did not answer within 1 s")
        assert 1.0 <= waited < 5
        time.sleep(1.1)  # past the cached answer: asked again, the stuck thread still there
        started = time.monotonic()
        second = anyio.run(probe.check)
        assert not second.ok and time.monotonic() - started < 0.5
    engine.dispose()
