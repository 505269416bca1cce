"""The print queue in the till's store (``print_jobs``, migration 0002).

Every method is its own short durable unit of work on the ``Store``: the queue is written by
the op thread (a sale's receipt) and by the print worker (job states), never inside a sale's
transaction, so printing can never hold up or roll back a sale, and a job's state is on disk
before the printer is touched (a restart finds it again).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar, cast

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection, Row

from pos_app.db.models import table
from pos_app.db.models_print import PrintJobRow
from pos_app.db.uow import Store
from pos_app.services.ports_print import PENDING_STATUSES, JobKind, JobStatus, PrintJob

JOBS = table(PrintJobRow)
T = TypeVar("T")


class SqlPrintQueue:
    """``PrintQueueRepository`` on SQLite; safe to share between threads (one UoW per call)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def _run(self, work: Callable[[Connection], T]) -> T:
        with self._store.unit_of_work() as uow:
            result = work(uow.connection)
            uow.commit()
            return result

    def add(
        self,
        kind: JobKind,
        document: bytes,
        *,
        printer: str,
        title: str,
        now: datetime,
        reprint_of: int | None = None,
    ) -> int:
        values = {
            "kind": kind,
            "title": title[:200],
            "printer": printer,
            "document": document,
            "status": "queued",
            "attempts": 0,
            "created_at": now,
            "reprint_of": reprint_of,
        }
        inserted = self._run(lambda c: c.execute(JOBS.insert().values(**values)))
        key = inserted.inserted_primary_key
        assert key is not None
        return int(key[0])

    def get(self, job_id: int) -> PrintJob | None:
        row = self._run(lambda c: c.execute(select(JOBS).where(JOBS.c.id == job_id)).first())
        return None if row is None else _job(row)

    def head(self, printer: str) -> PrintJob | None:
        query = (
            select(JOBS)
            .where(JOBS.c.printer == printer, JOBS.c.status.in_(PENDING_STATUSES))
            .order_by(JOBS.c.id)
            .limit(1)
        )
        row = self._run(lambda c: c.execute(query).first())
        return None if row is None else _job(row)

    def mark_printing(self, job_id: int) -> None:
        self._update(job_id, status="printing", attempts=JOBS.c.attempts + 1)

    def mark_done(self, job_id: int, now: datetime) -> None:
        self._update(job_id, status="done", printed_at=now, next_attempt_at=None)

    def mark_waiting(self, job_id: int, error: str, retry_at: datetime) -> None:
        self._update(job_id, status="waiting", last_error=error, next_attempt_at=retry_at)

    def set_status(self, job_id: int, status: JobStatus) -> bool:
        return self._update(job_id, status=status) > 0

    def retry_now(self, printer: str, now: datetime) -> int:
        statement = (
            update(JOBS)
            .where(JOBS.c.printer == printer, JOBS.c.status == "waiting")
            .values(next_attempt_at=now)
        )
        return self._run(lambda c: c.execute(statement).rowcount)

    def recover(self, printer: str) -> int:
        statement = (
            update(JOBS)
            .where(JOBS.c.printer == printer, JOBS.c.status == "printing")
            .values(status="queued")
        )
        return self._run(lambda c: c.execute(statement).rowcount)

    def pending_count(self, printer: str) -> int:
        query = select(func.count()).where(
            JOBS.c.printer == printer, JOBS.c.status.in_(PENDING_STATUSES)
        )
        return int(self._run(lambda c: c.execute(query).scalar_one()))

    def recent(self, printer: str, limit: int) -> Sequence[PrintJob]:
        columns = [c for c in JOBS.c if c.name != "document"]
        query = select(*columns).where(JOBS.c.printer == printer)
        query = query.order_by(JOBS.c.id.desc()).limit(limit)
        rows = self._run(lambda c: c.execute(query).all())
        return [_job(row) for row in rows]

    def _update(self, job_id: int, **values: Any) -> int:
        statement = update(JOBS).where(JOBS.c.id == job_id).values(**values)
        return self._run(lambda c: c.execute(statement).rowcount)


def _job(row: Row[Any]) -> PrintJob:
    m = row._mapping
    return PrintJob(
        id=m["id"],
        kind=cast(JobKind, m["kind"]),
        title=m["title"],
        printer=m["printer"],
        document=bytes(m["document"]) if "document" in m else b"",
        status=cast(JobStatus, m["status"]),
        attempts=m["attempts"],
        last_error=m["last_error"],
        created_at=m["created_at"],
        next_attempt_at=m["next_attempt_at"],
        printed_at=m["printed_at"],
        reprint_of=m["reprint_of"],
    )
