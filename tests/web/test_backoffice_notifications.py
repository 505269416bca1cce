"""The back office's messages page (issue 21 point 1): waiting and failed messages to guests,
their recipients masked, filtered by status; retry one or all failed, audited; the guests
permission and the form's CSRF token required."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from pos_server.app import create_app
from pos_server.db import make_engine, upgrade
from pos_server.db.models_notify import NotificationRow
from pos_server.repositories.notifications import FAILED, SMS, TELEGRAM
from pos_server.settings import ServerSettings
from pos_server.staff import permissions as perms
from pos_server.staff import service as staff
from pos_server.uow import unit_of_work
from tests.web.test_backoffice_pages import PASSWORD, sign_in, token_of


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
        outbox = uow.notifications
        outbox.enqueue(SMS, "+79991234567", "signup_code", "k1", "code 1111", guest_id="g1")
        outbox.enqueue(TELEGRAM, "987654321", "cashback", "k2", "+50", guest_id="g2")
        outbox.enqueue(TELEGRAM, None, "card", "k3", "your card", guest_id="g3", held=True)
        outbox.enqueue(TELEGRAM, "555000111", "cashback", "k4", "+10", guest_id="g4")
        uow.connection.execute(update(NotificationRow).where(
            NotificationRow.idempotency_key.in_(["k1", "k2"])).values(
            status=FAILED, attempts=8, last_error="SMS.ru 202: bad number"))  # fmt: skip
        uow.connection.execute(update(NotificationRow).where(
            NotificationRow.idempotency_key == "k4").values(status="sent"))  # fmt: skip
    engine.dispose()
    return url


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(ServerSettings(database_url=db_url))) as test_client:
        yield test_client


def _ids(db_url: str) -> dict[str, tuple[int, str, int]]:
    engine = make_engine(db_url)
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                NotificationRow.idempotency_key,
                NotificationRow.id,
                NotificationRow.status,
                NotificationRow.attempts,
            )
        )
        found = {key: (id_, status, attempts) for key, id_, status, attempts in rows}
    engine.dispose()
    return found


def test_the_page_lists_waiting_and_failed_messages_masked_and_filters(
    client: TestClient, db_url: str
) -> None:
    sign_in(client, "boss")
    page = client.get("/admin/notifications")
    assert page.status_code == 200 and "Сообщения гостям" in page.text
    ids = _ids(db_url)
    for key in ("k1", "k2", "k3"):
        assert f'id="message-{ids[key][0]}"' in page.text
    assert f'id="message-{ids["k4"][0]}"' not in page.text  # sent: nothing to do
    assert "…4567" in page.text and "+79991234567" not in page.text
    assert "98…21" in page.text and "987654321" not in page.text
    assert "code 1111" not in page.text  # the text may hold a secret
    assert "SMS.ru 202: bad number" in page.text and 'id="retry-all"' in page.text
    failed = client.get("/admin/notifications?status=failed").text
    assert f'id="message-{ids["k3"][0]}"' not in failed
    assert f'id="retry-{ids["k1"][0]}"' in failed
    waiting = client.get("/admin/notifications?status=waiting").text
    assert f'id="message-{ids["k3"][0]}"' in waiting
    assert f'id="message-{ids["k1"][0]}"' not in waiting and 'id="retry-all"' not in waiting
    client.cookies.set("pos_lang", "en")
    english = client.get("/admin/notifications").text
    assert "Messages to guests" in english and "Retry all failed" in english


def test_retry_one_and_all_failed_are_audited(client: TestClient, db_url: str) -> None:
    sign_in(client, "boss")
    token = token_of(client.get("/admin/notifications").text)
    ids = _ids(db_url)
    one = ids["k1"][0]
    answer = client.post(f"/admin/notifications/{one}/retry",
                         data={"csrf_token": token, "status": "failed"},
                         headers={"HX-Request": "true"})  # fmt: skip
    assert answer.status_code == 200 and f'id="message-{one}"' not in answer.text
    after = _ids(db_url)
    assert after["k1"][1:] == ("waiting", 0) and after["k2"][1] == FAILED
    again = client.post(f"/admin/notifications/{one}/retry", data={"csrf_token": token})
    assert again.status_code == 404
    everything = client.post("/admin/notifications/retry-failed", data={"csrf_token": token})
    assert everything.status_code == 200 and 'id="retry-all"' not in everything.text
    assert _ids(db_url)["k2"][1:] == ("waiting", 0)
    audit = client.get("/admin/audit").text
    assert f"notification:{one}" in audit and "notifications:failed" in audit


def test_without_the_guests_permission_or_the_forms_token_it_is_refused(
    client: TestClient, db_url: str
) -> None:
    one = _ids(db_url)["k1"][0]
    sign_in(client, "ira")
    assert client.get("/admin/notifications").status_code == 403
    token = token_of(client.get("/admin/terminals").text)
    assert client.post(f"/admin/notifications/{one}/retry",
                       data={"csrf_token": token}).status_code == 403  # fmt: skip
    assert 'href="/admin/notifications"' not in client.get("/admin").text
    client.post("/admin/sign-out", data={"csrf_token": token})
    sign_in(client, "boss")
    assert client.post(f"/admin/notifications/{one}/retry", data={}).status_code == 403
    token = token_of(client.get("/admin/notifications").text)
    evil = client.post("/admin/notifications/retry-failed", data={"csrf_token": token},
                       headers={"Origin": "https://evil.example"})  # fmt: skip
    assert evil.status_code == 403
    assert _ids(db_url)["k1"][1] == FAILED and _ids(db_url)["k2"][1] == FAILED
