"""The till's daily backup thread and ``pos-app backup`` / ``pos-app restore``."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pos_app.app import main
from pos_app.commands.daily_backup import DailyBackup
from pos_app.commands.store_factory import open_till_store, store_path
from pos_app.db.backups import KEEP_DAYS_KEY, backups
from pos_app.domain.operations import GuestCreated

ROOT = Path(__file__).resolve().parents[2]  # the checkout, for subprocesses

NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)


def queue_guest(directory: Path, guest_id: str) -> None:
    with open_till_store(directory) as store, store.unit_of_work() as uow:
        uow.outbox.append(GuestCreated(guest_id=guest_id, name="Анна"))
        uow.commit()


def test_the_daily_backup_is_taken_once_a_day_and_keeps_the_days_set(tmp_path: Path) -> None:
    queue_guest(tmp_path, "g1")
    clock = [NOW]
    with open_till_store(tmp_path) as store:
        with store.unit_of_work() as uow:
            uow.settings.set(KEEP_DAYS_KEY, 2)
            uow.commit()
        daily = DailyBackup(store, tmp_path, now=lambda: clock[0])
        first = daily.run_once()
        assert first is not None and first.parent == tmp_path / "backups"
        clock[0] = NOW + timedelta(hours=23)
        assert daily.run_once() is None  # not due yet
        for day in (1, 2, 3):
            clock[0] = NOW + timedelta(days=day)
            assert daily.run_once() is not None
    assert [at for at, _ in backups(tmp_path / "backups")] == [
        NOW + timedelta(days=1), NOW + timedelta(days=2), NOW + timedelta(days=3)]


def test_the_daily_backup_runs_on_its_own_thread_at_start(tmp_path: Path) -> None:
    queue_guest(tmp_path, "g1")
    with open_till_store(tmp_path) as store:
        daily = DailyBackup(store, tmp_path, check_every=0.1, start_delay=0.2)
        daily.start()
        try:
            deadline = time.monotonic() + 10
            while not backups(tmp_path / "backups"):
                assert time.monotonic() < deadline, "no backup was taken at start"
                time.sleep(0.05)
        finally:
            daily.stop()
        assert len(backups(tmp_path / "backups")) == 1  # due once a day, not every check


def test_pos_app_backup_and_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    queue_guest(tmp_path, "g1")
    assert main(["backup", "--data-dir", str(tmp_path), "--keep-days", "7"]) == 0
    made = Path(capsys.readouterr().out.strip())
    assert made.parent == tmp_path / "backups"
    with open_till_store(tmp_path) as store, store.unit_of_work(durable=False) as uow:
        assert uow.settings.get(KEEP_DAYS_KEY) == 7
    queue_guest(tmp_path, "g2")

    cut = tmp_path / "cut.sqlite3"
    cut.write_bytes(made.read_bytes()[:3000])
    assert main(["restore", str(cut), "--data-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "not restored" in err and str(cut) in err

    holder = subprocess.Popen(  # a running (enrolled) till holds its folder's sender lock
        [sys.executable, "-c", "import sys, time; from pos_app.sync.sender_lock import "
         "SenderLock; lock = SenderLock(sys.argv[1]); lock.acquire(); "
         "print('held', flush=True); time.sleep(60)", str(tmp_path / "sync.lock")],
        stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert main(["restore", str(made), "--data-dir", str(tmp_path)]) == 1
        assert "is running" in capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()

    assert main(["restore", str(made), "--data-dir", str(tmp_path)]) == 0
    assert "kept as" in capsys.readouterr().out
    with open_till_store(tmp_path) as store, store.unit_of_work(durable=False) as uow:
        assert [e.payload["guest_id"] for e in uow.sync.waiting(10)] == ["g1"]
    assert store_path(tmp_path).exists()
