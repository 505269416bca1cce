"""``/v1/guests/{id}/cabinet-credentials``: the till's guest card sets a guest's cabinet login
and password on the server (issue 19 point 1). A terminal token and a staff member allowed to
edit guest cards are needed; an unknown guest is 404, a login another guest has is 409; a
random password comes back once (and never again: the GET shows the login only); the change
is in the guest's audit with the staff member; "send" puts the SMS into the outbox; the
credentials then open the cabinet."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, select

from pos_server.cabinet_web import accounts
from pos_server.db import make_engine
from pos_server.db.models_notify import NotificationRow
from pos_server.uow import unit_of_work
from pos_server.web import sessions
from tests.server.conftest import Till, add_staff_member, guest_payload


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    made = make_engine(db_url)
    yield made
    made.dispose()


def new_guest(till: Till, guest_id: str, phone: str | None = "+79121234567") -> str:
    till.push_ok(till.op("guest.created", {**guest_payload(guest_id, guest_id.title()),
                                           "phone": phone}))  # fmt: skip
    return guest_id


def post(till: Till, guest_id: str, headers: dict[str, str] | None = None, **body: Any) -> Any:
    return till.client.post(f"/v1/guests/{guest_id}/cabinet-credentials",
                            json={"staff_id": "olga", **body},
                            headers=till.headers if headers is None else headers)  # fmt: skip


def outbox(engine: Engine) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        rows = connection.execute(select(NotificationRow.recipient, NotificationRow.text)
                                  .order_by(NotificationRow.id))  # fmt: skip
        return [(r.recipient, r.text) for r in rows]


def test_a_random_password_once_audited_and_it_opens_the_cabinet(
    till: Till, db_url: str, engine: Engine
) -> None:
    add_staff_member(db_url, "olga")
    anna = new_guest(till, "anna")
    got = till.client.get(f"/v1/guests/{anna}/cabinet-credentials", headers=till.headers)
    assert got.json() == {"login": None, "sms_phone": "+79121234567"}
    response = post(till, anna, login="Anna_K")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["login"] == "anna_k" and body["sent"] is False
    password = body["password"]
    assert isinstance(password, str) and len(password) == 10
    again = till.client.get(f"/v1/guests/{anna}/cabinet-credentials", headers=till.headers)
    assert again.json() == {"login": "anna_k", "sms_phone": "+79121234567"}
    assert password not in again.text
    assert outbox(engine) == []  # not asked to send
    with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
        rows = [r for r in uow.guest_cards.audit_rows(anna) if r.action.startswith("cabinet")]
        assert uow.guest_cards.load(anna) is not None
        uow.guest_cards.write(anna, {"registration_skipped": True}, uow.now)
    assert [(r.action, r.after, r.staff_id) for r in rows] == [
        ("cabinet.credentials", "anna_k", "olga")
    ]
    assert all(password not in str(r.after) + str(r.before) for r in rows)
    with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
        signed = accounts.sign_in(uow, "anna_k", password, "10.0.0.9", sessions.Lifetimes())
    assert isinstance(signed, accounts.SignedIn) and signed.guest_id == anna


def test_send_puts_the_sms_in_the_outbox_and_returns_no_password(
    till: Till, db_url: str, engine: Engine
) -> None:
    add_staff_member(db_url, "olga")
    anna = new_guest(till, "anna")
    body = post(till, anna, login="anna", send=True).json()
    assert body == {"login": "anna", "password": None, "sent": True}
    [(phone, text)] = outbox(engine)
    assert phone == "+79121234567" and "anna" in text
    typed = post(till, anna, login="anna", password="a typed password").json()
    assert typed == {"login": "anna", "password": None, "sent": False}
    nophone = new_guest(till, "boris", phone=None)
    body = post(till, nophone, login="boris", send=True).json()
    assert body["sent"] is False and len(body["password"]) == 10  # no phone: said, not sent
    assert len(outbox(engine)) == 1


def test_refusals(till: Till, db_url: str) -> None:
    add_staff_member(db_url, "olga")
    add_staff_member(db_url, "gone", active=False)
    anna, boris = new_guest(till, "anna"), new_guest(till, "boris", "+79127654321")
    assert post(till, anna, login="anna").status_code == 200
    no_token = post(till, boris, headers={}, login="boris")
    assert no_token.status_code == 401
    forged = post(till, boris, headers={"Authorization": "Bearer forged"}, login="boris")
    assert forged.status_code == 401
    assert till.client.get(f"/v1/guests/{boris}/cabinet-credentials").status_code == 401
    unknown = post(till, "nobody", login="nobody")
    assert unknown.status_code == 404, unknown.text
    assert till.client.get("/v1/guests/nobody/cabinet-credentials",
                           headers=till.headers).status_code == 404  # fmt: skip
    taken = post(till, boris, login="ANNA")
    assert taken.status_code == 409 and taken.json()["detail"] == "This login is taken."
    short = post(till, boris, login="boris", password="short")
    assert short.status_code == 400 and "8 to 128" in short.json()["detail"]
    assert post(till, boris, login="b!").status_code == 400
    stranger = till.client.post(f"/v1/guests/{boris}/cabinet-credentials",
                                json={"staff_id": "gone", "login": "boris"},
                                headers=till.headers)  # fmt: skip
    assert stranger.status_code == 403
    still = till.client.get(f"/v1/guests/{boris}/cabinet-credentials", headers=till.headers)
    assert still.json()["login"] is None  # every refusal left the guest without a login
