"""What the app starts for notifications: the sender (when any channel is configured) and, in
polling mode, the Telegram poller."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine

from pos_server.notify.bot import TelegramPoller
from pos_server.notify.channels import Channel
from pos_server.notify.sender import NotificationSender, Sender
from pos_server.notify.settings import NotifySettings
from pos_server.notify.sms import SmsRuChannel
from pos_server.notify.telegram import BotApi, TelegramChannel


def channels_of(settings: NotifySettings) -> dict[str, Channel]:
    found: dict[str, Channel] = {}
    if settings.telegram_on and settings.telegram_bot_token is not None:
        api = BotApi(settings.telegram_api_base, settings.telegram_bot_token.get_secret_value())
        found["telegram"] = TelegramChannel(api, settings.telegram_rate_per_second)
    if settings.sms_ru_api_id is not None:
        found["sms"] = SmsRuChannel(settings.sms_ru_base, settings.sms_ru_api_id.get_secret_value(),
                                    settings.sms_from)  # fmt: skip
    return found


class NotifyRuntime:
    def __init__(self, engine: Engine, settings: NotifySettings,
                 clock: Callable[[], datetime]) -> None:  # fmt: skip
        self.sender: NotificationSender | None = None
        self.poller: TelegramPoller | None = None
        channels = channels_of(settings)
        if channels and settings.notify_interval_seconds > 0:
            self.sender = NotificationSender(Sender(engine, channels, settings, clock),
                                             settings.notify_interval_seconds)  # fmt: skip
        else:
            for channel in channels.values():
                channel.close()
        if settings.telegram_on and settings.telegram_mode == "polling":
            assert settings.telegram_bot_token is not None
            api = BotApi(settings.telegram_api_base,
                         settings.telegram_bot_token.get_secret_value())  # fmt: skip
            self.poller = TelegramPoller(engine, settings, api, clock)

    def start(self) -> None:
        if self.sender is not None:
            self.sender.start()
        if self.poller is not None:
            self.poller.start()

    def stop(self) -> None:
        if self.poller is not None:
            self.poller.stop()
        if self.sender is not None:
            self.sender.stop()
