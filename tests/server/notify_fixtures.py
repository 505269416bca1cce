"""Helpers of the notification tests: a settable clock, settings pointing at the fakes, and
messages written into the outbox as an event would write them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select

from bench.fake_telegram import BOT_USERNAME, TOKEN
from pos_server.db.models_notify import NotificationRow
from pos_server.notify.channels import Channel
from pos_server.notify.sender import Sender
from pos_server.notify.settings import NotifySettings
from pos_server.notify.sms import SmsRuChannel
from pos_server.notify.telegram import BotApi, TelegramChannel
from pos_server.uow import unit_of_work
from tests.server.fake_smsru import API_ID

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def notify_settings_for(telegram_base: str | None = None, sms_base: str | None = None,
                        **override: Any) -> NotifySettings:  # fmt: skip
    values: dict[str, Any] = {"notify_backoff_seconds": 10, "notify_claim_seconds": 120,
                              "notify_max_attempts": 4, "telegram_rate_per_second": 1000,
                              "telegram_bot_username": BOT_USERNAME}  # fmt: skip
    if telegram_base is not None:
        values.update(telegram_bot_token=TOKEN, telegram_api_base=telegram_base)
    if sms_base is not None:
        values.update(sms_ru_api_id=API_ID, sms_ru_base=sms_base)
    values.update(override)
    return NotifySettings(**values)


def sender_for(engine: Engine, settings: NotifySettings, clock: Callable[[], datetime]) -> Sender:
    channels: dict[str, Channel] = {}
    if settings.telegram_bot_token is not None:
        api = BotApi(settings.telegram_api_base, settings.telegram_bot_token.get_secret_value())
        channels["telegram"] = TelegramChannel(api, settings.telegram_rate_per_second)
    if settings.sms_ru_api_id is not None:
        channels["sms"] = SmsRuChannel(settings.sms_ru_base,
                                       settings.sms_ru_api_id.get_secret_value())  # fmt: skip
    return Sender(engine, channels, settings, clock)


def enqueue(  # noqa: PLR0917
    engine: Engine, now: datetime, channel: str, recipient: str, text: str,
    key: str | None = None, qr: str | None = None,
) -> bool:  # fmt: skip
    with unit_of_work(engine, actor="test", now=now) as uow:
        return uow.notifications.enqueue(channel, recipient, "test", key or f"test:{text}",
                                         text, qr=qr)  # fmt: skip


def rows(engine: Engine) -> list[NotificationRow]:
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        return list(session.scalars(select(NotificationRow).order_by(NotificationRow.id)))
