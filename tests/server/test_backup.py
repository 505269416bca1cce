"""``pos-server backup`` / ``restore`` on SQLite and PostgreSQL: a backup taken while the server
runs restores into a new database that goes on serving; a cut or damaged backup is refused
with a sentence, and nothing is changed."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from fastapi.testclient import TestClient
from sqlalchemy import inspect, select

from pos_server import cli
from pos_server.app import create_app
from pos_server.db import make_engine, make_sessions
from pos_server.db.models import AppliedOperation, Terminal
from pos_server.settings import ServerSettings
from tests.server.conftest import (
    PG_URL,
    Till,
    add_terminal,
    guest_payload,
    sale_payload,
    throwaway_pg_database,
)
from tests.sync.faultproxy import ServerProcess

ROOT = Path(__file__).resolve().parents[2]  # the checkout, for subprocesses


def operations(url: str) -> list[tuple[str, str, int, str]]:
    engine = make_engine(url)
    try:
        with make_sessions(engine)() as session:
            rows = session.execute(select(AppliedOperation.op_id, AppliedOperation.terminal_id,
                                          AppliedOperation.seq, AppliedOperation.verdict)
                                   .order_by(AppliedOperation.terminal_id, AppliedOperation.seq))
            return [(r[0], r[1], r[2], r[3]) for r in rows]
    finally:
        engine.dispose()


@contextlib.contextmanager
def new_database(db_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of the same kind as ``db_url``."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / f'restored-{uuid.uuid4().hex[:6]}.sqlite3'}"
        return
    assert PG_URL is not None
    with throwaway_pg_database(PG_URL) as url:
        yield url


def has_schema(url: str) -> bool:
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        if not path.exists():
            return False
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return bool(inspect(conn).has_table("alembic_version"))
    finally:
        engine.dispose()


def test_a_backup_restores_into_a_new_database_that_goes_on_serving(
    db_url: str, till: Till, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    guest = guest_payload()
    till.push_ok(till.op("guest.created", guest),
                 till.op("sale.closed", sale_payload(guest["guest_id"])))  # fmt: skip
    out = tmp_path / "backups" / "server.backup"
    assert cli.main(["backup", "--db", db_url, "--out", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert not out.with_name(out.name + ".partial").exists()
    assert subprocess.run(["sha256sum", "-c", out.name + ".sha256"], cwd=out.parent,
                          capture_output=True, check=False).returncode == 0  # fmt: skip
    before = operations(db_url)
    with new_database(db_url, tmp_path) as target:
        capsys.readouterr()
        assert cli.main(["restore", str(out), "--db", target]) == 0, capsys.readouterr().err
        assert operations(target) == before and len(before) == 2
        settings = ServerSettings(database_url=target)
        with TestClient(create_app(settings)) as client:  # the restored server goes on
            restored = Till(client, till.terminal_id, till.token)
            restored.seq = till.seq
            replay = restored.push_ok(restored.op("sale.closed", sale_payload(), seq=99,
                                                  op_id=before[-1][0]))  # fmt: skip
            assert replay["results"][0]["status"] == "refused"  # same op_id, other payload
            body = restored.push_ok(restored.op("sale.closed", sale_payload()))
            assert body["results"][0]["status"] == "applied" and body["last_seq"] == 3
        # a database with data is replaced only when told so
        assert cli.main(["restore", str(out), "--db", target]) == 1
        assert "already" in capsys.readouterr().err
        assert cli.main(["restore", str(out), "--db", target, "--force"]) == 0
        assert operations(target) == before


def test_a_cut_or_damaged_backup_is_refused_and_nothing_is_restored(
    db_url: str, till: Till, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    till.push_ok(till.op("guest.created", guest_payload()))
    out = tmp_path / "server.backup"
    assert cli.main(["backup", "--db", db_url, "--out", str(out)]) == 0
    data = out.read_bytes()
    cut = tmp_path / "cut.backup"  # an interrupted copy, with the checksum file beside it
    cut.write_bytes(data[: len(data) // 2])
    cut.with_name("cut.backup.sha256").write_text(
        out.with_name(out.name + ".sha256").read_text().replace(out.name, cut.name))
    bare = tmp_path / "bare.backup"  # the same cut copy, its checksum file lost
    bare.write_bytes(data[: len(data) // 2])
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a backup at all\n" * 10)
    expected = {cut: "does not match its checksum", bare: "incomplete",
                junk: "not an SQLite backup" if db_url.startswith("sqlite")
                else "not a pg_dump backup"}  # fmt: skip
    with new_database(db_url, tmp_path) as target:
        for file, reason in expected.items():
            capsys.readouterr()
            assert cli.main(["restore", str(file), "--db", target]) == 1
            err = capsys.readouterr().err
            assert reason in err and "nothing was restored" in err, err
            assert not has_schema(target)


def test_a_damaged_sqlite_page_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                          ) -> None:  # fmt: skip
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    cli.main(["migrate", "--db", url])
    out = tmp_path / "server.backup"
    assert cli.main(["backup", "--db", url, "--out", str(out)]) == 0
    out.with_name(out.name + ".sha256").unlink()
    with sqlite3.connect(out) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    with out.open("r+b") as file:  # page 2's b-tree page type: garbage
        file.seek(page_size)
        file.write(b"\x77")
    target = tmp_path / "restored.sqlite3"
    assert cli.main(["restore", str(out), "--db", f"sqlite:///{target}"]) == 1
    assert "is damaged" in capsys.readouterr().err
    assert not target.exists()


def test_an_sqlite_backup_is_consistent_while_the_server_takes_operations(
    tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    with ServerProcess(url, tmp_path, sweep_interval_seconds=0) as server:
        code = add_terminal(url).enrolment_code
        token = requests.post(server.url + "/v1/terminals/enrol", json={"code": code},
                              timeout=10).json()["token"]  # fmt: skip
        terminal_id = operations_terminal(url)
        stop = threading.Event()

        def push() -> None:
            with requests.Session() as session:
                seq = 0
                while not stop.is_set():
                    seq += 1
                    op = {"op_id": str(uuid.uuid4()), "terminal_id": terminal_id, "seq": seq,
                          "created_at": "2026-12-01T10:00:00+00:00", "kind": "guest.created",
                          "payload": guest_payload()}  # fmt: skip
                    session.post(server.url + "/v1/ops", json={"operations": [op]},
                                 headers={"Authorization": f"Bearer {token}"}, timeout=10)

        pusher = threading.Thread(target=push)
        pusher.start()
        try:
            backups = []
            for index in range(3):
                out = tmp_path / f"live-{index}.backup"
                result = subprocess.run(
                    [sys.executable, "-m", "pos_server.cli", "backup", "--db", url, "--out",
                     str(out)], capture_output=True, text=True, check=False,
                    env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip
                assert result.returncode == 0, result.stderr
                backups.append(out)
        finally:
            stop.set()
            pusher.join()
    counts = []
    for out in backups:
        target = f"sqlite:///{out}.restored"
        assert cli.main(["restore", str(out), "--db", target]) == 0
        ops = operations(target)
        engine = make_engine(target)
        with make_sessions(engine)() as session:
            last_seq = session.scalar(select(Terminal.last_seq))
        engine.dispose()
        assert [seq for _, _, seq, _ in ops] == list(range(1, len(ops) + 1)) == list(
            range(1, (last_seq or 0) + 1))  # each snapshot: the operations and the seq agree
        counts.append(len(ops))
    assert counts[-1] > 0


def operations_terminal(url: str) -> str:
    engine = make_engine(url)
    try:
        with make_sessions(engine)() as session:
            return str(session.scalars(select(Terminal.id)).one())
    finally:
        engine.dispose()


def test_without_the_postgresql_client_the_backup_says_what_to_install(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pos_server.cli", "backup", "--db",
         "postgresql+psycopg://postgres@127.0.0.1:1/none", "--out", str(tmp_path / "b")],
        capture_output=True, text=True, check=False,
        env={"PATH": str(tmp_path), "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)},
    )  # fmt: skip
    assert result.returncode == 1
    assert "pg_dump is not installed" in result.stderr and "postgresql-client" in result.stderr
    assert not (tmp_path / "b").exists() and not (tmp_path / "b.partial").exists()
