"""The programme settings page (issue 18 point 4): a loyalty change saved in the back office
is what the server's rules read next, a venue change is published to the tills, a bad value is
refused with the reason and nothing saved, and each form needs its own permission."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import text

from pos_server.db import make_engine
from pos_server.programme.service import current
from pos_server.uow import unit_of_work
from tests.web.test_backoffice_pages import client, db_url, sign_in, token_of

__all__ = ["client", "db_url"]


def _programme(url: str) -> object:
    engine = make_engine(url)
    with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
        found = current(uow)
        feed = [uow.feed.record_at_version("programme", g, 2**62) for g in ("venue", "loyalty")]
        audit = uow.audit.newest(target="setting:loyalty.accrual_bp")
    engine.dispose()
    return found, feed, audit


def test_settings_are_saved_audited_published_and_refused_with_the_reason(
    client: TestClient, db_url: str
) -> None:
    assert sign_in(client, "boss")[0] == 303
    page = client.get("/admin/settings")
    assert page.status_code == 200 and "Настройки программы" in page.text
    token = token_of(page.text)
    loyalty = {"csrf_token": token, "accrual": "7,5", "max_redemption": "40",
               "hold_minutes": "90", "offline_allowance": "150", "daily_identification_limit": "",
               "daily_points_spend_limit": "", "reason": "autumn"}  # fmt: skip
    saved = client.post("/admin/settings/loyalty", data=loyalty, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    venue = {"csrf_token": token, "name": "Зерно", "address": "ул. Ленина, 1",
             "tax_number": "6671000001", "receipt_header": "Добро пожаловать!",
             "receipt_footer": "До встречи!", "timezone": "Europe/Moscow"}  # fmt: skip
    assert client.post("/admin/settings/venue", data=venue, follow_redirects=False
                       ).status_code == 303  # fmt: skip
    programme, feed, audit = _programme(db_url)  # type: ignore[misc]
    assert (programme.loyalty.accrual_bp, programme.loyalty.max_redemption_bp,
            programme.loyalty.hold_ttl_seconds, programme.loyalty.offline_allowance) == (
        750, 4_000, 5_400, 15_000)  # fmt: skip
    assert feed[0]["receipt_header"] == "Добро пожаловать!" and feed[1]["accrual_bp"] == 750
    assert audit[0].actor.startswith("web:") and audit[0].reason == "autumn"
    again = client.get("/admin/settings?saved=loyalty")
    assert 'value="7.5"' in again.text and "Сохранено." in again.text

    bad = client.post("/admin/settings/venue", data={**venue, "tax_number": "123"})
    assert bad.status_code == 400
    assert "venue.tax_number: a tax number (INN) is 10 or 12 digits" in bad.text
    assert 'value="123"' in bad.text  # what was typed stays in the form
    assert _programme(db_url)[0].venue.tax_number == "6671000001"  # type: ignore[index]
    text = client.post("/admin/settings/loyalty", data={**loyalty, "accrual": "lots"})
    assert text.status_code == 400 and "Начисление" in text.text
    forged = client.post("/admin/settings/loyalty", data={**loyalty, "csrf_token": "x"})
    assert forged.status_code == 403


def test_each_form_needs_its_permission(client: TestClient) -> None:
    """Ira holds the terminals permission only: the venue and ordering, not the programme."""
    assert sign_in(client, "ira")[0] == 303
    page = client.get("/admin/settings")
    assert page.status_code == 200
    assert 'id="venue"' in page.text and 'id="ordering"' in page.text
    assert 'id="loyalty"' not in page.text and 'id="promo"' not in page.text
    token = token_of(page.text)
    refused = client.post("/admin/settings/loyalty", data={"csrf_token": token, "accrual": "9"})
    assert refused.status_code == 403
    ordering = client.post(
        "/admin/settings/ordering",
        follow_redirects=False,
        data={"csrf_token": token, "enabled": "on", "method_cash": "on"},
    )
    assert ordering.status_code == 303


def test_message_texts_are_saved_checked_and_used_by_the_next_message(
    client: TestClient, db_url: str
) -> None:
    """The messages form lists each kind's placeholders, refuses a text naming one its message
    does not have (nothing saved, the text kept in the form), and a saved text is what the
    next message of that kind carries."""
    from pos_server.notify.messages import sms_to_phone

    assert sign_in(client, "boss")[0] == 303
    page = client.get("/admin/settings")
    assert 'id="messages"' in page.text and "Тексты сообщений гостям" in page.text
    assert "{code} {name}" in page.text  # the card's placeholders beside its fields
    assert 'placeholder="Код для регистрации: {code}"' in page.text  # the built-in text shown
    token = token_of(page.text)
    bad = client.post("/admin/settings/messages", data={
        "csrf_token": token, "msg_signup_code_ru": "Ваш код {code}, {name}!"})  # fmt: skip
    assert bad.status_code == 400
    assert (
        "Не сохранено: текст «Код регистрации в кабинете (SMS) (русский)» содержит "
        "подстановки, которых у этого сообщения нет: {name}; можно: {code}."
    ) in bad.text
    assert "Ваш код {code}, {name}!" in bad.text  # what was typed stays in the form
    missing = client.post("/admin/settings/messages", data={
        "csrf_token": token, "msg_signup_code_en": "Welcome!"})  # fmt: skip
    assert missing.status_code == 400 and "{code}" in missing.text
    saved = client.post("/admin/settings/messages", follow_redirects=False, data={
        "csrf_token": token, "msg_signup_code_ru": "Код: {code}. Добро пожаловать!",
        "reason": "tone"})  # fmt: skip
    assert saved.status_code == 303 and saved.headers["location"].endswith("#messages")
    again = client.get("/admin/settings?saved=messages")
    assert "Код: {code}. Добро пожаловать!</textarea>" in again.text
    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
            assert current(uow).messages.signup_code_ru == "Код: {code}. Добро пожаловать!"
            audit = uow.audit.newest(target="setting:messages.signup_code_ru")
            sms_to_phone(uow, "+79121234567", "signup_code", "code:web-1", code="4242")
            written = uow.session.execute(
                text("SELECT text FROM notifications WHERE idempotency_key = 'code:web-1'")
            ).scalar_one()
    finally:
        engine.dispose()
    assert [(a.actor.startswith("web:"), a.reason) for a in audit] == [(True, "tone")]
    assert written == "Код: 4242. Добро пожаловать!"
    assert '<option value="ru" selected>русский</option>' in again.text
    english = client.post("/admin/settings/messages", follow_redirects=False, data={
        "csrf_token": token, "msg_language": "en",
        "msg_signup_code_ru": "Код: {code}. Добро пожаловать!"})  # fmt: skip
    assert english.status_code == 303
    assert '<option value="en" selected>английский</option>' in client.get("/admin/settings").text


def test_the_cashiers_own_discount_is_set_on_the_page(client: TestClient, db_url: str) -> None:
    assert sign_in(client, "boss")[0] == 303
    page = client.get("/admin/settings")
    assert 'id="staff"' in page.text and 'name="cashier_discount" value="5"' in page.text
    token = token_of(page.text)
    saved = client.post("/admin/settings/staff", follow_redirects=False,
                        data={"csrf_token": token, "cashier_discount": "7,5"})  # fmt: skip
    assert saved.status_code == 303
    bad = client.post("/admin/settings/staff", data={"csrf_token": token,
                                                     "cashier_discount": "lots"})  # fmt: skip
    assert bad.status_code == 400 and "Скидка кассира без менеджера" in bad.text
    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
            assert current(uow).staff.cashier_max_discount_bp == 750
    finally:
        engine.dispose()


def test_the_messages_form_needs_the_loyalty_permission(client: TestClient) -> None:
    assert sign_in(client, "ira")[0] == 303
    page = client.get("/admin/settings")
    assert 'id="messages"' not in page.text
    refused = client.post(
        "/admin/settings/messages",
        data={"csrf_token": token_of(page.text), "msg_card_ru": "{name}"},
    )
    assert refused.status_code == 403
