"""Bad input never hurts: a 4xx with a clear message, never a 500, never a partial write."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from pos_server.db.models import AppliedOperation, Guest
from tests.server.conftest import Till, guest_payload, sale_payload
from tests.server.test_ops import count


def line(**override: Any) -> dict[str, Any]:
    base = {"line_no": 1, "product_id": "tea", "name": "Tea", "quantity": 1,
            "unit_price": 100, "total": 100}
    return {**base, **override}


BAD_PAYLOADS = {
    "negative price": sale_payload(lines=[line(unit_price=-100, total=-100)], total=-100),
    "string amount": sale_payload(total="54000"),
    "bool quantity": sale_payload(lines=[line(quantity=True)]),
    "float amount": sale_payload(total=540.0),
    "absurd amount": sale_payload(total=10**15),
    "no lines": sale_payload(lines=[]),
    "unknown payment method": sale_payload(payments=[{"method": "iou", "amount": 54000}]),
    "naive closed_at": sale_payload(closed_at="2026-11-23T10:05:00"),
    "extra field": sale_payload(free_coffee=True),
}


@pytest.mark.parametrize("case", list(BAD_PAYLOADS))
def test_malformed_payload_fails_the_whole_batch_before_any_write(
    till: Till, db_url: str, case: str
) -> None:
    good = till.op("guest.created", guest_payload())
    bad = till.op("sale.closed", BAD_PAYLOADS[case])
    response = till.push(good, bad)
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert "nothing was applied" in detail["message"]
    assert detail["operations"][0]["index"] == 1
    assert detail["operations"][0]["op_id"] == bad["op_id"]
    assert count(db_url, Guest) == 0
    assert count(db_url, AppliedOperation) == 0


@pytest.mark.parametrize(
    "envelope",
    [
        {"seq": "1"},
        {"seq": 0},
        {"seq": -5},
        {"op_id": "not-a-uuid"},
        {"created_at": "yesterday"},
        {"created_at": "2026-11-23T10:00:00"},
        {"payload": [1, 2]},
        {"kind": ""},
    ],
)
def test_malformed_envelope_is_422(till: Till, db_url: str, envelope: dict[str, Any]) -> None:
    response = till.push({**till.op("guest.created", guest_payload()), **envelope})
    assert response.status_code == 422, response.text
    assert count(db_url, AppliedOperation) == 0


def test_broken_json_is_422(client: TestClient, till: Till) -> None:
    response = client.post(
        "/v1/ops", content=b'{"operations": [', headers={**till.headers,
                                                           "Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert "JSON" in response.text


@pytest.mark.parametrize("body", [None, [], {"ops": []}, {"operations": {}}, "text"])
def test_wrong_shaped_body_is_422(client: TestClient, till: Till, body: Any) -> None:
    response = client.post("/v1/ops", json=body, headers=till.headers)
    assert response.status_code == 422


def test_oversized_batch_is_413_with_the_limit_named(till: Till, db_url: str) -> None:
    ops = [till.op("guest.created", guest_payload()) for _ in range(51)]
    response = till.push(*ops)
    assert response.status_code == 413
    assert "at most 50 operations" in response.json()["detail"]
    assert count(db_url, Guest) == 0


def test_bad_cursor_and_limit_are_422(client: TestClient, till: Till) -> None:
    for query in ("cursor=-1", "cursor=abc", "limit=0", "limit=x"):
        assert client.get(f"/v1/changes?{query}", headers=till.headers).status_code == 422


def test_cursor_beyond_bigint_is_422_not_a_crash(client: TestClient, till: Till) -> None:
    # Found by the schemathesis run: SQLite's driver overflowed on a 10**30 cursor.
    response = client.get(f"/v1/changes?cursor={10**30}", headers=till.headers)
    assert response.status_code == 422
    top = client.get(f"/v1/changes?cursor={2**63 - 1}", headers=till.headers)
    assert top.status_code == 200 and top.json()["changes"] == []


def test_oversized_body_is_413_before_it_is_parsed(db_url: str) -> None:
    from pos_server.app import create_app
    from pos_server.settings import ServerSettings
    from tests.server.conftest import enrol

    settings = ServerSettings(database_url=db_url, max_body_bytes=4096)
    with TestClient(create_app(settings)) as client:
        till = enrol(client, db_url)
        big = till.op("guest.created", guest_payload(name="A" * 200) | {"pad": "x" * 5000})
        assert till.push(big).status_code == 413

        def chunks() -> Any:  # no Content-Length: the limit must count streamed bytes
            yield b'{"operations": ['
            for _ in range(100):
                yield b'{"op_id": "00000000-0000-0000-0000-000000000000"},'
            yield b"{}]}"

        response = client.post("/v1/ops", content=chunks(),
                               headers={**till.headers, "Content-Type": "application/json"})
        assert response.status_code == 413
        assert count(db_url, AppliedOperation) == 0
