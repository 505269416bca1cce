"""Print queue use cases on the real SQLite queue; the printer is scripted (what it answers)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pos_app.db import Store, open_store
from pos_app.db.print_queue import SqlPrintQueue
from pos_app.services.printing import (
    Backoff,
    PrintJobNotFound,
    PrintJobPending,
    PrintService,
)


@dataclass(frozen=True)
class Outcome:
    ok: bool
    message: str


class ScriptedPrinter:
    """Answers from a script and records what it was sent (the real one is in tests/devices)."""

    def __init__(self, *answers: Outcome) -> None:
        self.answers = list(answers)
        self.sent: list[bytes] = []

    def print_bytes(self, job: bytes) -> Outcome:
        self.sent.append(job)
        return self.answers.pop(0) if self.answers else Outcome(True, "Printed.")


class ManualClock:
    def __init__(self) -> None:
        self.current = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current


PAPER_OUT = Outcome(False, "The printer is out of paper. Load paper; the receipt is kept.")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "till.sqlite3", terminal_id="T1") as s:
        yield s


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def service(store: Store, clock: ManualClock) -> PrintService:
    return PrintService(SqlPrintQueue(store), clock, backoff=Backoff(first_s=2.0, max_s=5.0))


def test_jobs_print_in_order_and_the_queue_empties(service: PrintService) -> None:
    printer = ScriptedPrinter()
    first = service.enqueue("receipt", b"one", "Receipt T1-1")
    service.enqueue("receipt", b"two", "Receipt T1-2")
    assert service.state().pending == 2 and service.wake.is_set()
    assert service.print_next(printer) == 0.0
    assert service.print_next(printer) == 0.0
    assert service.print_next(printer) is None
    assert printer.sent == [b"one", b"two"]
    assert service.state().pending == 0
    done = service.recent_jobs()
    assert [j.status for j in done] == ["done", "done"] and done[-1].id == first
    assert done[-1].printed_at is not None and done[-1].attempts == 1


def test_paper_out_job_waits_with_backoff_and_blocks_the_jobs_behind_it(
    service: PrintService, clock: ManualClock
) -> None:
    printer = ScriptedPrinter(PAPER_OUT, PAPER_OUT, PAPER_OUT)
    service.enqueue("receipt", b"one")
    service.enqueue("receipt", b"two")
    assert service.print_next(printer) == 2.0
    state = service.state()
    assert state.waiting and state.pending == 2 and state.last_error == PAPER_OUT.message
    assert state.next_attempt_at == clock.current + timedelta(seconds=2)
    assert service.print_next(printer) == 2.0  # not due yet: the printer is not asked
    assert printer.sent == [b"one"]
    clock.current += timedelta(seconds=2)
    assert service.print_next(printer) == 4.0  # second failure: the delay doubles
    clock.current += timedelta(seconds=4)
    assert service.print_next(printer) == 5.0  # capped
    clock.current += timedelta(seconds=5)
    assert service.print_next(printer) == 0.0  # paper loaded
    assert service.print_next(printer) == 0.0
    assert printer.sent == [b"one"] * 4 + [b"two"]
    assert service.state().pending == 0 and not service.state().waiting


def test_retry_now_skips_the_rest_of_the_delay(service: PrintService) -> None:
    printer = ScriptedPrinter(PAPER_OUT)
    service.enqueue("receipt", b"one")
    service.print_next(printer)
    service.wake.clear()
    assert service.retry_now() == 1 and service.wake.is_set()
    assert service.print_next(printer) == 0.0 and printer.sent == [b"one", b"one"]


def test_reprint_of_a_done_job_sends_the_same_bytes_again(service: PrintService) -> None:
    printer = ScriptedPrinter()
    job = service.enqueue("receipt", b"receipt-bytes", "Receipt T1-7")
    with pytest.raises(PrintJobPending):
        service.reprint(job)  # still queued: a reprint would print it twice
    service.print_next(printer)
    again = service.reprint(job)
    assert again != job and service.state().pending == 1
    service.print_next(printer)
    assert printer.sent == [b"receipt-bytes", b"receipt-bytes"]
    assert service.recent_jobs()[0].title == "Receipt T1-7"
    with pytest.raises(PrintJobNotFound):
        service.reprint(12345)


def test_cancelled_stuck_job_lets_the_next_one_print(service: PrintService) -> None:
    printer = ScriptedPrinter(PAPER_OUT)
    stuck = service.enqueue("report", b"z-report")
    service.enqueue("receipt", b"receipt")
    service.print_next(printer)
    service.cancel(stuck)
    assert service.print_next(printer) == 0.0
    assert printer.sent == [b"z-report", b"receipt"]
    assert [j.status for j in service.recent_jobs()] == ["done", "cancelled"]
