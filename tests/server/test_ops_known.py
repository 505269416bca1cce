"""``POST /v1/ops/known``: which operations the server has judged, read-only (a till restored
from an older backup asks it before renumbering its queue)."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from tests.server.conftest import Till, enrol, guest_payload, sale_payload


def known(till: Till, *ops: dict[str, object]) -> dict[str, object]:
    response = till.client.post("/v1/ops/known", json={"operations": list(ops)},
                                headers=till.headers)  # fmt: skip
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def test_known_operations_come_with_their_stored_verdicts_and_nothing_is_written(
    client: TestClient, db_url: str, till: Till
) -> None:
    guest = till.op("guest.created", guest_payload())
    bad = till.op("guest.created", {"guest_id": "x", "name": "Ann", "phone": "12"})
    sale = till.op("sale.closed", sale_payload(receipt_no="T1-000007"))
    till.push_ok(guest, bad, sale)
    changed = {**guest, "payload": guest_payload(name="Someone else")}
    unknown = till.op("guest.created", guest_payload())
    body = known(till, changed, bad, unknown)
    assert body["last_seq"] == 3 and body["last_receipt_no"] == "T1-000007"
    answers = {k["op_id"]: k for k in body["known"]}  # type: ignore[attr-defined]
    assert set(answers) == {guest["op_id"], bad["op_id"]}  # the unknown one is not listed
    assert answers[guest["op_id"]]["same_payload"] is False  # same op_id, another payload
    assert (answers[bad["op_id"]]["same_payload"], answers[bad["op_id"]]["status"],
            answers[bad["op_id"]]["reason"]) == (True, "rejected", "invalid_phone")  # fmt: skip
    assert answers[bad["op_id"]]["seq"] == 2
    assert known(till, unknown)["last_seq"] == 3  # asking wrote nothing
    assert till.push_ok(unknown)["results"][0]["status"] == "applied"
    assert known(till)["known"] == []


def test_another_terminals_operations_and_no_token_are_refused(
    client: TestClient, db_url: str, till: Till
) -> None:
    other = enrol(client, db_url, "Till 2")
    op = other.op("guest.created", guest_payload())
    response = client.post("/v1/ops/known", json={"operations": [op]}, headers=till.headers)
    assert response.status_code == 403
    response = client.post("/v1/ops/known", json={"operations": []})
    assert response.status_code == 401
    many = [till.op("guest.created", guest_payload(), op_id=str(uuid.uuid4()))
            for _ in range(51)]  # the settings' max_batch is 50
    response = client.post("/v1/ops/known", json={"operations": many}, headers=till.headers)
    assert response.status_code == 413
