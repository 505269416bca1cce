"""Two of issue 16's small defects: JSON nested too deeply is a 422 like any malformed JSON
(it was FastAPI's 400), and an operation of an unknown kind is not stored whole (only its first
4 KiB and its size, the hash covering all of it), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from pos_server.db import make_engine, make_sessions
from pos_server.db.models import AppliedOperation
from pos_server.ops.pipeline import UNKNOWN_KEPT_BYTES
from tests.server.conftest import Till

DEEP = "[" * 1_000 + "]" * 1_000


def test_json_nested_a_thousand_deep_is_a_422_not_a_400(client: TestClient, till: Till) -> None:
    op = till.op("guest.created", {"guest_id": "anna", "name": "Anna"})
    text = json.dumps({"operations": [op]}).replace('"name": "Anna"', f'"name": {DEEP}')
    for path, body in (("/v1/ops", text), ("/v1/orders", f'{{"guest_id": {DEEP}}}')):
        answer = client.post(path, content=body, headers={**till.headers,
                                                          "Content-Type": "application/json"})
        assert answer.status_code == 422, (path, answer.text)
        [error] = answer.json()["detail"]
        assert (error["type"], error["loc"]) == ("json_invalid", ["body"])
        assert "[[[" not in answer.text


def test_malformed_json_keeps_its_422(client: TestClient, till: Till) -> None:
    answer = client.post("/v1/ops", content='{"operations": [', headers={
        **till.headers, "Content-Type": "application/json"})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["type"] == "json_invalid"


def _stored(db_url: str, op_id: str) -> dict[str, Any]:
    engine = make_engine(db_url)
    try:
        with make_sessions(engine)() as session:
            row = session.scalars(select(AppliedOperation)
                                  .where(AppliedOperation.op_id == op_id)).one()  # fmt: skip
            return dict(row.payload)
    finally:
        engine.dispose()


def test_an_unknown_kind_is_stored_as_its_first_4_kib_and_its_hash(
    till: Till, db_url: str
) -> None:
    payload = {"blob": "ж" * 20_000, "n": 1}
    op = till.op("gift.card.sold", payload)
    [result] = till.push_ok(op)["results"]
    assert (result["status"], result["reason"]) == ("rejected", "unknown_kind")
    stored = _stored(db_url, op["op_id"])
    size = len(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode())
    assert stored["unknown_kind"] and stored["truncated"] and stored["bytes"] == size
    assert len(stored["head"].encode()) <= UNKNOWN_KEPT_BYTES
    assert stored["head"].startswith('{"blob":"жжж')
    [again] = till.push_ok(op)["results"]  # the same operation once more: its stored verdict
    assert again["replayed"] and again["reason"] == "unknown_kind"
    changed = {**op, "payload": {**payload, "n": 2}}
    [reused] = till.push_ok(changed)["results"]  # the hash covers what was not stored
    assert (reused["status"], reused["reason"]) == ("refused", "op_id_reused")


def test_a_small_unknown_payload_is_kept_whole_in_its_head(till: Till, db_url: str) -> None:
    op = till.op("gift.card.sold", {"card": "G-1"})
    till.push_ok(op)
    stored = _stored(db_url, op["op_id"])
    assert stored == {"unknown_kind": True, "bytes": len('{"card":"G-1"}'),
                      "head": '{"card":"G-1"}'}  # fmt: skip
