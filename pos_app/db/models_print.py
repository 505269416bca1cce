"""The persistent print queue (migration 0002): one row per print job.

On the same declarative ``Base`` as ``models.py`` so one metadata describes the whole store.
A job holds the bytes to send (already encoded for the printer's profile), so a restart or a
reprint sends exactly what the first attempt would have sent.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.db.models import Base, UTCDateTime

JOB_KINDS = ("receipt", "test", "report")
JOB_STATUSES = ("queued", "printing", "done", "waiting", "cancelled")


class PrintJobRow(Base):
    __tablename__ = "print_jobs"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200), default="")
    printer: Mapped[str] = mapped_column(String(64), default="receipt")
    document: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reprint_of: Mapped[int | None]
    __table_args__ = (
        CheckConstraint("kind IN ('receipt', 'test', 'report')", name="kind"),
        CheckConstraint(
            "status IN ('queued', 'printing', 'done', 'waiting', 'cancelled')", name="status"
        ),
        Index("ix_print_jobs_printer_status_id", "printer", "status", "id"),
    )
