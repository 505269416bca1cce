"""100 000 guests come through GET /v1/changes in pages, and a page never loads the table.

The rows are bulk-inserted straight into ``guests`` and ``changes`` (the ops pipeline would
take minutes); the feed does not care how they got there. Memory: ``tracemalloc`` peak of the
server-side page function (``pos_server.feed.changes.read_changes``) for one 1 000-change
page, at the start and at the end of the table; loading every change would take two orders of
magnitude more. Wall time ~6 s per database (bulk load 2.5-3.5 s, 100 pages 2.7-3.8 s).
"""

from __future__ import annotations

import json
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, insert, update

from pos_server.app import create_app
from pos_server.db import make_engine, make_sessions
from pos_server.db.models import Change, FeedCounter, Guest
from pos_server.feed.changes import read_changes
from pos_server.settings import ServerSettings
from tests.server.conftest import Till, enrol

GUESTS = 100_000
PAGE = 1_000
PAGE_PEAK_LIMIT = 8 * 1024 * 1024  # bytes; one page measured at ~1 MB (every change: >100 MB)


def _rows(terminal_id: str, now: datetime) -> Iterator[tuple[tuple[Any, ...], tuple[Any, ...]]]:
    """(guest row, change row) for every guest."""
    for n in range(1, GUESTS + 1):
        guest_id, name, phone = f"g{n:06}", f"Guest {n}", f"+7912{n:07}"
        data = {"guest_id": guest_id, "name": name, "phone": phone}
        yield (guest_id, name, phone, now, terminal_id), (n, "guest", guest_id, data, now)


def _copy_into_postgres(connection: Connection, terminal_id: str, now: datetime) -> None:
    """COPY: 100 000 INSERTs would take most of the test's time budget on PostgreSQL."""
    raw = connection.connection.driver_connection
    assert raw is not None
    rows = list(_rows(terminal_id, now))
    with raw.cursor() as cursor:
        with cursor.copy("COPY guests (id, name, phone, created_at, created_by) FROM STDIN") as cp:
            for guest, _change in rows:
                cp.write_row(guest)
        with cursor.copy("COPY changes (id, entity, entity_id, data, at) FROM STDIN") as cp:
            for _guest, (n, entity, entity_id, data, at) in rows:
                cp.write_row((n, entity, entity_id, json.dumps(data), at))


def _insert_into_sqlite(connection: Connection, terminal_id: str, now: datetime) -> None:
    guest_keys = ("id", "name", "phone", "created_at", "created_by")
    change_keys = ("id", "entity", "entity_id", "data", "at")
    rows = list(_rows(terminal_id, now))
    connection.execute(insert(Guest), [dict(zip(guest_keys, g, strict=True)) for g, _c in rows])
    connection.execute(insert(Change), [dict(zip(change_keys, c, strict=True)) for _g, c in rows])


def _bulk_guests(db_url: str, terminal_id: str) -> None:
    now = datetime.now(UTC)
    engine = make_engine(db_url)
    try:
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                _copy_into_postgres(connection, terminal_id, now)
            else:
                _insert_into_sqlite(connection, terminal_id, now)
            connection.execute(update(FeedCounter).where(FeedCounter.id == 1)
                               .values(last_id=GUESTS))  # fmt: skip
    finally:
        engine.dispose()


@pytest.fixture
def loaded(db_url: str) -> Iterator[Till]:
    settings = ServerSettings(database_url=db_url, max_page=PAGE, sweep_interval_seconds=0)
    with TestClient(create_app(settings)) as client:
        till = enrol(client, db_url)
        _bulk_guests(db_url, till.terminal_id)
        yield till


def _page_peak(db_url: str, cursor: int) -> int:
    engine = make_engine(db_url)
    try:
        with make_sessions(engine)() as session:
            read_changes(session, cursor, PAGE)  # warm up: connection, statement cache
            tracemalloc.start()
            try:
                page = read_changes(session, cursor, PAGE)
                peak = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
            assert len(page.changes) == PAGE
    finally:
        engine.dispose()
    return peak


def test_100k_guests_come_through_in_pages_with_bounded_memory(
    loaded: Till, db_url: str
) -> None:
    till = loaded
    started = time.perf_counter()
    cursor, count, pages = 0, 0, 0
    while True:
        response = till.client.get(f"/v1/changes?cursor={cursor}&limit=5000",
                                   headers=till.headers)  # fmt: skip
        assert response.status_code == 200
        body = response.json()
        changes = body["changes"]
        assert len(changes) <= PAGE  # capped by max_page
        assert body["head"] == GUESTS  # what a till's first-sync progress bar counts towards
        assert [c["id"] for c in changes] == list(range(cursor + 1, cursor + 1 + len(changes)))
        count += len(changes)
        pages += 1
        cursor = body["next_cursor"]
        if not body["has_more"]:
            break
    elapsed = time.perf_counter() - started
    assert (count, pages, cursor) == (GUESTS, GUESTS // PAGE, GUESTS)
    assert changes[-1]["data"] == {"guest_id": f"g{GUESTS:06}", "name": f"Guest {GUESTS}",
                                   "phone": f"+7912{GUESTS:07}"}  # fmt: skip

    first, last = _page_peak(db_url, 0), _page_peak(db_url, GUESTS - PAGE)
    print(f"\n{GUESTS} changes in {pages} pages: {elapsed:.1f} s; "
          f"page peak {first / 1e6:.1f} MB at the start, {last / 1e6:.1f} MB at the end")
    assert first < PAGE_PEAK_LIMIT
    assert last < PAGE_PEAK_LIMIT
