"""The guest cabinet through HTTP (the app in-process): registration with the SMS code read
from the outbox, sign-in, the profile, the history; a guest trying to read or change another
guest's data; CSRF on every form; a closed cabinet; sign-out; languages. SQLite and
PostgreSQL."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from pos_server.cabinet_web import accounts
from pos_server.db import make_engine
from pos_server.db.models_notify import NotificationRow
from pos_server.uow import unit_of_work
from tests.server.conftest import Till, add_staff_member, guest_payload, sale_payload

PASSWORD = "good password 1"


def token_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None, html
    return found.group(1)


def new_guest(till: Till, name: str, phone: str) -> str:
    payload = {**guest_payload(None, name), "phone": phone}
    till.push_ok(till.op("guest.created", payload))
    return str(payload["guest_id"])


def credit(till: Till, guest_id: str, n: int, amount: int, reason: str, *,
           account: str = "money") -> None:  # fmt: skip
    till.push_ok(till.op("account.adjusted", {
        "adjustment_id": f"adj-{guest_id}-{n}", "guest_id": guest_id, "account": account,
        "direction": "credit", "amount": amount, "staff_id": "max", "reason": reason}))  # fmt: skip


def code_sent_to(db_url: str, phone: str) -> str:
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            text = connection.execute(select(NotificationRow.text).where(
                NotificationRow.recipient == phone).order_by(NotificationRow.id.desc())
            ).scalars().first()  # fmt: skip
    finally:
        engine.dispose()
    found = re.search(r"\d{6}", text or "")
    assert found is not None, text
    return found.group(0)


def credentials(db_url: str, guest_id: str, login: str) -> None:
    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
            uow.guest_cards.load(guest_id)  # makes the loyalty row a card write needs
            uow.guest_cards.write(guest_id, {"registration_skipped": True}, uow.now)
            accounts.set_credentials(uow, guest_id, login, PASSWORD)
    finally:
        engine.dispose()


def sign_in(client: TestClient, login: str, password: str = PASSWORD) -> Any:
    page = client.get("/cabinet/sign-in")
    return client.post("/cabinet/sign-in", data={"csrf_token": token_of(page.text),
                       "login": login, "password": password}, follow_redirects=False)  # fmt: skip


def test_register_by_sms_code_then_profile_and_history(till: Till, db_url: str) -> None:
    add_staff_member(db_url, "max", "manager")
    anna = new_guest(till, "Anna", "+79126660001")
    till.push_ok(till.op("sale.closed", sale_payload(anna)))
    credit(till, anna, 1, 150_000, "top-up at the bar")
    client = till.client
    assert client.get("/cabinet/profile", follow_redirects=False).headers["location"] == (
        "/cabinet/sign-in"
    )
    form = client.get("/cabinet/register")
    assert form.headers["content-security-policy"].startswith("default-src 'self'")
    sent = client.post("/cabinet/register", data={
        "csrf_token": token_of(form.text), "phone": "8 912 666-00-01", "login": "anna",
        "name": "Anna K.", "password": PASSWORD, "password_again": PASSWORD},
        follow_redirects=False)  # fmt: skip
    assert (sent.status_code, sent.headers["location"]) == (303, "/cabinet/register/confirm")
    page = client.get("/cabinet/register/confirm")
    assert "+7912•••0001" in page.text
    done = client.post("/cabinet/register/confirm", data={
        "csrf_token": token_of(page.text), "code": code_sent_to(db_url, "+79126660001")},
        follow_redirects=False)  # fmt: skip
    assert (done.status_code, done.headers["location"]) == (303, "/cabinet/profile")
    profile = client.get("/cabinet/profile")
    assert 'value="Anna"' in profile.text and "+79126660001" in profile.text
    saved = client.post("/cabinet/profile", data={
        "csrf_token": token_of(profile.text), "name": "Anna K", "birthday": "1991-02-03",
        "sex": "female", "email": ["anna@example.com", ""]}, follow_redirects=False)  # fmt: skip
    assert saved.status_code == 303
    assert 'value="anna@example.com"' in client.get("/cabinet/profile").text
    sales = client.get("/cabinet/history", params={"section": "sales", "from": "2026-11-01",
                                                   "to": "2026-11-30"})  # fmt: skip
    assert "A-000001" in sales.text and "540,00" in sales.text
    money = client.get("/cabinet/history", params={"section": "money"})
    assert "top-up at the bar" in money.text
    assert re.search(r'id="closing">1\s500,00 ₽', money.text), money.text


def test_a_new_person_registers_in_russian_and_becomes_a_guest(till: Till, db_url: str) -> None:
    client = till.client
    client.get("/cabinet/language/ru", follow_redirects=False)
    form = client.get("/cabinet/register")
    assert "Ваше имя" in form.text
    data = {"csrf_token": token_of(form.text), "phone": "8 912 666-00-77", "login": "vera",
            "name": " ", "password": PASSWORD, "password_again": PASSWORD}  # fmt: skip
    nameless = client.post("/cabinet/register", data=data, follow_redirects=False)
    assert nameless.status_code == 400 and "Укажите ваше имя." in nameless.text
    sent = client.post("/cabinet/register", data={**data, "name": "Вера Новая"},
                       follow_redirects=False)  # fmt: skip
    assert (sent.status_code, sent.headers["location"]) == (303, "/cabinet/register/confirm")
    page = client.get("/cabinet/register/confirm")
    done = client.post("/cabinet/register/confirm", data={
        "csrf_token": token_of(page.text), "code": code_sent_to(db_url, "+79126660077")},
        follow_redirects=False)  # fmt: skip
    assert (done.status_code, done.headers["location"]) == (303, "/cabinet/profile")
    profile = client.get("/cabinet/profile")
    assert 'value="Вера Новая"' in profile.text and "+79126660077" in profile.text
    changes = client.get("/v1/changes", params={"cursor": 0, "limit": 1000},
                         headers=till.headers).json()["changes"]  # fmt: skip
    assert [c["data"]["name"] for c in changes if c["entity"] == "guest"
            and c["data"]["phone"] == "+79126660077"][-1] == "Вера Новая"  # fmt: skip


def test_a_guest_never_sees_or_changes_another_guests_data(till: Till, db_url: str) -> None:
    add_staff_member(db_url, "max", "manager")
    anna = new_guest(till, "Anna", "+79126660002")
    boris = new_guest(till, "Boris", "+79126660003")
    for n in range(3):
        credit(till, anna, n, 1_000 + n, f"anna gift {n}", account="points")
        credit(till, boris, n, 2_000 + n, f"boris gift {n}", account="points")
    credit(till, boris, 9, 99_900, "boris money")
    till.push_ok(till.op("sale.closed", sale_payload(boris, receipt_no="B-777777")))
    credentials(db_url, anna, "anna2")
    credentials(db_url, boris, "boris2")
    client = till.client
    assert sign_in(client, "anna2").status_code == 303
    pages = [client.get("/cabinet/history", params={"section": s, "from": "2020-01-01",
                                                    "guest_id": boris, "guest": boris})
             for s in ("sales", "money", "points")]  # fmt: skip
    pages += [client.get(f"/cabinet/history?section=points&before={n}") for n in range(1, 40)]
    pages += [client.get(f"/cabinet/profile?guest_id={boris}")]
    pages += [client.get(f"/cabinet/{path}/{boris}") for path in ("profile", "history")]
    for page in pages:
        assert "boris" not in page.text.lower() and "B-777777" not in page.text
        assert "99" + "\u00a0" + "900" not in page.text
    points = client.get("/cabinet/history", params={"section": "points"}).text
    assert all(f"anna gift {n}" in points for n in range(3))
    profile = client.get("/cabinet/profile").text
    changed = client.post("/cabinet/profile", data={
        "csrf_token": token_of(profile), "guest_id": boris, "name": "Hacked",
        "birthday": "", "sex": "", "email": []}, follow_redirects=False)  # fmt: skip
    assert changed.status_code == 303
    other = TestClient(client.app)
    assert sign_in(other, "boris2").status_code == 303
    assert 'value="Boris"' in other.get("/cabinet/profile").text  # untouched
    assert 'value="Hacked"' in client.get("/cabinet/profile").text  # the form changed Anna only
    other.close()


def test_every_form_needs_its_csrf_token(till: Till, db_url: str) -> None:
    anna = new_guest(till, "Anna", "+79126660004")
    credentials(db_url, anna, "anna4")
    client = till.client
    client.get("/cabinet/sign-in")
    no_token = client.post("/cabinet/sign-in", data={"login": "anna4", "password": PASSWORD})
    assert no_token.status_code == 403
    for path in ("/cabinet/register", "/cabinet/recover", "/cabinet/register/confirm"):
        assert client.post(path, data={"csrf_token": "forged"}).status_code == 403
    assert sign_in(client, "anna4").status_code == 303
    page = client.get("/cabinet/profile").text
    data = {"name": "Changed", "birthday": "", "sex": "", "email": []}
    assert client.post("/cabinet/profile", data=data).status_code == 403
    foreign = client.post("/cabinet/profile", data={**data, "csrf_token": token_of(page)},
                          headers={"Origin": "https://evil.example"})  # fmt: skip
    assert foreign.status_code == 403
    assert 'value="Anna"' in client.get("/cabinet/profile").text
    assert client.post("/cabinet/sign-out", data={}).status_code == 403


def test_sign_out_ends_the_session_and_a_closed_cabinet_refuses(till: Till, db_url: str) -> None:
    anna = new_guest(till, "Anna", "+79126660005")
    credentials(db_url, anna, "anna5")
    client = till.client
    assert sign_in(client, "anna5").status_code == 303
    cookie = client.cookies.get("pos_cabinet")
    page = client.get("/cabinet/profile").text
    out = client.post("/cabinet/sign-out", data={"csrf_token": token_of(page)},
                      follow_redirects=False)  # fmt: skip
    assert out.headers["location"] == "/cabinet/sign-in"
    replay = TestClient(client.app, cookies={"pos_cabinet": cookie or ""})
    assert replay.get("/cabinet/profile", follow_redirects=False).status_code == 303
    replay.close()
    assert sign_in(client, "anna5").status_code == 303
    engine = make_engine(db_url)
    with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
        uow.guest_cards.load(anna)
        uow.guest_cards.write(anna, {"cabinet_login_allowed": False}, uow.now)
    engine.dispose()
    assert client.get("/cabinet/profile", follow_redirects=False).status_code == 303
    refused = sign_in(client, "anna5")
    assert refused.status_code == 403 and "кабинет закрыт" in refused.text  # Russian: default
    wrong = sign_in(client, "anna5", "not the password")
    assert wrong.status_code == 401


def test_recovery_answers_the_same_and_languages(till: Till, db_url: str) -> None:
    anna = new_guest(till, "Anna", "+79126660006")
    credentials(db_url, anna, "anna6")
    client = till.client
    answers = []
    for asked in ("anna6", "nobody-at-all"):
        page = client.get("/cabinet/recover", headers={"Accept-Language": "en"})
        data = {"csrf_token": token_of(page.text), "login_or_email": asked}
        forged = {"Accept-Language": "en", "Host": "evil.example"}  # a phishing attempt too
        answer = client.post("/cabinet/recover", data=data, headers=forged)
        answers.append((answer.status_code, answer.text.replace(asked, "")))
    assert answers[0] == answers[1] and "a new password is on its way" in answers[0][1]
    engine = make_engine(db_url)
    with engine.connect() as connection:
        texts = connection.execute(select(NotificationRow.text).where(
            NotificationRow.recipient == "+79126660006")).scalars().all()  # fmt: skip
    engine.dispose()
    assert texts and not any("evil" in text for text in texts)  # no link from a forged Host
    ru = client.get("/cabinet/sign-in", headers={"Accept-Language": "ru"}).text
    assert "Вход в личный кабинет" in ru and "Забыли пароль?" in ru
    client.get("/cabinet/language/en?next=/cabinet/sign-in")
    assert "Sign in to your cabinet" in client.get("/cabinet/sign-in").text


def test_changing_the_password_signs_out_elsewhere(till: Till, db_url: str) -> None:
    anna = new_guest(till, "Anna", "+79126660007")
    credentials(db_url, anna, "anna7")
    client, elsewhere = till.client, TestClient(till.client.app)
    assert sign_in(client, "anna7").status_code == 303
    assert sign_in(elsewhere, "anna7").status_code == 303
    page = client.get("/cabinet/profile").text
    form = {"csrf_token": token_of(page), "current": "not it at all", "new": "a new password",
            "new_again": "a new password"}  # fmt: skip
    assert client.post("/cabinet/password", data=form).status_code == 400
    changed = client.post("/cabinet/password", data={**form, "current": PASSWORD},
                          follow_redirects=False)  # fmt: skip
    assert changed.status_code == 303
    assert client.get("/cabinet/profile", follow_redirects=False).status_code == 200
    assert elsewhere.get("/cabinet/profile", follow_redirects=False).status_code == 303
    assert sign_in(elsewhere, "anna7").status_code == 401
    assert sign_in(elsewhere, "anna7", "a new password").status_code == 303
    elsewhere.close()
