"""The print queue table: order, state changes, restart recovery, persistence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from pos_app.db import open_store
from pos_app.db.print_queue import SqlPrintQueue

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_jobs_survive_a_restart_in_order_with_their_bytes(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    with open_store(path, terminal_id="T1") as store:
        queue = SqlPrintQueue(store)
        first = queue.add("receipt", b"\x1b@one", printer="receipt", title="Receipt 1", now=T0)
        queue.add("test", b"two", printer="receipt", title="Test page", now=T0)
        queue.add("report", b"kitchen", printer="kitchen", title="", now=T0)
        queue.mark_printing(first)  # the till dies mid-print
    with open_store(path) as store:
        queue = SqlPrintQueue(store)
        assert queue.recover("kitchen") == 0 and queue.recover("receipt") == 1
        head = queue.head("receipt")
        assert head is not None and head.id == first and head.status == "queued"
        assert head.document == b"\x1b@one" and head.attempts == 1 and head.title == "Receipt 1"
        assert head.created_at == T0
        assert queue.pending_count("receipt") == 2 and queue.pending_count("kitchen") == 1


def test_done_and_cancelled_jobs_leave_the_head(tmp_path: Path) -> None:
    with open_store(tmp_path / "till.sqlite3", terminal_id="T1") as store:
        queue = SqlPrintQueue(store)
        a = queue.add("receipt", b"a", printer="receipt", title="a", now=T0)
        b = queue.add("receipt", b"b", printer="receipt", title="b", now=T0)
        c = queue.add("receipt", b"c", printer="receipt", title="c", now=T0)
        queue.mark_printing(a)
        queue.mark_done(a, T0 + timedelta(seconds=1))
        assert queue.set_status(b, "cancelled") and not queue.set_status(999, "cancelled")
        head = queue.head("receipt")
        assert head is not None and head.id == c
        done = queue.get(a)
        assert (
            done is not None
            and done.status == "done"
            and done.printed_at == T0 + timedelta(seconds=1)
        )
        recent = queue.recent("receipt", 2)
        assert [j.id for j in recent] == [c, b] and all(j.document == b"" for j in recent)


def test_waiting_job_keeps_its_error_until_retry_now(tmp_path: Path) -> None:
    with open_store(tmp_path / "till.sqlite3", terminal_id="T1") as store:
        queue = SqlPrintQueue(store)
        job = queue.add("receipt", b"x", printer="receipt", title="", now=T0)
        queue.mark_printing(job)
        queue.mark_waiting(job, "out of paper", T0 + timedelta(seconds=8))
        waiting = queue.head("receipt")
        assert waiting is not None and waiting.status == "waiting"
        assert waiting.last_error == "out of paper"
        assert waiting.next_attempt_at == T0 + timedelta(seconds=8)
        assert queue.retry_now("receipt", T0) == 1 and queue.retry_now("kitchen", T0) == 0
        again = queue.get(job)
        assert again is not None and again.next_attempt_at == T0
