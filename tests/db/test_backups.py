"""The till's backups (``pos_app.db.backups``): consistent while operations are written, 0600,
pruned by age; a cut, damaged or foreign file is refused on restore and the store is left as
it was; a restored store opens, the replaced one kept beside it."""

from __future__ import annotations

import sqlite3
import stat
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pos_app.db import StoreError, open_store
from pos_app.db.backups import (
    BackupInvalid,
    backups,
    check_backup,
    is_due,
    prune,
    restore_backup,
    take_backup,
)
from pos_app.domain.operations import GuestCreated

NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)


def queue_guests(path: Path, count: int, stop: threading.Event | None = None) -> int:
    written = 0
    with open_store(path, terminal_id="T1") as store:
        while written < count and not (stop and stop.is_set()):
            with store.unit_of_work() as uow:
                uow.outbox.append(GuestCreated(guest_id=f"g{written}", name="Анна"))
                uow.commit()
            written += 1
    return written


def seqs(path: Path) -> tuple[list[int], int]:
    with sqlite3.connect(path) as conn:
        found = [row[0] for row in conn.execute("SELECT seq FROM outbox ORDER BY seq")]
        next_seq = conn.execute("SELECT next_seq FROM terminal_state").fetchone()[0]
    return found, next_seq


def test_backups_taken_while_operations_are_written_are_consistent_and_private(
    tmp_path: Path
) -> None:
    store = tmp_path / "till.sqlite3"
    queue_guests(store, 5)
    stop = threading.Event()
    writer = threading.Thread(target=queue_guests, args=(store, 100_000, stop))
    writer.start()
    made = []
    try:
        for minute in range(5):
            made.append(take_backup(store, tmp_path / "backups", NOW + timedelta(minutes=minute)))
    finally:
        stop.set()
        writer.join()
    assert [path for _, path in backups(tmp_path / "backups")] == made
    assert not list((tmp_path / "backups").glob("*.partial"))
    for path in made:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        check_backup(path)
        found, next_seq = seqs(path)  # a snapshot: the outbox and its counter agree
        assert found == list(range(1, next_seq))
    assert seqs(made[0])[1] >= 6


def test_prune_keeps_the_days_asked_and_always_the_newest(tmp_path: Path) -> None:
    store = tmp_path / "till.sqlite3"
    queue_guests(store, 1)
    folder = tmp_path / "backups"
    for days_ago in (20, 15, 3, 1):
        take_backup(store, folder, NOW - timedelta(days=days_ago))
    assert not is_due(folder, NOW - timedelta(hours=1)) and is_due(folder, NOW)
    removed = prune(folder, 14, NOW)
    assert [p.name for p in removed] == ["till-20261117T030000Z.sqlite3",
                                         "till-20261122T030000Z.sqlite3"]  # fmt: skip
    assert [at for at, _ in backups(folder)] == [NOW - timedelta(days=3), NOW - timedelta(days=1)]
    prune(folder, 1, NOW + timedelta(days=30))
    assert len(backups(folder)) == 1  # the newest stays, however old


def test_a_cut_damaged_or_foreign_file_is_refused_and_the_store_is_left_alone(
    tmp_path: Path
) -> None:
    store = tmp_path / "till.sqlite3"
    queue_guests(store, 300)
    good = take_backup(store, tmp_path / "backups", NOW)
    data = good.read_bytes()
    cut = tmp_path / "cut.sqlite3"
    cut.write_bytes(data[: len(data) // 2])
    damaged = tmp_path / "damaged.sqlite3"
    page_size = int.from_bytes(data[16:18], "big")
    damaged.write_bytes(data[:page_size] + b"\x77" + data[page_size + 1:])
    foreign = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE notes (x)")
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"")
    queue_guests(store, 1)
    before = seqs(store)
    for file, reason in ((cut, "is incomplete"), (damaged, "is damaged"),
                         (foreign, "not a till's store"), (junk, "not an SQLite backup"),
                         (tmp_path / "missing.sqlite3", "does not exist")):  # fmt: skip
        with pytest.raises(BackupInvalid) as err:
            restore_backup(file, store)
        assert reason in str(err.value) and str(file) in str(err.value)
        assert seqs(store) == before


def test_a_restored_store_opens_and_the_replaced_one_is_kept(tmp_path: Path) -> None:
    store = tmp_path / "till.sqlite3"
    queue_guests(store, 3)
    backup = take_backup(store, tmp_path / "backups", NOW)
    queue_guests(store, 2)
    kept = restore_backup(backup, store, NOW + timedelta(hours=1))
    assert kept is not None and seqs(kept)[0] == [1, 2, 3, 4, 5]
    assert stat.S_IMODE(store.stat().st_mode) == 0o600
    with open_store(store) as reopened, reopened.unit_of_work(durable=False) as uow:
        assert [e.seq for e in uow.sync.waiting(10)] == [1, 2, 3]
    assert seqs(store) == ([1, 2, 3], 4)


def test_a_damaged_store_names_the_newest_daily_backup(tmp_path: Path) -> None:
    store = tmp_path / "till.sqlite3"
    queue_guests(store, 200)
    backup = take_backup(store, tmp_path / "backups", NOW)
    with store.open("r+b") as file:
        file.truncate(store.stat().st_size // 2)
    with pytest.raises(StoreError) as err:
        open_store(store)
    assert err.value.backup == backup
