"""Russian and English for the web pages: gettext catalogues made with Babel.

The English text is the message id; ``locale/ru/LC_MESSAGES/messages.po`` holds the Russian,
compiled to ``messages.mo`` next to it (shipped in the package; ``scripts/web_i18n.sh``
extracts, updates and compiles). The language is the ``pos_lang`` cookie (the switch on every
page), else the browser's Accept-Language, else Russian.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations

LANGUAGES = ("ru", "en")
DEFAULT = "ru"
COOKIE = "pos_lang"
DOMAIN = "messages"
LOCALE_DIR = Path(__file__).parent / "locale"


@cache
def translations(lang: str) -> NullTranslations:
    """The catalogue of ``lang``; English (the message ids) needs none."""
    if lang == "en":
        return NullTranslations()
    found = Translations.load(str(LOCALE_DIR), [lang], DOMAIN)
    if not isinstance(found, Translations):  # no .mo: a broken install, not a choice
        raise FileNotFoundError(f"no compiled {lang} catalogue in {LOCALE_DIR}")
    return found


def choose(cookie: str | None, accept_language: str | None) -> str:
    if cookie in LANGUAGES:
        return cookie
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return DEFAULT


def gettext(lang: str, message: str) -> str:
    return translations(lang).gettext(message)
