"""Enrolment against a real server: the token goes to the keyring (a backend set explicitly),
never silently to a plain file; without a keyring only the operator's explicit 0600 file."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import keyring
import keyring.backend
import keyring.backends.fail
import pytest

from pos_app.commands.composition import start_sync
from pos_app.commands.demo_data import fill_catalogue
from pos_app.commands.store_factory import open_till_store
from pos_app.commands.sync_runtime import (
    TOKEN_STORE_KEY,
    SyncSetupError,
    enrol_data_dir,
    load_token,
)
from pos_app.domain.operations import parse
from pos_app.sync.enrolment import SERVICE
from pos_app.sync.worker import SyncFatal
from pos_server.db import make_engine, make_sessions
from pos_server.terminals import service as terminals
from tests.sync.conftest import new_code
from tests.sync.faultproxy import ServerProcess


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A real ``keyring`` backend that keeps passwords in memory (set explicitly by tests)."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.passwords: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())  # type: ignore[no-untyped-call]
    yield
    keyring.set_keyring(previous)


def files_mention(folder: Path, secret: str) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


def test_the_token_goes_to_the_keyring_and_nowhere_else(
    server: ServerProcess, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    store = enrol_data_dir(tmp_path / "till", server.url, new_code(server.db_url))
    try:
        terminal_id, token = load_token(store)
        assert memory_keyring.passwords == {(SERVICE, terminal_id): token}
        with store.unit_of_work(durable=False) as uow:
            assert uow.settings.get(TOKEN_STORE_KEY) == "keyring"
        store.flush_open_sales()
        assert files_mention(tmp_path, token) == []
        runtime = start_sync(store, tmp_path / "till")
        runtime.worker.drain_once()  # the token works: a reconcile call was accepted
        assert runtime.state.snapshot.online
        runtime.worker.stop()
    finally:
        store.close()


def test_without_a_keyring_it_refuses_clearly_and_keeps_the_code_unspent(
    server: ServerProcess, tmp_path: Path, no_keyring: None
) -> None:
    code = new_code(server.db_url)
    with pytest.raises(SyncSetupError, match=r"no keyring.*--token-store file:PATH"):
        enrol_data_dir(tmp_path / "till", server.url, code)
    assert not (tmp_path / "till").exists()
    tokens = tmp_path / "secret" / "tokens"
    store = enrol_data_dir(tmp_path / "till", server.url, code, f"file:{tokens}")  # still valid
    try:
        assert stat.S_IMODE(tokens.stat().st_mode) == 0o600
        with store.unit_of_work(durable=False) as uow:
            assert uow.settings.get(TOKEN_STORE_KEY) == f"file:{tokens}"  # the operator's choice
        terminal_id, token = load_token(store)
        assert tokens.read_text() == f"{terminal_id}={token}\n"
        os.chmod(tokens, 0o644)
        with pytest.raises(SyncSetupError, match="chmod 600"):
            load_token(store)
    finally:
        store.close()


def test_a_used_code_is_refused_with_a_sentence(server: ServerProcess, tmp_path: Path) -> None:
    code = new_code(server.db_url)
    enrol_data_dir(tmp_path / "a", server.url, code, f"file:{tmp_path / 'tokens'}").close()
    with pytest.raises(SyncSetupError, match="unknown, expired or already used"):
        enrol_data_dir(tmp_path / "b", server.url, code, f"file:{tmp_path / 'tokens'}")


def test_a_revoked_token_stops_the_worker_and_says_to_enrol_again(
    server: ServerProcess, tmp_path: Path
) -> None:
    store = enrol_data_dir(tmp_path / "till", server.url, new_code(server.db_url),
                           f"file:{tmp_path / 'tokens'}")  # fmt: skip
    try:
        terminal_id, _ = load_token(store)
        engine = make_engine(server.db_url)
        with make_sessions(engine).begin() as session:
            assert terminals.revoke(session, terminal_id, datetime.now(UTC))
        engine.dispose()
        runtime = start_sync(store, tmp_path / "till")
        with pytest.raises(SyncFatal, match="Enrol the till again"):
            runtime.worker.drain_once()
        runtime.worker.stop()
    finally:
        store.close()


def test_a_till_made_before_enrolment_takes_the_servers_terminal_id(
    server: ServerProcess, tmp_path: Path
) -> None:
    folder = tmp_path / "till"
    demo = open_till_store(folder)  # e.g. `pos-app demo-data`: a catalogue, no operations
    with demo.unit_of_work() as uow:
        fill_catalogue(uow)
        uow.commit()
    local_id = demo.terminal.terminal_id
    demo.close()
    store = enrol_data_dir(folder, server.url, new_code(server.db_url), f"file:{tmp_path / 't'}")
    try:
        terminal_id, _ = load_token(store)
        assert store.terminal.terminal_id == terminal_id != local_id
        runtime = start_sync(store, folder)
        sale_id = runtime.sales.open_sale().sale_id
        runtime.sales.add_line(sale_id, product_id="latte")  # the catalogue is still there
        runtime.payments.pay_cash(sale_id, runtime.sales.get_sale(sale_id).due)
        runtime.worker.drain_once()
        assert runtime.state.snapshot.waiting == 0 and runtime.queue.items() == []
        runtime.worker.stop()
    finally:
        store.close()


def test_a_till_with_operations_is_not_enrolled_and_the_code_stays_unspent(
    server: ServerProcess, tmp_path: Path
) -> None:
    folder = tmp_path / "till"
    used = open_till_store(folder)
    with used.unit_of_work() as uow:
        uow.outbox.append(parse("guest.created", {"guest_id": "g", "name": "G", "phone": None}))
        uow.commit()
    used.close()
    code = new_code(server.db_url)
    tokens = f"file:{tmp_path / 't'}"
    with pytest.raises(SyncSetupError, match="already has 1 operations"):
        enrol_data_dir(folder, server.url, code, tokens)
    enrol_data_dir(tmp_path / "fresh", server.url, code, tokens).close()  # still valid
