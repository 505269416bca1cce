"""Notification settings of the server: ``POS_SERVER_*`` environment variables, read once.

A channel without its credentials is off: its messages wait in the outbox (``waiting``) until
it is configured, nothing is lost. The texts of the messages are the venue's, set in the back
office (the programme settings' ``messages`` group; ``templates.py`` holds the built-in ones):
the ``POS_SERVER_TEMPLATE_*`` variables of earlier versions are no longer read, and a server
that still has one set says so in its log at start (``retired_template_variables``).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class NotifySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="POS_SERVER_", extra="ignore")

    telegram_bot_token: SecretStr | None = Field(
        default=None, description="the venue's bot token from @BotFather; unset: no Telegram"
    )
    telegram_bot_username: str = Field(
        default="", description="the bot's @name without @, for https://t.me/<bot>?start=..."
    )
    telegram_api_base: str = Field(
        default="https://api.telegram.org", description="the Bot API server (tests: a fake)"
    )
    telegram_mode: Literal["webhook", "polling", "off"] = Field(
        default="webhook",
        description="webhook: Telegram calls POST /telegram/webhook/<secret>; "
        "polling: this server asks getUpdates (behind NAT; one process at a time, by a lease)",
    )
    telegram_webhook_secret: SecretStr | None = Field(
        default=None, description="the <secret> of the webhook path; unset: the route answers 404"
    )
    telegram_link_days: float = Field(
        default=30, gt=0, description="a subscription link not used within this expires"
    )
    telegram_rate_per_second: float = Field(
        default=30.0, gt=0, description="messages per second per bot (Telegram's documented cap)"
    )
    sms_ru_api_id: SecretStr | None = Field(
        default=None, description="SMS.ru api_id; unset: no SMS"
    )
    sms_ru_base: str = Field(default="https://sms.ru", description="the SMS.ru API server")
    sms_from: str = Field(default="", description="an approved sender name, or empty")
    notify_language: Literal["ru", "en"] = "ru"
    notify_interval_seconds: float = Field(
        default=2.0, ge=0, description="how often the sender looks for due messages; 0: off"
    )
    notify_batch: int = Field(default=50, ge=1, le=1000, description="messages claimed per pass")
    notify_max_attempts: int = Field(default=8, ge=1, le=100)
    notify_backoff_seconds: float = Field(
        default=10.0, gt=0, description="the first retry's delay; doubled each attempt"
    )
    notify_backoff_max_seconds: float = Field(default=3600.0, gt=0)
    notify_claim_seconds: float = Field(
        default=120.0,
        ge=60,
        description="a claimed message not marked within this is taken "
        "again by another pass (its worker died): the at-least-once window",
    )

    @model_validator(mode="after")
    def _blank_secrets(self) -> NotifySettings:
        for name in ("telegram_bot_token", "telegram_webhook_secret", "sms_ru_api_id"):
            value = getattr(self, name)
            if value is not None and not value.get_secret_value():
                setattr(self, name, None)  # POS_SERVER_X= (empty): not set
        return self

    @property
    def telegram_on(self) -> bool:
        return self.telegram_bot_token is not None and self.telegram_mode != "off"

    def backoff(self, attempts: int) -> float:
        """Seconds before the next try after ``attempts`` failed ones: exponential, capped."""
        delay: float = self.notify_backoff_seconds * 2 ** max(attempts - 1, 0)
        return min(delay, self.notify_backoff_max_seconds)


RETIRED_TEMPLATE_PREFIX = "POS_SERVER_TEMPLATE_"


def retired_template_variables(environ: Mapping[str, str]) -> list[str]:
    """The ``POS_SERVER_TEMPLATE_*`` variables set in ``environ`` (names only: no longer
    read, the texts are the programme settings' ``messages``)."""
    return sorted(name for name in environ if name.upper().startswith(RETIRED_TEMPLATE_PREFIX))


@cache
def notify_settings() -> NotifySettings:
    """The process's settings (tests call ``notify_settings.cache_clear()`` after changing the
    environment)."""
    return NotifySettings()
