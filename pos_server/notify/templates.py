"""Message texts: templates with ``{placeholders}``, Russian and English built-in texts, each
replaceable by the venue in the programme settings' ``messages`` group (``messages.<kind>_<lang>``,
``pos_server.programme``; the back office's settings page), checked when saved: a text naming a
placeholder its message does not have is refused there, rather than failing every message later.

The text is rendered when the message is written into the outbox (``messages.py``), so a change
applies to the messages written after it; what is already queued goes out as written.
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING

from pos_app.domain.money import format_money

if TYPE_CHECKING:
    from pos_server.notify.settings import NotifySettings
    from pos_server.programme.model import Programme

LANGUAGES = ("ru", "en")

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

# name -> the placeholders its text must name (the message is useless without them)
REQUIRED: dict[str, frozenset[str]] = {
    "cabinet_credentials": frozenset({"login", "password"}),
    "signup_code": frozenset({"code"}),
    "recovery_code": frozenset({"code"}),
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


def template(language: str, name: str, programme: Programme | None = None) -> str:
    """The venue's text (``messages.<name>_<language>``), else the built-in one."""
    set_here = programme.messages.text(name, language) if programme is not None else ""
    return set_here or DEFAULTS[(name, language)]


def render(settings: NotifySettings, message: str, **values: object) -> str:
    """The built-in text of ``message`` in ``POS_SERVER_NOTIFY_LANGUAGE``; money values are kopecks
    (int) and are written as roubles."""
    return render_for(settings, message, None, values)


def render_for(settings: NotifySettings, message: str, programme: Programme | None,
               values: dict[str, object]) -> str:  # fmt: skip
    """``render`` with the programme settings (``pos_server.programme``), whose language
    (``messages.language``) and texts win."""
    shown = {k: format_money(v) if k in ("amount", "balance") and isinstance(v, int) else v
             for k, v in values.items()}  # fmt: skip
    language = programme.messages.language if programme is not None else settings.notify_language
    return template(language, message, programme).format_map(shown)


def unknown_placeholders(name: str, text: str) -> list[str] | None:
    """The placeholders ``text`` names that message ``name`` does not have, sorted ("" for a
    bare ``{}``, ``name.attr`` as written); None: ``text`` does not parse (a lone brace)."""
    try:
        used = {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
    except ValueError:
        return None
    return sorted(used - PLACEHOLDERS[name])


def missing_placeholders(name: str, text: str) -> list[str]:
    """The placeholders message ``name`` must name (``REQUIRED``) that ``text`` does not;
    nothing for an empty text (the built-in one is used)."""
    if not text:
        return []
    used = {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
    return sorted(REQUIRED.get(name, frozenset()) - used)


def check_template(name: str, text: str) -> None:
    """``text`` parses, names only message ``name``'s placeholders and the ones it must
    (empty: fine, the built-in text)."""
    allowed = PLACEHOLDERS[name]
    unknown = unknown_placeholders(name, text)
    if unknown is None:
        raise UnknownPlaceholder("a brace without its pair: write {{ and }} for a brace itself")
    if unknown:
        raise UnknownPlaceholder(
            f"the text names {{{'}, {'.join(unknown)}}}; it may "
            f"use {', '.join(sorted(allowed)) or 'no placeholders'}"
        )
    missing = missing_placeholders(name, text)
    if missing:
        raise UnknownPlaceholder(f"the text must name {{{'}, {'.join(missing)}}}")
