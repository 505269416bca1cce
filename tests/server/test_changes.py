"""GET /v1/changes: keyset paging with a monotonic, resumable cursor."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient

from pos_server.db import make_engine, make_sessions
from pos_server.feed.changes import read_changes
from pos_server.http.schemas import Operation
from pos_server.ops.pipeline import apply_batch, check_batch
from tests.server.conftest import Till, add_terminal, guest_payload


def pull_all(till: Till, cursor: int = 0, limit: int = 7) -> tuple[list[dict[str, Any]], int]:
    seen: list[dict[str, Any]] = []
    while True:
        response = till.client.get(
            f"/v1/changes?cursor={cursor}&limit={limit}", headers=till.headers
        )
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["changes"]) <= limit
        seen.extend(page["changes"])
        assert page["next_cursor"] >= cursor
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return seen, cursor


def test_guests_and_identifiers_come_through_in_pages_in_order(till: Till) -> None:
    ops = [till.op("guest.created", guest_payload(f"g{i:02}", f"Guest {i}")) for i in range(16)]
    ops.append(till.op("identifier.bound", {"guest_id": "g03", "medium": "card",
                                            "method": "barcode", "value": "2000001"}))
    till.push_ok(*ops)

    changes, cursor = pull_all(till)
    assert [c["id"] for c in changes] == list(range(1, 18))
    assert [c["entity_id"] for c in changes[:16]] == [f"g{i:02}" for i in range(16)]
    assert changes[0]["data"] == {"guest_id": "g00", "name": "Guest 0", "phone": "+79121234567"}
    assert changes[16]["entity"] == "identifier"
    assert changes[16]["data"]["guest_id"] == "g03"
    assert cursor == 17

    till.push_ok(till.op("guest.created", guest_payload("late")))
    delta, cursor = pull_all(till, cursor)
    assert [(c["id"], c["entity_id"]) for c in delta] == [(18, "late")]
    assert cursor == 18
    empty, same = pull_all(till, cursor)
    assert (empty, same) == ([], 18)


def test_rejected_and_conflicting_ops_write_no_change(till: Till) -> None:
    till.push_ok(
        till.op("guest.created", guest_payload("g1")),
        till.op("guest.created", guest_payload("g1")),  # conflict
        till.op("identifier.bound", {"guest_id": "ghost", "medium": "card", "method": "msr",
                                     "value": "1"}),  # rejected
    )
    changes, _ = pull_all(till)
    assert [c["entity_id"] for c in changes] == ["g1"]


def test_page_size_is_capped_by_the_server(till: Till) -> None:
    till.push_ok(*[till.op("guest.created", guest_payload()) for _ in range(25)])
    response = till.client.get("/v1/changes?limit=1000", headers=till.headers)
    page = response.json()
    assert len(page["changes"]) == 20  # settings.max_page in the fixture
    assert page["has_more"] is True
    assert page["next_cursor"] == 20


def test_concurrent_writers_never_let_a_cursor_skip_a_change(
    client: TestClient, db_url: str
) -> None:
    """Readers paging while 4 terminals write must still see every id exactly once, in order."""
    engine = make_engine(db_url)
    sessions = make_sessions(engine)
    ids = [add_terminal(db_url, f"T{n}").terminal_id for n in range(4)]
    per_terminal = 15

    def write(terminal_id: str) -> None:
        for seq in range(1, per_terminal + 1):
            op = Operation(op_id=uuid.uuid4(), terminal_id=terminal_id, seq=seq,
                           created_at=datetime.now(UTC), kind="guest.created",
                           payload=guest_payload())
            apply_batch(sessions, terminal_id, check_batch([op]), lambda: datetime.now(UTC))

    writers = [threading.Thread(target=write, args=(tid,)) for tid in ids]
    for writer in writers:
        writer.start()
    seen: list[int] = []
    cursor = 0
    while True:
        writers_finished = not any(writer.is_alive() for writer in writers)
        with sessions() as session:
            page = read_changes(session, cursor, 5)
        seen.extend(change.id for change in page.changes)
        cursor = page.next_cursor
        if writers_finished and not page.has_more:
            break
    engine.dispose()
    assert seen == list(range(1, 4 * per_terminal + 1))
