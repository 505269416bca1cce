"""Which language the UI speaks, and the Qt translators that make it speak it.

Every area of the UI ships its own ``<area>_<lang>.qm`` in ``pos_app/resources/translations``
(package data; the till's is ``till_ru.qm``); this loader installs all of them for the chosen
language, so a new screen adds a file and needs no change here. Russian is the default on a
Russian locale, English otherwise (the source strings are English); ``--lang`` overrides both.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from pos_app.resources import translations_dir

log = logging.getLogger(__name__)
LANGUAGES = ("ru", "en")
TRANSLATIONS_DIR = translations_dir()


def pick_language(override: str | None = None, locale: QLocale | None = None) -> str:
    """``override`` if given, else ``ru`` on a Russian locale, else ``en``."""
    if override:
        if override not in LANGUAGES:
            raise ValueError(f"unknown language {override!r}; choose one of {', '.join(LANGUAGES)}")
        return override
    system = locale if locale is not None else QLocale.system()
    return "ru" if system.language() == QLocale.Language.Russian else "en"


def install_translators(
    app: QCoreApplication, language: str, directory: Path | None = None
) -> list[QTranslator]:
    """Install every ``*_<language>.qm`` in ``directory``; returns them (keep them alive).

    English needs no file: the source strings are English. Qt's own texts (the OK and Cancel
    of standard dialogs) come from the ``qtbase_<language>.qm`` that ships with Qt.
    """
    installed: list[QTranslator] = []
    if language == "en":
        return installed
    directory = directory or translations_dir()
    qt_dir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    qt_own = [qt_dir / f"qtbase_{language}.qm"]
    ours = sorted(directory.glob(f"*_{language}.qm"))
    if not ours:  # said, not silent: the UI is about to speak English instead
        log.warning("no %s translations in %s: the UI stays in English", language, directory)
    for qm in [*(q for q in qt_own if q.exists()), *ours]:
        translator = QTranslator(app)
        if translator.load(str(qm)):
            app.installTranslator(translator)
            installed.append(translator)
        else:
            log.warning("could not load the translation %s", qm)
    return installed
