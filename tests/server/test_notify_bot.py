"""Seed 003's messages through the venue's bot, against a fake Telegram Bot API: the
subscription deep link, /start binding the chat to the guest and answering with their card and
QR code (webhook and long polling), "cashback credited" after a promo sale, a blocked bot."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bench.fake_telegram import BOT_USERNAME, TOKEN, FakeBotApi
from pos_server.app import create_app, utc_now
from pos_server.db import make_engine
from pos_server.db.models import Guest
from pos_server.notify.bot import TelegramPoller, handle_update
from pos_server.notify.sender import Sender
from pos_server.notify.settings import notify_settings
from pos_server.notify.telegram import BotApi
from pos_server.settings import ServerSettings
from tests.server.conftest import Till, guest_payload, sale_payload
from tests.server.notify_fixtures import Clock, rows, sender_for

SECRET = "webhook-s3cret"
OLGA_CHAT, PAVEL_CHAT = 7001, 7002


@pytest.fixture
def bot(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeBotApi]:
    """The fake API and the server's settings pointing at it (the app's own sender off: each
    test sends by hand, so it sees what one pass does)."""
    with FakeBotApi(rate_per_second=100_000) as fake:
        for name, value in {
            "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE": fake.base,
            "TELEGRAM_BOT_USERNAME": BOT_USERNAME, "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "NOTIFY_INTERVAL_SECONDS": "0", "NOTIFY_LANGUAGE": "en",
        }.items():  # fmt: skip
            monkeypatch.setenv(f"POS_SERVER_{name}", value)
        notify_settings.cache_clear()
        yield fake
    notify_settings.cache_clear()


@pytest.fixture
def client(settings: ServerSettings, bot: FakeBotApi) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    made = make_engine(db_url)
    yield made
    made.dispose()


@pytest.fixture
def sender(engine: Engine, bot: FakeBotApi) -> Iterator[Sender]:
    made = sender_for(engine, notify_settings(), utc_now)  # the app's clock
    yield made
    made.close()


def _guests(till: Till) -> None:
    till.push_ok(
        till.op("guest.created", guest_payload("olga", "Olga")),
        till.op("guest.created", {**guest_payload("pavel", "Pavel"), "phone": "+79220000002"}),
    )


def _link(till: Till, guest_id: str) -> dict[str, Any]:
    response = till.client.post(f"/v1/guests/{guest_id}/telegram-link", headers=till.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _start(client: TestClient, bot: FakeBotApi, chat_id: int, token: str,
           update: dict[str, Any] | None = None) -> dict[str, Any]:  # fmt: skip
    update = update or {"update_id": len(bot.delivered) + 100,
                        "message": bot.start_message(chat_id, f"/start {token}")}  # fmt: skip
    response = client.post(f"/telegram/webhook/{SECRET}", json=update,
                           headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})  # fmt: skip
    assert response.status_code == 200, response.text
    return update


def _chat_of(engine: Engine, guest_id: str) -> str | None:
    with Session(engine) as session:
        return session.get_one(Guest, guest_id).telegram_chat_id


def test_start_binds_the_chat_and_answers_with_the_card(
    till: Till, bot: FakeBotApi, engine: Engine, sender: Sender
) -> None:
    _guests(till)
    till.push_ok(till.op("promo.issued", {"code": "TOPLASER6502", "guest_id": "olga",
                                          "phone": "+79121234567"}))  # fmt: skip
    assert [(r.kind, r.status) for r in rows(engine)] == [("card", "held")]  # not subscribed
    assert sender.send_due() == 0

    link = _link(till, "olga")
    assert link["subscribed"] is False
    url = urlsplit(link["link"])
    assert (url.scheme, url.netloc, url.path) == ("https", "t.me", f"/{BOT_USERNAME}")
    token = parse_qs(url.query)["start"][0]
    assert "TOPLASER" not in token and len(token) >= 20  # one-time, not the promo code

    update = _start(till.client, bot, OLGA_CHAT, token)
    assert _chat_of(engine, "olga") == str(OLGA_CHAT)
    assert sender.send_due() == 1
    [card] = bot.to(OLGA_CHAT)
    assert card.method == "sendPhoto" and "TOPLASER6502" in card.text and "Olga" in card.text
    assert card.photo is not None and card.photo.startswith(b"\x89PNG\r\n\x1a\n")

    _start(till.client, bot, OLGA_CHAT, token, update)  # Telegram delivers the update again
    assert sender.send_due() == 0 and len(bot.to(OLGA_CHAT)) == 1
    assert _link(till, "olga") == {"subscribed": True, "link": None}

    _start(till.client, bot, PAVEL_CHAT, token)  # the token is used up: another chat is told
    assert sender.send_due() == 1
    [refused] = bot.to(PAVEL_CHAT)
    assert "not valid" in refused.text and _chat_of(engine, "pavel") is None


def test_a_promo_sale_tells_the_owner_of_the_cashback(
    till: Till, bot: FakeBotApi, engine: Engine, sender: Sender
) -> None:
    _guests(till)
    till.push_ok(till.op("promo.issued", {"code": "TOPLASER6502", "guest_id": "olga"}))
    _start(till.client, bot, OLGA_CHAT, _link(till, "olga")["link"].rsplit("=", 1)[1])
    sender.send_due()
    sale = sale_payload("pavel", payments=[{"method": "card", "amount": 54_000}])
    redeemed = {"sale_id": sale["sale_id"], "code": "TOPLASER6502", "owner_guest_id": "olga",
                "buyer_guest_id": "pavel", "paid_in_money": 54_000, "discount": 5_000,
                "cashback_bp": 1_000, "cashback": 5_400}  # fmt: skip
    pavel_card = {"code": "TOPLASER7001", "guest_id": "pavel"}
    till.push_ok(till.op("sale.closed", sale), till.op("promo.redeemed", redeemed),
                 till.op("promo.redeemed", redeemed),  # a conflict: no second message
                 till.op("promo.issued", pavel_card))  # fmt: skip
    assert sender.send_due() == 1  # pavel is not subscribed: his card waits for him
    cashback = bot.to(OLGA_CHAT)[-1]
    assert cashback.method == "sendMessage"
    assert cashback.text == ("Olga, a cashback of 54,00 ₽ was credited for your promo code "
                             "TOPLASER6502. Balance: 54,00 ₽.")  # fmt: skip
    [held] = [r for r in rows(engine) if r.guest_id == "pavel"]
    assert (held.kind, held.status, held.qr) == ("card", "held", "TOPLASER7001")

    # pavel subscribes later: the card issued to him is the answer, not a second one
    _start(till.client, bot, PAVEL_CHAT, _link(till, "pavel")["link"].rsplit("=", 1)[1])
    assert sender.send_due() == 1
    [card] = bot.to(PAVEL_CHAT)
    assert card.method == "sendPhoto" and "TOPLASER7001" in card.text


def test_a_blocked_bot_unsubscribes_the_guest(
    till: Till, bot: FakeBotApi, engine: Engine, sender: Sender
) -> None:
    _guests(till)
    till.push_ok(till.op("promo.issued", {"code": "TOPLASER6502", "guest_id": "olga"}))
    _start(till.client, bot, OLGA_CHAT, _link(till, "olga")["link"].rsplit("=", 1)[1])
    sender.send_due()
    bot.blocked.add(str(OLGA_CHAT))
    till.push_ok(till.op("promo.issued", {"code": "TOPLASER6502", "guest_id": "olga"}))
    assert sender.send_due() == 0
    failed = rows(engine)[-1]
    assert (failed.status, failed.attempts) == ("failed", 1)
    assert "blocked" in (failed.last_error or "")
    assert _chat_of(engine, "olga") is None
    assert _link(till, "olga")["subscribed"] is False


def test_leaving_the_chat_unsubscribes_too(till: Till, bot: FakeBotApi, engine: Engine) -> None:
    _guests(till)
    _start(till.client, bot, OLGA_CHAT, _link(till, "olga")["link"].rsplit("=", 1)[1])
    assert _chat_of(engine, "olga") == str(OLGA_CHAT)
    kicked = {"update_id": 999, "my_chat_member": {
        "chat": {"id": OLGA_CHAT, "type": "private"}, "date": 0,
        "from": {"id": OLGA_CHAT, "is_bot": False, "first_name": "Olga"},
        "old_chat_member": {"status": "member", "user": {"id": 1, "is_bot": True}},
        "new_chat_member": {"status": "kicked", "user": {"id": 1, "is_bot": True},
                            "until_date": 0}}}  # fmt: skip
    _start(till.client, bot, OLGA_CHAT, "", kicked)
    assert _chat_of(engine, "olga") is None


def test_long_polling_binds_like_the_webhook(
    till: Till, bot: FakeBotApi, engine: Engine, sender: Sender
) -> None:
    _guests(till)
    token = _link(till, "olga")["link"].rsplit("=", 1)[1]
    bot.push_update(message=bot.start_message(OLGA_CHAT, f"/start {token}"))
    api = BotApi(bot.base, TOKEN)
    poller = TelegramPoller(engine, notify_settings(), api, Clock(), wait=0)
    try:
        assert poller.poll_once() == 1
        assert poller.poll_once() == 0  # confirmed by the offset: not handled twice
    finally:
        api.close()
    assert _chat_of(engine, "olga") == str(OLGA_CHAT)
    assert sender.send_due() == 1
    [welcome] = bot.to(OLGA_CHAT)  # olga has no promo code yet: a plain welcome
    assert welcome.text.startswith("Olga, you are subscribed")


def test_the_webhook_wants_its_secret(client: TestClient, bot: FakeBotApi) -> None:
    update = {"update_id": 1, "message": bot.start_message(1, "/start x")}
    assert client.post("/telegram/webhook/wrong", json=update).status_code == 404
    assert (
        client.post(
            f"/telegram/webhook/{SECRET}",
            json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": "no"},
        ).status_code
        == 403
    )


def test_other_updates_are_ignored(engine: Engine, bot: FakeBotApi) -> None:
    settings = notify_settings()
    handle_update(engine, settings, {"update_id": 5, "message": {
        "message_id": 1, "date": 0, "chat": {"id": -100, "type": "group"}, "text": "/start x"}},
        Clock()())  # fmt: skip
    handle_update(engine, settings, {"update_id": 6, "edited_message": {}}, Clock()())
    assert rows(engine) == []


def test_one_poller_of_several_processes_polls(engine: Engine, bot: FakeBotApi) -> None:
    clock = Clock()
    apis = [BotApi(bot.base, TOKEN), BotApi(bot.base, TOKEN)]
    first, second = (TelegramPoller(engine, notify_settings(), api, clock, wait=0) for api in apis)
    try:
        assert first.leading() and not second.leading()
        assert first.leading()  # renewed
        clock.advance(TelegramPoller.LEASE.total_seconds() + 1)  # the first process died
        assert second.leading() and not first.leading()
        second.stop()  # a clean stop gives the lease up at once
        assert first.leading()
    finally:
        for api in apis:
            api.close()


def test_an_old_link_no_longer_binds(till: Till, bot: FakeBotApi, engine: Engine) -> None:
    from datetime import timedelta

    _guests(till)
    token = _link(till, "olga")["link"].rsplit("=", 1)[1]
    late = utc_now() + timedelta(days=30, seconds=1)
    update = {"update_id": 77, "message": bot.start_message(OLGA_CHAT, f"/start {token}")}
    handle_update(engine, notify_settings(), update, late)
    assert _chat_of(engine, "olga") is None
    assert [r.kind for r in rows(engine)] == ["link_invalid"]
