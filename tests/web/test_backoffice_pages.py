"""The back office's pages through HTTP (the app in-process): sign-in, CSRF on every form,
403 without the section's permission, sign-out, languages and the security headers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from pos_server.app import create_app
from pos_server.db import make_engine, upgrade
from pos_server.settings import ServerSettings
from pos_server.staff import permissions as perms
from pos_server.staff import service as staff
from pos_server.uow import unit_of_work

PASSWORD = "correct horse battery"


@pytest.fixture
def db_url(tmp_path: object) -> str:
    url = f"sqlite:///{tmp_path}/server.sqlite3"
    upgrade(url)
    engine = make_engine(url)
    with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
        boss = staff.add_staff(uow, "Boss", "admin", "482913")
        staff.set_password(uow, boss.id, PASSWORD)
        ira = staff.add_staff(uow, "Ira", "cashier", "1234")
        staff.set_password(uow, ira.id, PASSWORD)
        perms.set_permissions(uow, ira.id, {"terminals"})
    engine.dispose()
    return url


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(ServerSettings(database_url=db_url))) as test_client:
        yield test_client


def token_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None, html
    return found.group(1)


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> tuple[int, str]:
    page = client.get("/admin/sign-in")
    answer = client.post("/admin/sign-in", data={"csrf_token": token_of(page.text),
                         "name": name, "password": password, "next": "/admin"},
                         follow_redirects=False)  # fmt: skip
    return answer.status_code, answer.text


def test_pages_need_a_session_and_sign_in_sets_one(client: TestClient) -> None:
    first = client.get("/admin/terminals", follow_redirects=False)
    assert first.status_code == 303
    assert first.headers["location"] == "/admin/sign-in?next=/admin/terminals"
    htmx = client.get("/admin/terminals", headers={"HX-Request": "true"})
    assert htmx.headers["HX-Redirect"].startswith("/admin/sign-in")
    status, body = sign_in(client, "boss", "not the password")
    assert status == 401 and "Неверное имя или пароль." in body
    again = client.post(
        "/admin/sign-in?next=/admin/staff",
        data={
            "csrf_token": token_of(body),
            "name": "boss",
            "password": "wrong again",
            "next": "/x",
        },
    )
    assert again.status_code == 401 and 'name="next" value="/admin"' in again.text
    assert sign_in(client, "boss")[0] == 303
    cookie = next(c for c in client.cookies.jar if c.name == "pos_admin")
    assert cookie.path == "/admin" and cookie.has_nonstandard_attr("HttpOnly")
    page = client.get("/admin/terminals")
    assert page.status_code == 200 and "Терминалы" in page.text


def test_a_form_without_the_sessions_token_or_from_another_site_is_refused(
    client: TestClient,
) -> None:
    assert client.post("/admin/sign-in", data={"name": "boss", "password": PASSWORD},
                       follow_redirects=False).status_code == 403  # fmt: skip
    sign_in(client, "boss")
    token = token_of(client.get("/admin/terminals").text)
    assert client.post("/admin/terminals", data={"name": "Till"}).status_code == 403
    assert client.post("/admin/terminals", data={"name": "Till", "csrf_token": token + "x"}
                       ).status_code == 403  # fmt: skip
    evil = client.post("/admin/terminals", data={"name": "Till", "csrf_token": token},
                       headers={"Origin": "https://evil.example"})  # fmt: skip
    assert evil.status_code == 403 and "Форма устарела" in evil.text
    assert "<td>Till<br>" not in client.get("/admin/terminals").text
    added = client.post("/admin/terminals", data={"name": "Till", "csrf_token": token},
                        headers={"X-CSRF-Token": token})  # fmt: skip
    assert added.status_code == 200 and 'id="enrolment-code"' in added.text


def test_a_section_without_its_permission_answers_403_with_a_plain_page(
    client: TestClient,
) -> None:
    sign_in(client, "ira")
    assert client.get("/admin/terminals").status_code == 200
    for path in ("/admin/staff", "/admin/groups", "/admin/groups/new", "/admin/audit"):
        refused = client.get(path)
        assert refused.status_code == 403, path
        assert "Нет доступа" in refused.text
    home = client.get("/admin").text
    assert 'href="/admin/terminals"' in home and 'href="/admin/staff"' not in home
    token = token_of(client.get("/admin/terminals").text)
    assert client.post("/admin/staff/new", data={"csrf_token": token, "name": "X",
                       "role": "admin", "pin": "123456"}).status_code == 403  # fmt: skip


def test_sign_out_ends_the_session_on_the_server(client: TestClient) -> None:
    sign_in(client, "boss")
    stolen = client.cookies.get("pos_admin", path="/admin")
    token = token_of(client.get("/admin").text)
    assert client.post("/admin/sign-out", data={"csrf_token": token},
                       follow_redirects=False).status_code == 303  # fmt: skip
    client.cookies.set("pos_admin", stolen or "", path="/admin")  # the old cookie, replayed
    assert client.get("/admin", follow_redirects=False).status_code == 303


def test_language_switch_and_security_headers(client: TestClient) -> None:
    page = client.get("/admin/sign-in")
    assert "Вход в бэк-офис" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY" and page.headers["cache-control"] == "no-store"
    english = client.get("/admin/language/en?next=/admin/sign-in")
    assert "Sign in to the back office" in english.text
    assert client.get("/admin/language/ru?next=//evil.example",
                      follow_redirects=False).headers["location"] == "/admin"  # fmt: skip
    htmx = client.get("/web/static/htmx.min.js")
    assert htmx.status_code == 200 and b"htmx" in htmx.content[:200]


def test_staff_page_adds_a_member_with_permissions_and_a_group_is_edited(
    client: TestClient,
) -> None:
    sign_in(client, "boss")
    token = token_of(client.get("/admin/staff/new").text)
    added = client.post("/admin/staff/new", data={
        "csrf_token": token, "name": "Mia", "role": "manager", "pin": "246810",
        "permission": ["guests", "reports"]}, follow_redirects=False)  # fmt: skip
    assert added.status_code == 303
    member = client.get(added.headers["location"]).text
    assert 'value="reports" id="perm-reports" checked' in member
    short = client.post(added.headers["location"].split("?")[0], data={
        "csrf_token": token, "name": "Mia", "role": "manager", "pin": "1234"})  # fmt: skip
    assert short.status_code == 400 and "PIN-код менеджера — от 6 до 8 цифр." in short.text
    made = client.post("/admin/groups/new", data={"csrf_token": token, "id": "g5", "name": "5 %",
                       "discount": "5", "spend_threshold": "500", "active": "on"},
                       follow_redirects=False)  # fmt: skip
    assert made.status_code == 303
    edited = client.post("/admin/groups/g5", data={"csrf_token": token, "name": "7,5 %",
                         "discount": "7,5", "spend_threshold": "1 000", "active": "on"},
                         follow_redirects=False)  # fmt: skip
    assert edited.status_code == 303
    listed = client.get("/admin/groups").text
    assert "7,5 %" in listed and "<td>7.5</td>" in listed
    audit = client.get("/admin/audit").text
    assert "group.save" in audit and "staff.permissions" in audit and "Boss" in audit


def test_a_nul_character_in_a_form_is_refused_before_it_reaches_the_database(
    client: TestClient,
) -> None:
    sign_in(client, "boss")
    token = token_of(client.get("/admin/terminals").text)
    refused = client.post("/admin/terminals", data={"name": "Bar\x00", "csrf_token": token})
    assert refused.status_code == 400 and "NUL" in refused.text
