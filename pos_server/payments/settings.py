"""Card top-up settings: ``POS_SERVER_YOOKASSA_*`` and ``POS_SERVER_CARD_TOP_UP_*`` environment
variables, read once (as the notification settings are).

Without a shop id and secret key card top-up is off: the cabinet says it is not available.
"""

from __future__ import annotations

from functools import cache

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

API_BASE = "https://api.yookassa.ru/v3"


class PaymentSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="POS_SERVER_", extra="ignore")

    yookassa_shop_id: str = Field(default="", description="the shop's id (shopId); empty: off")
    yookassa_secret_key: SecretStr | None = Field(
        default=None, description="the shop's secret key; unset: card top-up is off"
    )
    yookassa_api_base: str = Field(default=API_BASE, description="API v3 base (tests: a fake)")
    yookassa_webhook_ips_only: bool = Field(
        default=False,
        description="accept notifications only from YooKassa's published networks (behind a "
        "proxy the client address must be the real one); a notification is never trusted "
        "anyway: the payment is read back from the API",
    )
    card_top_up_min: int = Field(default=100_00, ge=100, description="kopecks")
    card_top_up_max: int = Field(default=15_000_00, ge=100, description="kopecks")
    card_top_up_poll_seconds: float = Field(
        default=30.0, ge=0, description="how often pending top-ups are asked about; 0: off"
    )
    card_top_up_poll_after_seconds: float = Field(
        default=60.0, ge=0, description="a top-up is polled once it is this old (webhook lost)"
    )
    card_top_up_give_up_hours: float = Field(
        default=48.0, gt=0, description="a top-up still pending this long is marked expired"
    )

    @model_validator(mode="after")
    def _blank(self) -> PaymentSettings:
        if self.yookassa_secret_key is not None and not self.yookassa_secret_key.get_secret_value():
            self.yookassa_secret_key = None
        if self.card_top_up_max < self.card_top_up_min:
            raise ValueError("POS_SERVER_CARD_TOP_UP_MAX is below POS_SERVER_CARD_TOP_UP_MIN")
        return self

    @property
    def card_on(self) -> bool:
        return bool(self.yookassa_shop_id) and self.yookassa_secret_key is not None


@cache
def payment_settings() -> PaymentSettings:
    """The process's settings (tests call ``payment_settings.cache_clear()``)."""
    return PaymentSettings()
