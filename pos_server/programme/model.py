"""The programme settings, typed and validated: money in kopecks, percentages in basis points.

Seven groups; each but ``messages`` is published to the tills as one ``programme`` change (entity
id = the group):

- ``venue``: name, address, tax number (INN, 10 or 12 digits, or empty), receipt header and
  footer (printed above and below every receipt), the IANA time zone the business day is
  counted in.
- ``loyalty``: the programme's accrual and max redemption (a guest's group or own settings
  override them), how long an open points hold lives, and for guests without a group the
  offline allowance and the daily limits (a group sets its own).
- ``promo``: the promo code prefix, the buyer's discount, the owner's cashback, digits per code.
- ``ordering``: whether guests may order from their cabinet and which payment methods they
  may choose.
- ``top_up``: what one staff member of each role may credit to guests' balance accounts, in one
  top-up and in one business day (kopecks; 0: the role may not top up); the server refuses a
  ``balance.topped_up`` beyond them and the tills check the same before taking the money.
- ``staff``: the discount a cashier may give alone (an order's or a line's, basis points; more
  needs a manager's PIN at the till), a till-local setting before.
- ``messages``: the language messages to guests go out in and their texts, one per kind and
  language (empty: the built-in text); the outbox's messages are written with them. The
  server's alone (the ``POS_SERVER_TEMPLATE_*`` variables of earlier versions are no longer
  read).

A key nobody has set takes its default: ``POS_SERVER_ACCRUAL_BP``,
``POS_SERVER_MAX_REDEMPTION_BP``, ``POS_SERVER_SHOP_TIMEZONE`` (``ledger_rules``),
``POS_SERVER_HOLD_TTL_SECONDS`` (the server's settings) and ``POS_SERVER_NOTIFY_LANGUAGE``
(``messages.language``) for a new database, else the built-in values below (the top-up
limits: ``pos_app.domain.balance.TOP_UP_LIMITS``; the ``POS_SERVER_TOP_UP_*`` variables of
earlier versions are no longer read).
"""

from __future__ import annotations

import re
from datetime import timedelta, tzinfo
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from pos_app.domain.balance import TOP_UP_LIMITS, TopUpLimit
from pos_app.domain.limits import DailyLimits
from pos_app.domain.loyalty import LoyaltySettings
from pos_app.domain.money import Percent
from pos_app.domain.operations.codec import MAX_AMOUNT
from pos_app.domain.orders import PaymentMethod
from pos_app.domain.staff_pins import Role
from pos_app.domain.venue_clock import UnknownTimeZone, shop_zone
from pos_server.notify.templates import LANGUAGES, PLACEHOLDERS, UnknownPlaceholder, check_template

GROUPS = ("venue", "loyalty", "promo", "ordering", "top_up", "staff", "messages")
PUBLISHED = tuple(g for g in GROUPS if g != "messages")  # ``messages``: the server's alone
_TAX_NUMBER = re.compile(r"^(\d{10}|\d{12})?$")
_PREFIX = re.compile(r"^[A-Z][A-Z0-9]*$")


class _Group(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Venue(_Group):
    name: str = Field(default="", max_length=120)
    address: str = Field(default="", max_length=300)
    tax_number: str = Field(default="", max_length=12)
    receipt_header: str = Field(default="", max_length=500)
    receipt_footer: str = Field(default="", max_length=500)
    timezone: str = "Europe/Moscow"

    @field_validator("name", "address", "receipt_header", "receipt_footer")
    @classmethod
    def _trimmed(cls, text: str) -> str:
        return "\n".join(line.rstrip() for line in text.strip().splitlines())

    @field_validator("tax_number")
    @classmethod
    def _inn(cls, text: str) -> str:
        text = text.strip()
        if not _TAX_NUMBER.match(text):
            raise ValueError("a tax number (INN) is 10 or 12 digits, or empty")
        return text

    @field_validator("timezone")
    @classmethod
    def _zone(cls, name: str) -> str:
        try:
            shop_zone(name)
        except UnknownTimeZone as exc:
            raise ValueError(exc.message) from exc
        return name

    @property
    def zone(self) -> tzinfo:
        return shop_zone(self.timezone)


class Loyalty(_Group):
    accrual_bp: int = Field(default=500, ge=0, le=10_000)
    max_redemption_bp: int = Field(default=5_000, ge=0, le=10_000)
    hold_ttl_seconds: int = Field(default=24 * 3600, ge=60, le=30 * 24 * 3600)
    offline_allowance: int = Field(default=0, ge=0, le=MAX_AMOUNT)  # guests without a group
    daily_identification_limit: int | None = Field(default=None, ge=0, le=10_000)
    daily_points_spend_limit: int | None = Field(default=None, ge=0, le=MAX_AMOUNT)

    @property
    def program(self) -> LoyaltySettings:
        return LoyaltySettings(Percent(self.accrual_bp), Percent(self.max_redemption_bp))

    @property
    def hold_ttl(self) -> timedelta:
        return timedelta(seconds=self.hold_ttl_seconds)

    @property
    def limits(self) -> DailyLimits:
        """The daily limits of a guest without a group."""
        return DailyLimits(self.daily_identification_limit, self.daily_points_spend_limit)


class Promo(_Group):
    prefix: str = Field(default="PROMO", min_length=1, max_length=12)
    discount_bp: int = Field(default=1_500, ge=0, le=10_000)
    cashback_bp: int = Field(default=500, ge=0, le=10_000)
    digits: int = Field(default=6, ge=4, le=12)

    @field_validator("prefix")
    @classmethod
    def _prefix(cls, text: str) -> str:
        text = text.strip().upper()
        if not _PREFIX.match(text):
            raise ValueError("a promo prefix is Latin letters and digits, starting with a letter")
        return text


class Ordering(_Group):
    enabled: bool = True
    payment_methods: tuple[PaymentMethod, ...] = tuple(PaymentMethod)

    @field_validator("payment_methods", mode="before")
    @classmethod
    def _methods(cls, value: Any) -> Any:
        if isinstance(value, str):  # "cash,card" from the command line
            value = [part.strip() for part in value.split(",") if part.strip()]
        if isinstance(value, (list, tuple)):
            value = tuple(dict.fromkeys(value))  # no duplicates, the order kept
            if not value:
                raise ValueError("choose at least one payment method (or turn ordering off)")
        return value


class Staff(_Group):
    """What a cashier may do alone at the till: an order or a line discount up to
    ``cashier_max_discount_bp``; more needs a manager (``pos_app.services.overrides``)."""

    cashier_max_discount_bp: int = Field(default=500, ge=0, le=10_000)


def _text() -> Any:
    return Field(default="", max_length=1000)


class Messages(_Group):
    """The texts of the messages to guests (``pos_server.notify.templates``: their kinds, the
    placeholders each may use, the built-in texts), Russian and English; empty: the built-in
    text. ``language``: the one messages go out in. Server-only: the outbox's messages are
    written with them, no till reads them."""

    language: Literal["ru", "en"] = "ru"
    card_ru: str = _text()
    card_en: str = _text()
    cashback_ru: str = _text()
    cashback_en: str = _text()
    subscribed_ru: str = _text()
    subscribed_en: str = _text()
    link_invalid_ru: str = _text()
    link_invalid_en: str = _text()
    cabinet_credentials_ru: str = _text()
    cabinet_credentials_en: str = _text()
    signup_code_ru: str = _text()
    signup_code_en: str = _text()
    recovery_code_ru: str = _text()
    recovery_code_en: str = _text()
    order_ready_ru: str = _text()
    order_ready_en: str = _text()
    top_up_credited_ru: str = _text()
    top_up_credited_en: str = _text()

    @field_validator(*(f"{kind}_{lang}" for kind in PLACEHOLDERS for lang in LANGUAGES))
    @classmethod
    def _placeholders(cls, text: str, info: ValidationInfo) -> str:
        text = "\n".join(line.rstrip() for line in text.strip().splitlines())
        try:
            check_template(str(info.field_name).rsplit("_", 1)[0], text)
        except UnknownPlaceholder as exc:
            raise ValueError(str(exc)) from None
        return text

    def text(self, kind: str, language: str) -> str:
        """The venue's text of message ``kind`` in ``language``; "" if it has none."""
        return str(getattr(self, f"{kind}_{language}", "") or "")


def _limit(role: Role, field: str) -> Any:
    return Field(default=getattr(TOP_UP_LIMITS[role], field), ge=0, le=MAX_AMOUNT)


class TopUp(_Group):
    """Top-up limits by role, kopecks: ``<role>`` one top-up, ``<role>_day`` one business day."""

    cashier: int = _limit(Role.CASHIER, "per_top_up")
    cashier_day: int = _limit(Role.CASHIER, "per_day")
    operator: int = _limit(Role.OPERATOR, "per_top_up")
    operator_day: int = _limit(Role.OPERATOR, "per_day")
    manager: int = _limit(Role.MANAGER, "per_top_up")
    manager_day: int = _limit(Role.MANAGER, "per_day")
    admin: int = _limit(Role.ADMIN, "per_top_up")
    admin_day: int = _limit(Role.ADMIN, "per_day")

    @property
    def limits(self) -> dict[Role, TopUpLimit]:
        return {role: TopUpLimit(getattr(self, role.value), getattr(self, f"{role.value}_day"))
                for role in Role}  # fmt: skip


class Programme(_Group):
    venue: Venue = Venue()
    loyalty: Loyalty = Loyalty()
    promo: Promo = Promo()
    ordering: Ordering = Ordering()
    top_up: TopUp = TopUp()
    staff: Staff = Staff()
    messages: Messages = Messages()

    def group(self, name: str) -> dict[str, Any]:
        """One group as its feed change carries it (JSON types)."""
        data: dict[str, Any] = getattr(self, name).model_dump(mode="json")
        return data

    def flat(self) -> dict[str, Any]:
        """Every setting by its dotted key (``pos-server settings show``)."""
        return {f"{group}.{key}": value for group in GROUPS
                for key, value in self.group(group).items()}  # fmt: skip


KEYS: frozenset[str] = frozenset(Programme().flat())


def nested(flat: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``{"venue.name": x}`` -> ``{"venue": {"name": x}}``."""
    out: dict[str, dict[str, Any]] = {group: {} for group in GROUPS}
    for key, value in flat.items():
        group, _, name = key.partition(".")
        out[group][name] = value
    return out
