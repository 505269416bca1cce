"""The guest card's Cabinet tab in the back office (issue 19 point 1, issue 18 point 2): the
flags saved there (and no longer by the main form), a login with a random password shown once
(never again), the credentials by SMS with the cabinet's public address (the configured
``public_url``, not the request's host), a taken login and a bad password said on the form,
a card without a mobile phone said so; audited with the signed-in member."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from pos_server.app import create_app
from pos_server.cabinet_web import accounts
from pos_server.db import make_engine, make_sessions
from pos_server.db.models import Guest
from pos_server.db.models_notify import NotificationRow
from pos_server.settings import ServerSettings
from pos_server.uow import unit_of_work
from pos_server.web import sessions
from tests.web.guests_seed import add_guests
from tests.web.test_backoffice_pages import db_url, sign_in, token_of  # noqa: F401

PUBLIC = "https://venue.example"


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:  # noqa: F811
    settings = ServerSettings(database_url=db_url, public_url=PUBLIC)
    with TestClient(create_app(settings), base_url="http://forged.example") as test_client:
        yield test_client


def once(html: str) -> str | None:
    found = re.search(r'id="cabinet-password-once">([^<]+)<', html)
    return found.group(1) if found else None


def test_flags_and_a_random_password_shown_once(client: TestClient, db_url: str) -> None:  # noqa: F811
    add_guests(db_url)
    sign_in(client, "boss")
    client.get("/admin/language/en?next=/admin")
    card = client.get("/admin/guests/anna").text
    assert 'id="cabinet"' in card and "No cabinet login yet." in card
    assert 'id="cabinet-send"' in card and "+79121234567" in card
    token = token_of(card)
    saved = client.post("/admin/guests/anna/cabinet", data={
        "csrf_token": token, "cabinet_login_allowed": "on", "registration_skipped": "on"},
        follow_redirects=False)  # fmt: skip
    assert saved.status_code == 303
    # the main form no longer touches the flags
    assert client.post("/admin/guests/anna", data={"csrf_token": token, "name": "Anna P."},
                       follow_redirects=False).status_code == 303  # fmt: skip
    engine = make_engine(db_url)
    with make_sessions(engine)() as session:
        row = session.get_one(Guest, "anna")
        assert (row.cabinet_login_allowed, row.ordering_allowed, row.registration_skipped) == (
            True, False, True)  # fmt: skip
    answer = client.post("/admin/guests/anna/cabinet/credentials", data={
        "csrf_token": token, "login": "Anna.P", "random": "on"})  # fmt: skip
    assert answer.status_code == 200, answer.text
    password = once(answer.text)
    assert password is not None and len(password) == 10
    assert "shown only now" in answer.text
    later = client.get("/admin/guests/anna").text
    assert once(later) is None and password not in later
    assert 'id="cabinet-login-now">anna.p<' in later
    with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
        signed = accounts.sign_in(uow, "anna.p", password, "10.1.1.1", sessions.Lifetimes())
        audit = [(r.action, r.after, r.staff_id) for r in uow.guest_cards.audit_rows("anna")
                 if r.action == "cabinet.credentials"]  # fmt: skip
        [boss] = uow.staff.active_by_name("Boss")
    engine.dispose()
    assert isinstance(signed, accounts.SignedIn)
    assert len(audit) == 1 and audit[0][:2] == ("cabinet.credentials", "anna.p")
    assert audit[0][2] == boss.id


def test_sent_by_sms_refusals_and_no_phone(client: TestClient, db_url: str) -> None:  # noqa: F811
    add_guests(db_url)
    sign_in(client, "boss")
    client.get("/admin/language/en?next=/admin")
    token = token_of(client.get("/admin/guests/anna").text)
    sent = client.post("/admin/guests/anna/cabinet/credentials", data={
        "csrf_token": token, "login": "anna", "random": "on", "send": "on"})  # fmt: skip
    assert sent.status_code == 200 and "sent by SMS" in sent.text
    assert once(sent.text) is None  # it went by SMS: not shown
    engine = make_engine(db_url)
    with make_sessions(engine)() as session:
        [sms] = session.scalars(select(NotificationRow)).all()
    engine.dispose()
    assert sms.recipient == "+79121234567" and "anna" in sms.text
    assert f"{PUBLIC}/cabinet" in sms.text and "forged.example" not in sms.text
    boris = client.get("/admin/guests/boris").text
    assert 'id="cabinet-no-phone"' in boris and 'id="cabinet-send"' not in boris
    taken = client.post("/admin/guests/boris/cabinet/credentials", data={
        "csrf_token": token, "login": "ANNA", "random": "on"})  # fmt: skip
    assert taken.status_code == 409 and "This login is taken." in taken.text
    assert 'value="ANNA"' in taken.text  # the form keeps what was typed
    short = client.post("/admin/guests/boris/cabinet/credentials", data={
        "csrf_token": token, "login": "boris", "password": "short"})  # fmt: skip
    assert short.status_code == 400 and "8 to 128 characters" in short.text
    empty = client.post("/admin/guests/boris/cabinet/credentials", data={
        "csrf_token": token, "login": "boris", "password": ""})  # fmt: skip
    assert empty.status_code == 400 and "choose a random one" in empty.text
    typed = client.post("/admin/guests/boris/cabinet/credentials", data={
        "csrf_token": token, "login": "boris", "password": "a typed password"})  # fmt: skip
    assert typed.status_code == 200 and "are set" in typed.text and once(typed.text) is None
    unknown = client.post("/admin/guests/nobody/cabinet/credentials", data={
        "csrf_token": token, "login": "nobody", "random": "on"})  # fmt: skip
    assert unknown.status_code == 404
    forged = client.post("/admin/guests/boris/cabinet/credentials", data={
        "csrf_token": "forged", "login": "boris2", "random": "on"})  # fmt: skip
    assert forged.status_code in (400, 403)
    assert 'id="cabinet-login-now">boris<' in client.get("/admin/guests/boris").text


def test_in_russian(client: TestClient, db_url: str) -> None:  # noqa: F811
    add_guests(db_url)
    sign_in(client, "boss")
    card = client.get("/admin/language/ru?next=/admin/guests/anna").text
    assert "Кабинет" in card and "Случайный пароль" in card
    taken = client.post("/admin/guests/boris/cabinet/credentials", data={
        "csrf_token": token_of(card), "login": "x", "random": "on"})  # fmt: skip
    assert taken.status_code == 400 and "В логине от 3 до 64 символов" in taken.text
