"""``GET /v1/guests/by-phone``: the server's verdict on a new guest's phone for the till (a
guest made on another till may not have reached it yet): its owner by phone or contact, in any
format; nobody; a number that is not one; a terminal token needed."""

from __future__ import annotations

from typing import Any

from tests.server.conftest import Till, guest_payload


def owner(till: Till, phone: str) -> Any:
    return till.client.get("/v1/guests/by-phone", params={"phone": phone}, headers=till.headers)


def test_the_owner_of_a_phone_in_any_format(till: Till) -> None:
    till.push_ok(till.op("guest.created", {**guest_payload("anna", "Anna"),
                                           "phone": "+79121234567"}))  # fmt: skip
    response = owner(till, "8 (912) 123-45-67")
    assert response.status_code == 200, response.text
    assert response.json() == {"phone": "+79121234567", "guest_id": "anna", "name": "Anna"}
    assert owner(till, "+7 900 000 00 00").json()["guest_id"] is None
    assert owner(till, "12").status_code == 422
    assert till.client.get("/v1/guests/by-phone", params={"phone": "+79121234567"}
                           ).status_code == 401  # fmt: skip
