"""SMS through SMS.ru's API against a local fake of it, and the message templates."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from pos_server.db import make_engine
from pos_server.notify.channels import SendFailed
from pos_server.notify.settings import NotifySettings
from pos_server.notify.sms import SmsRuChannel
from pos_server.notify.templates import render
from pos_server.repositories.notifications import Outgoing
from tests.server.fake_smsru import API_ID, STOP_LIST, FakeSmsRu
from tests.server.notify_fixtures import Clock, enqueue, notify_settings_for, rows, sender_for


@pytest.fixture
def sms() -> Iterator[FakeSmsRu]:
    with FakeSmsRu() as fake:
        yield fake


def _message(number: str, text: str = "Your code: 1234") -> Outgoing:
    return Outgoing(1, "sms", number, text, None, 1, datetime.now(UTC), None)


def test_an_accepted_sms_gives_its_id(sms: FakeSmsRu) -> None:
    channel = SmsRuChannel(sms.base, API_ID, sender="Venue")
    try:
        delivered = channel.send(_message("+79121234567"))
    finally:
        channel.close()
    assert delivered.provider_id == "000000-00000001"
    assert sms.sent == [{"api_id": API_ID, "to": "79121234567", "msg": "Your code: 1234",
                         "json": "1", "from": "Venue"}]  # fmt: skip


@pytest.mark.parametrize(
    ("api_id", "number", "code", "permanent"),
    [
        ("wrong", "79121234567", None, True),  # 200 wrong api_id
        (API_ID, STOP_LIST, None, True),  # 209 the number is in the stop list
        (API_ID, "79121234567", 220, False),  # service unavailable for a while
        (API_ID, "79121234567", 201, False),  # no money on the account: a manager tops it up
        (API_ID, "79121234567", 207, True),  # no route to the number
    ],
)
def test_sms_ru_refusals_say_whether_to_retry(
    sms: FakeSmsRu, api_id: str, number: str, code: int | None, permanent: bool
) -> None:
    if code is not None:
        sms.codes.append(code)
    channel = SmsRuChannel(sms.base, api_id)
    try:
        with pytest.raises(SendFailed) as failed:
            channel.send(_message("+" + number))
    finally:
        channel.close()
    assert failed.value.permanent is permanent
    assert failed.value.reason.startswith("SMS.ru ")
    assert sms.sent == []


def test_an_unreachable_sms_ru_is_retried_later() -> None:
    channel = SmsRuChannel("http://127.0.0.1:9", API_ID, timeout=2)
    try:
        with pytest.raises(SendFailed) as failed:
            channel.send(_message("+79121234567"))
    finally:
        channel.close()
    assert not failed.value.permanent


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    made = make_engine(db_url)
    yield made
    made.dispose()


def test_the_outbox_sends_sms_once_after_a_refusal(engine: Engine, sms: FakeSmsRu) -> None:
    clock = Clock()
    enqueue(engine, clock(), "sms", "+79121234567", "Your password: 8412")
    sender = sender_for(engine, notify_settings_for(sms_base=sms.base), clock)
    try:
        sms.codes.append(220)
        assert sender.send_due() == 0
        clock.advance(10)
        assert sender.send_due() == 1
        assert sender.send_due() == 0
    finally:
        sender.close()
    assert [m["msg"] for m in sms.sent] == ["Your password: 8412"]
    [row] = rows(engine)
    assert (row.status, row.attempts, row.provider_id) == ("sent", 2, "000000-00000001")


def test_templates_have_defaults_in_both_languages() -> None:
    russian = NotifySettings(notify_language="ru")
    assert render(russian, "cashback", name="Ольга", amount=540_000, balance=1_250_050,
                  code="TOPLASER6502") == (
        "Ольга, вам начислен кэшбэк 5\u00a0400,00 ₽ по вашему промокоду TOPLASER6502. "
        "Баланс: 12\u00a0500,50 ₽.")  # fmt: skip
    english = NotifySettings(notify_language="en")
    assert render(english, "card", name="Olga", code="X1").startswith(
        "Olga, your loyalty card: promo code X1.")  # fmt: skip


def test_backoff_doubles_up_to_its_cap() -> None:
    settings = NotifySettings(notify_backoff_seconds=10, notify_backoff_max_seconds=60)
    assert [settings.backoff(n) for n in range(1, 6)] == [10, 20, 40, 60, 60]


def test_set_webhook_points_the_bot_at_this_server(monkeypatch: pytest.MonkeyPatch) -> None:
    from bench.fake_telegram import TOKEN, FakeBotApi
    from pos_server.cli import main as cli
    from pos_server.notify.settings import notify_settings

    with FakeBotApi() as bot:
        monkeypatch.setenv("POS_SERVER_TELEGRAM_BOT_TOKEN", TOKEN)
        monkeypatch.setenv("POS_SERVER_TELEGRAM_API_BASE", bot.base)
        monkeypatch.setenv("POS_SERVER_TELEGRAM_WEBHOOK_SECRET", "hook-secret")
        notify_settings.cache_clear()
        try:
            assert cli(["notifications", "set-webhook", "https://pos.example/"]) == 0
        finally:
            notify_settings.cache_clear()
    assert bot.webhook == {"url": "https://pos.example/telegram/webhook/hook-secret",
                           "secret_token": "hook-secret",
                           "allowed_updates": ["message", "my_chat_member"]}  # fmt: skip


def test_a_recovery_code_goes_out_by_sms_once(engine: Engine, sms: FakeSmsRu) -> None:
    from pos_server.notify.messages import sms_to_phone
    from pos_server.uow import unit_of_work

    clock = Clock()
    for _ in range(2):  # the same request handled twice writes one message
        with unit_of_work(engine, actor="cabinet", now=clock()) as uow:
            sms_to_phone(uow, "+79121234567", "recovery_code", "recovery:req-1", code="8412")
    sender = sender_for(engine, notify_settings_for(sms_base=sms.base), clock)
    try:
        assert sender.send_due() == 1
    finally:
        sender.close()
    assert [m["msg"] for m in sms.sent] == [
        "Код для восстановления пароля: 8412. Никому его не сообщайте."]  # fmt: skip
    assert "8412" not in rows(engine)[0].text  # the code is not kept in the outbox
