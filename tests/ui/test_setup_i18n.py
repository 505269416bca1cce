"""The first-run wizard speaks Russian: every string of ``ui/setup`` is in setup_ru.ts and
translated, the committed .qm is what lrelease makes of it, and the wizard uses it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from pos_app.commands.first_run_setup import DataFolderSetup
from pos_app.ui.i18n import TRANSLATIONS_DIR, install_translators
from pos_app.ui.op_runner import OpRunner
from pos_app.ui.setup.texts import failure_text
from pos_app.ui.setup.wizard import SetupWizard
from tests.ui.test_translations import messages

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TS = TRANSLATIONS_DIR / "setup_ru.ts"
QM = TRANSLATIONS_DIR / "setup_ru.qm"
SOURCES = sorted((ROOT / "pos_app/ui/setup").glob("*.py"))


def test_every_string_of_the_wizard_is_translated_to_russian(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    subprocess.run([BIN / "pyside6-lupdate", "-locations", "none", *SOURCES, "-ts", fresh],
                   check=True, capture_output=True)  # fmt: skip
    in_code, committed = set(messages(fresh)), messages(TS)
    assert in_code, "lupdate found no strings"
    assert in_code - set(committed) == set(), "run lupdate and translate the new strings"
    for key in in_code:
        translation = committed[key].find("translation")
        assert translation is not None and translation.text, key
        assert translation.get("type") != "unfinished", key


def test_the_committed_qm_is_built_from_the_committed_ts(tmp_path: Path) -> None:
    shutil.copy(TS, tmp_path / "setup_ru.ts")
    subprocess.run([BIN / "pyside6-lrelease", tmp_path / "setup_ru.ts", "-qm",
                    tmp_path / "setup_ru.qm"], check=True, capture_output=True)  # fmt: skip
    assert (tmp_path / "setup_ru.qm").read_bytes() == QM.read_bytes(), "run pyside6-lrelease"


@pytest.fixture
def russian(qapp: QApplication) -> Iterator[None]:
    translators = install_translators(qapp, "ru")
    yield
    for translator in translators:
        qapp.removeTranslator(translator)


def test_the_wizard_and_its_failures_speak_russian(
    russian: None, qtbot: QtBot, tmp_path: Path
) -> None:
    runner = OpRunner()
    wizard = SetupWizard(DataFolderSetup(tmp_path / "till"), runner)
    qtbot.addWidget(wizard)
    try:
        assert wizard.windowTitle() == "Настройка кассы"
        assert wizard.connect_page.connect_button.text() == "Подключить"
        assert failure_text("code_expired", "").startswith("Срок действия этого кода")
        assert "Tillkeeper" in failure_text("bad_link", "")
    finally:
        runner.shutdown()
