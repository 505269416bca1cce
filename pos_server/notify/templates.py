"""Message texts: templates with ``{placeholders}``, Russian and English defaults, each
replaceable by a setting (``POS_SERVER_TEMPLATE_<NAME>_<LANG>``); the promo programme's
messages (card, cashback, subscribed) also by the back office (``promo.message_<name>_<lang>``,
``pos_server.programme``), whose text wins over both.

A template naming a placeholder its message does not have stops the server at start (the
settings are checked), rather than failing every message later.
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING

from pos_app.domain.money import format_money

if TYPE_CHECKING:
    from pos_server.notify.settings import NotifySettings
    from pos_server.programme.model import Programme

# name -> the placeholders its messages fill
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "cashback": frozenset({"name", "amount", "balance", "code"}),
    "card": frozenset({"name", "code"}),
    "subscribed": frozenset({"name"}),
    "link_invalid": frozenset(),
    # SMS of the guest's cabinet (its issue writes them: ``messages.sms_to_phone``)
    "cabinet_credentials": frozenset({"name", "login", "password", "url"}),
    "signup_code": frozenset({"code"}),
    "recovery_code": frozenset({"code"}),
    # a guest order all of whose items were handed over (``messages.order_ready``)
    "order_ready": frozenset({"name", "number"}),
    # a card top-up from the cabinet credited (``messages.top_up_credited``)
    "top_up_credited": frozenset({"name", "amount", "balance"}),
}

DEFAULTS: dict[tuple[str, str], str] = {
    ("cashback", "ru"): "{name}, вам начислен кэшбэк {amount} по вашему промокоду {code}. "
    "Баланс: {balance}.",
    ("cashback", "en"): "{name}, a cashback of {amount} was credited for your promo code "
    "{code}. Balance: {balance}.",
    ("card", "ru"): "{name}, ваша карта лояльности: промокод {code}. Покажите QR-код на кассе "
    "или дайте промокод друзьям — они получат скидку, а вы кэшбэк.",
    ("card", "en"): "{name}, your loyalty card: promo code {code}. Show the QR code at the till "
    "or give the code to friends: they get a discount, you get a cashback.",
    ("subscribed", "ru"): "{name}, вы подписаны: сюда будут приходить сообщения о вашем "
    "кэшбэке и карте.",
    ("subscribed", "en"): "{name}, you are subscribed: news of your cashback and card will "
    "come here.",
    ("link_invalid", "ru"): "Ссылка недействительна или уже использована. Попросите кассира "
    "выдать новую.",
    ("link_invalid", "en"): "This link is not valid or was already used. Ask the cashier for "
    "a new one.",
    ("cabinet_credentials", "ru"): "{name}, ваш личный кабинет: {url} логин {login}, "
    "пароль {password}",
    ("cabinet_credentials", "en"): "{name}, your account: {url} login {login}, password {password}",
    ("signup_code", "ru"): "Код для регистрации: {code}",
    ("signup_code", "en"): "Your sign-up code: {code}",
    ("recovery_code", "ru"): "Код для восстановления пароля: {code}. Никому его не сообщайте.",
    ("recovery_code", "en"): "Your password recovery code: {code}. Do not tell it to anyone.",
    ("order_ready", "ru"): "{name}, ваш заказ № {number} готов.",
    ("order_ready", "en"): "{name}, your order No. {number} is ready.",
    ("top_up_credited", "ru"): "{name}, ваш депозит пополнен картой на {amount}. "
    "Баланс: {balance}.",
    ("top_up_credited", "en"): "{name}, {amount} paid by card is on your deposit. "
    "Balance: {balance}.",
}


class UnknownPlaceholder(ValueError):
    pass


def template(settings: NotifySettings, name: str, programme: Programme | None = None) -> str:
    """The back office's text (``promo.message_<name>_<lang>``, ``pos_server.programme``), else
    the environment's, else the default."""
    language = settings.notify_language
    set_here = programme.promo.message(name, language) if programme is not None else ""
    custom: str | None = getattr(settings, f"template_{name}_{language}")
    return set_here or custom or DEFAULTS[(name, language)]


def render(settings: NotifySettings, message: str, **values: object) -> str:
    """The message ``message`` in the configured language; money values are kopecks (int) and
    are written as roubles."""
    return render_for(settings, message, None, values)


def render_for(settings: NotifySettings, message: str, programme: Programme | None,
               values: dict[str, object]) -> str:  # fmt: skip
    """``render`` with the programme settings (``pos_server.programme``), whose texts win."""
    shown = {k: format_money(v) if k in ("amount", "balance") and isinstance(v, int) else v
             for k, v in values.items()}  # fmt: skip
    return template(settings, message, programme).format_map(shown)


def check_template(name: str, text: str) -> None:
    """``text`` parses and names only message ``name``'s placeholders (empty: fine)."""
    allowed = PLACEHOLDERS[name]
    try:
        used = {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
    except ValueError as exc:
        raise UnknownPlaceholder(f"{exc}") from exc
    unknown = used - allowed
    if unknown:
        raise UnknownPlaceholder(
            f"the text names {{{'}, {'.join(sorted(unknown))}}}; it may "
            f"use {', '.join(sorted(allowed)) or 'no placeholders'}"
        )


def check_templates(settings: NotifySettings) -> None:
    """Every configured template parses and names only its message's placeholders."""
    for name, allowed in PLACEHOLDERS.items():
        for language in ("ru", "en"):
            text = getattr(settings, f"template_{name}_{language}") or DEFAULTS[(name, language)]
            try:
                used = {field for _, field, _, _ in string.Formatter().parse(text) if field}
            except ValueError as exc:
                raise UnknownPlaceholder(f"template {name}_{language}: {exc}") from exc
            unknown = used - allowed
            if unknown:
                raise UnknownPlaceholder(
                    f"template {name}_{language} names {sorted(unknown)}; it may use "
                    f"{sorted(allowed) or 'no placeholders'}"
                )
