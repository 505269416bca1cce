"""The queue a till reports with its batches, kept per terminal and shown on /admin/terminals
(issue 18 point 7): the figures after the batch, the warning for a queue waiting too long or a
till not seen, and no write for a report that changes nothing."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from pos_app.sync.transport import QueueReport
from pos_server.db import make_engine, make_sessions
from pos_server.db.models import Terminal
from pos_server.terminals.queue import QueueBook, QueueState, Reported, after_batch, reported
from tests.server.conftest import Till, add_terminal, enrol, guest_payload
from tests.web.test_backoffice_pages import client, db_url, sign_in  # noqa: F401


def row(url: str, terminal_id: str) -> Terminal:
    engine = make_engine(url)
    try:
        with make_sessions(engine)() as session:
            found = session.scalars(select(Terminal).where(Terminal.id == terminal_id)).one()
            session.expunge(found)
            return found
    finally:
        engine.dispose()


def push(till: Till, queue: QueueReport, *ops: dict[str, object]) -> None:
    answer = till.client.post("/v1/ops", json={"operations": list(ops)},
                              headers={**till.headers, **queue.headers()})  # fmt: skip
    assert answer.status_code == 200, answer.text


def page_in(browser: TestClient, lang: str) -> str:
    browser.get(f"/admin/language/{lang}?next=/admin/terminals")
    return browser.get("/admin/terminals").text


def cells(page: str, name: str) -> str:
    found = re.search(rf"<td>{name}<br>.*?</tr>", page, re.S)
    assert found is not None, page
    return found.group(0)


def test_a_till_batch_puts_its_queue_on_the_terminals_page(client: TestClient, db_url: str  # noqa: F811
                                                           ) -> None:  # fmt: skip
    till = enrol(client, db_url, "Bar till")
    add_terminal(db_url, "Never seen")  # a code not used: no warning (not enrolled)
    quiet = enrol(client, db_url, "Quiet till")  # enrolled 20 min ago, never sent a batch
    fresh = enrol(client, db_url, "Fresh till")  # enrolled just now: not flagged yet
    engine = make_engine(db_url)
    with make_sessions(engine).begin() as session:
        session.execute(update(Terminal).where(Terminal.id == quiet.terminal_id).values(
            enrolled_at=datetime.now(UTC) - timedelta(minutes=20)))  # fmt: skip
    engine.dispose()
    # the till's own headers: 4 waiting (this batch of 1 among them), the oldest 30 min old
    push(till, QueueReport(4, 1800.0), till.op("guest.created", guest_payload()))
    stored = row(db_url, till.terminal_id)
    assert stored.queue_waiting == 3  # the batch's one operation was judged
    assert stored.queue_oldest_at is not None and stored.queue_reported_at is not None
    assert timedelta(seconds=1799) <= stored.queue_reported_at - stored.queue_oldest_at \
        <= timedelta(seconds=1801)  # fmt: skip
    sign_in(client, "boss")
    page = page_in(client, "en")
    bar = cells(page, "Bar till")
    assert '<td class="waiting warn">3</td>' in bar and "30 min" in bar
    assert "waiting for over 15 min" in bar and "not seen" not in bar
    assert "not seen for over 15 min" in cells(page, "Quiet till")
    assert "not seen" not in cells(page, "Never seen")
    assert "not seen" not in cells(page, "Fresh till") and fresh.terminal_id in page
    assert quiet.terminal_id not in bar
    ru = page_in(client, "ru")
    assert "30 мин" in cells(ru, "Bar till") and "ждут дольше 15 мин" in cells(ru, "Bar till")

    # the queue drained (a heartbeat: an empty batch reporting nothing waiting): written at once
    push(till, QueueReport(0, None))
    drained = row(db_url, till.terminal_id)
    assert drained.queue_waiting == 0 and drained.queue_oldest_at is None
    bar = cells(page_in(client, "en"), "Bar till")
    assert '<td class="waiting">0</td>' in bar and "warn" not in bar
    # the same report again within a minute: no write
    push(till, QueueReport(0, None))
    assert row(db_url, till.terminal_id).queue_reported_at == drained.queue_reported_at


def test_writes_are_skipped_until_the_queue_changes_or_a_minute_passes() -> None:
    book, now = QueueBook(), datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
    busy = after_batch(Reported(5, 300.0), 2, now)
    assert busy == QueueState(3, now - timedelta(seconds=300), now)
    assert book.due("t", busy)
    later = now + timedelta(seconds=20)
    assert not book.due("t", QueueState(7, now - timedelta(seconds=290), later))  # ~ same oldest
    assert book.due("t", QueueState(7, later - timedelta(seconds=5), later))  # another oldest
    assert book.due("t", QueueState(0, None, later))  # drained
    assert not book.due("t", QueueState(0, None, later + timedelta(seconds=59)))
    assert book.due("t", QueueState(0, None, later + timedelta(seconds=60)))  # refreshed
    assert book.due("other", QueueState(0, None, later))
    assert after_batch(Reported(None, 3.0), 1, now) is None  # no report: nothing stored
    assert after_batch(Reported(1, 3.0), 1, now) == QueueState(0, None, now)
    found = reported([(b"x-till-queue-waiting", b"12"), (b"x-till-queue-age", b"nan")])
    assert found == Reported(12.0, None)
    assert reported([(b"x-till-queue-waiting", b"-1")]) == Reported(None, None)
