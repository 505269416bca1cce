"""The change-feed puller against a real ``pos-server run`` process on loopback.

Given a server with guests, identifiers, points, a catalogue, guest groups and staff in its feed,
when a till pulls, then its local store holds them; killed half-way through a first sync, the
next run resumes after the last committed page.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from pos_app.db import Store, open_store
from pos_app.db.uow import SystemClock
from pos_app.domain.operations import parse
from pos_app.services.feed import CURSOR_KEY, FeedService
from pos_app.sync.puller import FeedPuller, PullError, PullProgress
from pos_server.db import upgrade
from tests.sync.faultproxy import FaultProxy, ServerProcess, enrol_terminal, seed_guests

# the first sync is 100 000 guests: the soak run does that, the default run a fifth
FIRST_SYNC_GUESTS = 100_000 if os.environ.get("POS_SOAK") == "1" else 20_000


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    upgrade(url)
    with ServerProcess(url, tmp_path, max_page=10_000, sweep_interval_seconds=0) as proc:
        yield proc


@pytest.fixture
def terminal(server: ServerProcess) -> tuple[str, str]:
    return enrol_terminal(server)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "till" / "till.sqlite3") as opened:
        yield opened


def push(server: ServerProcess, token: str, terminal_id: str, ops: list[tuple[str, dict[str, Any]]],
         first_seq: int = 1) -> list[dict[str, Any]]:  # fmt: skip
    body = {"operations": [
        {"op_id": str(uuid.uuid4()), "terminal_id": terminal_id, "seq": first_seq + i,
         "created_at": datetime.now(UTC).isoformat(), "kind": kind, "payload": payload}
        for i, (kind, payload) in enumerate(ops)
    ]}  # fmt: skip
    response = requests.post(server.url + "/v1/ops", json=body, timeout=10,
                             headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    response.raise_for_status()
    results: list[dict[str, Any]] = response.json()["results"]
    assert all(r["status"] == "applied" for r in results), results
    return results


def credit(db_url: str, account_id: str, amount: int) -> None:
    from pos_server.db import make_engine, make_sessions
    from pos_server.repositories.points_ledger import credit_points

    engine = make_engine(db_url)
    try:
        with make_sessions(engine).begin() as session:
            credit_points(session, account_id, amount, now=datetime.now(UTC), actor="test",
                          reason="welcome")  # fmt: skip
    finally:
        engine.dispose()


def puller(server_url: str, token: str, store: Store, **kw: Any) -> FeedPuller:
    return FeedPuller(server_url, token, FeedService(store.unit_of_work, SystemClock()), **kw)


def test_given_guests_cards_and_points_on_the_server_when_pulled_then_the_till_has_them(
    server: ServerProcess, terminal: tuple[str, str], store: Store
) -> None:
    terminal_id, token = terminal
    push(server, token, terminal_id, [
        ("guest.created", {"guest_id": "anna", "name": "Anna", "phone": "8 912 123-45-67"}),
        ("identifier.bound", {"guest_id": "anna", "medium": "card", "method": "manual",
                              "value": "4000 1234 1234 1234"}),
    ])  # fmt: skip
    credit(server.db_url, "anna", 50_000)
    progress: list[PullProgress] = []

    result = puller(server.url, token, store, on_progress=progress.append).pull()

    with store.unit_of_work() as uow:
        anna = uow.guests.get("anna")
        assert anna is not None and anna.phones == ("+79121234567",)
        assert uow.guests.by_identifier("4000123412341234") == anna
        [account] = uow.accounts.for_guest("anna")
        assert (account.kind, account.total, account.held) == ("bonus", 50_000, 0)
        assert uow.settings.get(CURSOR_KEY) == result.cursor == 3
    assert result.applied == 3 and result.skipped_total == 0
    assert progress[-1].done and progress[-1].applied == 3
    assert progress[-1].head == 3  # the server says where its feed ends: a real total


def test_given_a_catalogue_groups_and_staff_when_pulled_then_the_till_sells_from_them(
    server: ServerProcess, terminal: tuple[str, str], store: Store, tmp_path: Path
) -> None:
    catalogue = tmp_path / "catalogue.json"
    catalogue.write_text(json.dumps({
        "groups": [{"id": "coffee", "name": "Coffee"}],
        "products": [{"id": "latte", "name": "Latte", "price": 25000, "group_id": "coffee",
                      "barcode": "4600000000017", "tags": ["hot"]},
                     {"id": "old", "name": "Old tea", "price": 100, "active": False}],
    }))  # fmt: skip
    groups = tmp_path / "groups.json"
    groups.write_text(json.dumps({"groups": [
        {"id": "gold", "name": "Gold", "discount_bp": 1000, "offline_allowance": 20000}]}))
    cli = [sys.executable, "-m", "pos_server.cli"]
    for args in (["catalogue", "import", str(catalogue)], ["groups", "import", str(groups)],
                 ["staff", "add", "Olga", "--role", "cashier", "--pin", "4821"]):  # fmt: skip
        done = subprocess.run([*cli, *args, "--db", server.db_url], capture_output=True,
                              text=True, timeout=60, check=False)  # fmt: skip
        assert done.returncode == 0, done.stderr

    result = puller(server.url, terminal[1], store).pull()

    with store.unit_of_work() as uow:
        latte = uow.products.by_barcode("4600000000017")
        assert latte is not None and (latte.price, latte.group_id) == (25000, "coffee")
        assert latte.tags == frozenset({"hot"})
        assert uow.products.get("old") is None  # retired products do not reach the till
        gold = uow.groups.get("gold")
        assert gold is not None and (gold.discount.bp, gold.offline_allowance) == (1000, 20000)
        [olga] = [s for s in uow.staff.active() if s.name == "Olga"]
        assert olga.role == "cashier" and "4821" not in json.dumps(olga.params)
    assert result.skipped == {}  # the retired product is withdrawn (absent here: a no-op)


def test_given_a_guest_this_till_changed_offline_when_the_feed_brings_theirs_then_ours_stays(
    server: ServerProcess, terminal: tuple[str, str], store: Store
) -> None:
    terminal_id, token = terminal
    push(server, token, terminal_id,
         [("guest.created", {"guest_id": "boris", "name": "Boris", "phone": None})])
    from pos_app.domain.guests import Guest

    with store.unit_of_work() as uow:  # renamed here, the operation still waits to be sent
        uow.guests.add(Guest("boris", "Boris the Barista"))
        uow.outbox.append(parse("guest.created", {"guest_id": "boris", "name": "Boris the Barista",
                                            "phone": None}))  # fmt: skip
        uow.commit()
    feed = FeedService(store.unit_of_work, SystemClock())

    first = FeedPuller(server.url, token, feed).pull()

    with store.unit_of_work() as uow:
        assert uow.guests.get("boris") == Guest("boris", "Boris the Barista")
        [op] = uow.outbox.pending()
        uow.outbox.mark(op.op_id, "applied")  # the worker heard the verdict
        uow.commit()
    assert (first.applied, first.deferred, feed.deferred_count()) == (0, 1, 1)

    second = FeedPuller(server.url, token, feed).pull()

    with store.unit_of_work() as uow:
        assert uow.guests.get("boris") == Guest("boris", "Boris")  # the server's word, now
    assert (second.applied, feed.deferred_count()) == (1, 0)


def test_given_the_server_refuses_the_token_when_pulling_then_a_clear_error_and_nothing_moves(
    server: ServerProcess, store: Store
) -> None:
    with pytest.raises(PullError, match=r"refused the changes request \(401\)"):
        puller(server.url, "forged", store).pull()
    assert FeedService(store.unit_of_work, SystemClock()).cursor() == 0


def test_given_faults_on_the_line_when_pulling_again_then_every_change_arrives_once(
    server: ServerProcess, terminal: tuple[str, str], store: Store
) -> None:
    seed_guests(server.db_url, 3000, terminal[0])
    proxy = FaultProxy(server.port)
    try:
        proxy.inject("cut_response", "/v1/changes")
        proxy.inject("reset", "/v1/changes")
        pull = puller(proxy.url, terminal[1], store, page_size=1000, timeout=(1, 5))
        errors = 0
        while True:
            try:
                result = pull.pull()
                break
            except PullError:
                errors += 1
        assert errors == 2 and result.cursor == 3000
    finally:
        proxy.close()
    with store.unit_of_work() as uow:
        assert uow.guests.count() == 3000


def test_given_a_first_sync_killed_half_way_when_restarted_then_it_resumes_not_restarts(
    server: ServerProcess, terminal: tuple[str, str], tmp_path: Path
) -> None:
    total = FIRST_SYNC_GUESTS
    seed_guests(server.db_url, total, terminal[0])
    data_dir = tmp_path / "killed"
    env = {**os.environ, "POS_APP_TOKEN": terminal[1]}
    args = [sys.executable, "-m", "pos_app.app", "pull", "--server", server.url,
            "--data-dir", str(data_dir), "--page-size", "1000"]  # fmt: skip
    first = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, text=True)
    assert first.stdout is not None
    seen = [json.loads(first.stdout.readline()) for _ in range(5)]  # five pages committed
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    with open_store(data_dir / "till.sqlite3") as killed:
        cursor = FeedService(killed.unit_of_work, SystemClock()).cursor()
    assert 5000 <= cursor < total, seen
    with open_store(data_dir / "till.sqlite3") as killed, killed.unit_of_work() as uow:
        assert uow.guests.count() == cursor  # each page committed with its cursor, no more

    second = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120, check=False)

    assert second.returncode == 0, second.stderr
    lines = [json.loads(line) for line in second.stdout.splitlines()]
    assert lines[-1]["done"] and lines[-1]["cursor"] == total
    assert lines[-1]["applied"] == total - cursor  # only what the first run had not committed
    with open_store(data_dir / "till.sqlite3") as reopened, reopened.unit_of_work() as uow:
        assert uow.guests.count() == total


def test_given_a_stop_event_when_set_then_the_pull_ends_after_a_page_and_resumes_later(
    server: ServerProcess, terminal: tuple[str, str], store: Store
) -> None:
    seed_guests(server.db_url, 3000, terminal[0])
    stop = threading.Event()
    pull = puller(server.url, terminal[1], store, page_size=1000,
                  on_progress=lambda p: stop.set())  # fmt: skip

    first = pull.pull(stop)
    second = pull.pull()

    assert first.stopped and first.cursor == 1000
    assert second.applied == 2000 and second.cursor == 3000


def test_given_an_enrolled_till_when_pos_app_pull_runs_then_it_uses_its_own_server_and_token(
    server: ServerProcess, tmp_path: Path
) -> None:
    from pos_app.commands.sync_runtime import enrol_data_dir
    from pos_server.db import make_engine, make_sessions
    from pos_server.terminals import service as server_terminals

    engine = make_engine(server.db_url)
    with make_sessions(engine).begin() as session:
        added = server_terminals.add_terminal(session, "enrolled", datetime.now(UTC))
    engine.dispose()
    seed_guests(server.db_url, 50, added.terminal_id)
    data_dir = tmp_path / "enrolled"
    enrol_data_dir(data_dir, server.url, added.enrolment_code,
                   f"file:{tmp_path / 'token'}").close()  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k != "POS_APP_TOKEN"}

    done = subprocess.run([sys.executable, "-m", "pos_app.app", "pull", "--data-dir",
                           str(data_dir)], env=env, capture_output=True, text=True,
                          timeout=60, check=False)  # fmt: skip

    assert done.returncode == 0, done.stderr
    last = json.loads(done.stdout.splitlines()[-1])
    assert (last["applied"], last["head"], last["done"]) == (50, 50, True)
