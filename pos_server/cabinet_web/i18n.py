"""The cabinet's Russian texts: a catalogue of its own (``locale/ru/LC_MESSAGES/cabinet.po``,
compiled to ``cabinet.mo``; ``scripts/cabinet_i18n.sh``) merged over the web stack's, so the
cabinet's pages need no change to the back office's catalogue."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations
from jinja2 import ChoiceLoader, Environment

from pos_app.domain.money import format_money
from pos_server.web import i18n
from pos_server.web.templating import Templates

DOMAIN = "cabinet"
LOCALE_DIR = Path(__file__).parent / "locale"


@cache
def translations(lang: str) -> NullTranslations:
    if lang == "en":
        return NullTranslations()
    merged = Translations.load(str(i18n.LOCALE_DIR), [lang], i18n.DOMAIN)
    own = Translations.load(str(LOCALE_DIR), [lang], DOMAIN)
    if not isinstance(merged, Translations) or not isinstance(own, Translations):
        raise FileNotFoundError(f"no compiled {lang} catalogue for the cabinet")
    merged.merge(own)  # a fresh load: the web stack's cached catalogue stays as it is
    return merged


def gettext(lang: str, message: str) -> str:
    return translations(lang).gettext(message)


def local_time(at: datetime, zone: tzinfo) -> str:
    """A stored instant (UTC; naive from SQLite) as the venue's clock shows it."""
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return aware.astimezone(zone).strftime("%Y-%m-%d %H:%M")


class CabinetTemplates(Templates):
    """The web stack's templates with the cabinet's catalogue installed."""

    @staticmethod
    def _environment(loader: ChoiceLoader, lang: str) -> Environment:
        env = Templates._environment(loader, lang)
        env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
        env.filters["money"] = format_money
        env.filters["points"] = lambda kopecks: format_money(kopecks, "")
        env.filters["local"] = local_time
        env.globals["cabinet_static"] = "/cabinet/static"
        return env


TEMPLATES = CabinetTemplates("pos_server.cabinet_web")
