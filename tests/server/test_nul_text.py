"""A NUL character in any text is a clear 422 on every database, never a 500 from PostgreSQL
(which cannot store NUL in text or jsonb) and never a partial write."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from pos_server.http.nul_guard import holds_nul

from .conftest import Till, guest_payload


def test_a_nul_in_an_operation_is_refused_whole_and_nothing_is_applied(till: Till) -> None:
    good = till.op("guest.created", guest_payload("anna"))
    bad = till.op("guest.created", guest_payload("bo\x00b"))
    response = till.push(good, bad)
    assert response.status_code == 422, response.text
    assert "NUL" in response.json()["detail"][0]["msg"]
    till.seq = 0  # nothing was judged: the same seqs go again
    fixed = till.push_ok(till.op("guest.created", guest_payload("anna")))
    assert [r["status"] for r in fixed["results"]] == ["applied"]


def test_a_nul_in_a_guest_order_note_is_refused(client: TestClient, till: Till) -> None:
    till.push_ok(till.op("guest.created", guest_payload("anna")))
    order = {"guest_id": "anna", "method": "cash", "note": "table\x004",
             "lines": [{"product_id": "latte", "name": "Latte", "quantity": 1,
                        "unit_price": 25000}]}  # fmt: skip
    response = client.post("/v1/orders", json=order, headers=till.headers)
    assert response.status_code == 422 and "NUL" in response.text


def test_only_an_unescaped_nul_counts() -> None:
    assert holds_nul(json.dumps({"a": "x\x00"}).encode())
    assert holds_nul(b'{"a": "\\U0000"}')
    assert not holds_nul(json.dumps({"a": "a backslash then u0000: \\u0000"}).encode())
    assert not holds_nul(json.dumps({"a": "plain"}).encode())
