"""Installed from its wheel, the till prints and speaks Russian (issue 23 point 1).

The wheel is built from a copy of the source tree (``pip wheel --no-deps``, as a release
would), installed into a new virtual environment made without pip, and run from a folder
outside the checkout, with nothing of the checkout on ``sys.path``: a resource that is not
package data is missing there, as on a venue's till.

The dependencies (PySide6 and the rest, hundreds of megabytes) are not downloaded again: a
``.pth`` line adds this test environment's site-packages after the new environment's own.
That line is a plain path, so the ``.pth`` files in it (an editable install of the checkout)
are not run; the test checks that ``pos_app`` is imported from the new environment.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.net import free_port

ROOT = Path(__file__).resolve().parents[2]
# what a wheel is built from; the rest of a checkout (tests, caches, venvs) is left behind
SKIP = (".git", ".venv", "venv", "var", "build", "dist", "*.egg-info", "__pycache__", "tests",
        ".mypy_cache", ".ruff_cache", ".pytest_cache", ".hypothesis", "docs")  # fmt: skip
RESOURCES = (
    "pos_app/resources/receipts/printer_profiles.json",
    "pos_app/resources/receipts/receipt.tpl",
    "pos_app/resources/sounds/scan_ok.wav",
    "pos_app/resources/translations/till_ru.qm",
    "pos_app/resources/translations/console_ru.qm",
    "pos_app/resources/translations/device_settings_ru.qm",
    "pos_app/resources/translations/setup_ru.qm",
    "pos_app/resources/icons/tillkeeper.svg",
    "pos_server/web/locale/ru/LC_MESSAGES/messages.mo",
    "pos_server/web/static/htmx.min.js",
    "pos_server/web/static/web.css",
    "pos_server/web/templates/web/base.html",
    "pos_server/admin_web/templates/admin/sign_in.html",
    "pos_server/cabinet_web/templates/cabinet/sign_in.html",
    "pos_server/cabinet_web/static/cabinet.css",
    "pos_server/cabinet_web/locale/ru/LC_MESSAGES/cabinet.mo",
    "pos_server/db/migrations/versions/0020_backoffice.py",
)


@dataclass(frozen=True)
class Installed:
    venv: Path
    wheel: Path
    cwd: Path  # outside the checkout

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def pos_app(self) -> Path:
        return self.venv / "bin" / "pos-app"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if k not in ("PYTHONPATH", "POS_RESOURCES", "POS_DATA_DIR", "VIRTUAL_ENV")}
        env["QT_QPA_PLATFORM"] = "offscreen"
        env["PYTHONNOUSERSITE"] = "1"
        return env  # fmt: skip

    def run(self, *args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        argv = [str(a) for a in args]
        return subprocess.run(argv, cwd=self.cwd, env=self.env(), capture_output=True,
                              text=True, timeout=timeout, check=False)  # fmt: skip


def _site_packages(venv: Path) -> Path:
    found = sorted(venv.glob("lib/python*/site-packages"))
    assert len(found) == 1, found
    return found[0]


def _offline_build() -> list[str]:
    """``--no-build-isolation`` when this environment can build the wheel itself (setuptools
    >= 68 with a ``bdist_wheel``), so no index is needed; else pip fetches the build backend
    as for any release build."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        major, minor = (int(x) for x in version("setuptools").split(".")[:2])
    except (PackageNotFoundError, ValueError):
        return []
    try:
        version("wheel")
        has_wheel = True
    except PackageNotFoundError:
        has_wheel = (major, minor) >= (70, 1)  # setuptools' own bdist_wheel since 70.1
    return ["--no-build-isolation"] if major >= 68 and has_wheel else []


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    if os.name != "posix":
        pytest.skip("the test's virtual environment layout (bin/) is the POSIX one")
    top = tmp_path_factory.mktemp("wheel")
    source, wheels, venv, cwd = top / "src", top / "wheels", top / "venv", top / "elsewhere"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*SKIP))
    cwd.mkdir()
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", *_offline_build(),
         "-w", str(wheels), str(source)], capture_output=True, text=True, timeout=600,
        check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = wheels.glob("tillkeeper-*.whl")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True,
                   timeout=120)  # fmt: skip
    setup = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
         "--no-deps", "--no-index", "--quiet", str(wheel)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert setup.returncode == 0, setup.stdout + setup.stderr
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (_site_packages(venv) / "zz_test_dependencies.pth").write_text(
        "".join(f"{path}\n" for path in sorted(ours)), encoding="utf-8"
    )
    return Installed(venv, wheel, cwd)


def test_the_wheel_carries_every_resource(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    assert set(RESOURCES) <= names, set(RESOURCES) - names


def test_the_package_is_the_installed_one_not_the_checkout(installed: Installed) -> None:
    done = installed.run(installed.python, "-c",
                         "import pos_app, pos_app.resources as r; print(pos_app.__file__); "
                         "print(r.receipts_dir())")  # fmt: skip
    assert done.returncode == 0, done.stderr
    module, receipts = map(Path, done.stdout.splitlines())
    site = _site_packages(installed.venv)
    assert module.is_relative_to(site) and receipts.is_relative_to(site), done.stdout
    assert not module.is_relative_to(ROOT)


_RUSSIAN = """
import sys
from PySide6.QtCore import QCoreApplication
from pos_app.resources import translations_dir
from pos_app.ui.i18n import install_translators
app = QCoreApplication(sys.argv[:1])
translators = install_translators(app, "ru")
print(translations_dir())
print(len(translators))
print(QCoreApplication.translate("BasketPanel", "Item"))
print(QCoreApplication.translate("ConsoleOrders", "New"))
print(QCoreApplication.translate("DeviceSettingsWidget", "Receipt printer"))
"""


def test_the_russian_translation_loads_from_the_installed_package(installed: Installed) -> None:
    done = installed.run(installed.python, "-c", _RUSSIAN)
    assert done.returncode == 0, done.stderr
    folder, count, *texts = done.stdout.splitlines()
    assert Path(folder).is_relative_to(_site_packages(installed.venv))
    assert int(count) >= 3  # till, console, device settings (and Qt's own when it has one)
    assert texts == ["Товар", "Новый", "Чековый принтер"], texts


_BACK_OFFICE = """
from pos_server.admin_web.context import TEMPLATES, Reader
from pos_server.web.i18n import LOCALE_DIR, gettext
print(LOCALE_DIR)
print(gettext("ru", "Sign in to the back office"))
html = TEMPLATES.render("ru", "admin/sign_in.html", {"who": Reader("ru"), "csrf_token": "",
    "path": "/admin/sign-in", "sections": [], "pre_token": "t", "next": "/admin",
    "error": None, "notice": None}).body.decode()
print("Вход в бэк-офис" in html and "htmx.min.js" in html)
"""


def test_the_back_office_speaks_russian_from_the_installed_package(installed: Installed) -> None:
    done = installed.run(installed.python, "-c", _BACK_OFFICE)
    assert done.returncode == 0, done.stderr
    folder, title, rendered = done.stdout.splitlines()
    assert Path(folder).is_relative_to(_site_packages(installed.venv))
    assert (title, rendered) == ("Вход в бэк-офис", "True")


@pytest.fixture
def printer(installed: Installed, tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """The printer emulator of the installed package."""
    port, out = free_port(), tmp_path / "printer"
    out.mkdir()
    proc = subprocess.Popen(
        [installed.pos_app, "emulate", "printer", "--port", str(port), "--out", str(out)],
        cwd=installed.cwd, env=installed.env(),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            time.sleep(0.05)
        yield port, out
    finally:
        proc.terminate()
        proc.wait(10)


def test_a_sale_from_the_installed_till_prints_a_russian_receipt(
    installed: Installed, printer: tuple[int, Path], tmp_path: Path
) -> None:
    port, out = printer
    till = tmp_path / "till"
    filled = installed.run(installed.pos_app, "demo-data", "--data-dir", till)
    assert filled.returncode == 0, filled.stderr
    sold = installed.run(installed.pos_app, "demo-sale", "--data-dir", till,
                         "--printer", f"127.0.0.1:{port}")  # fmt: skip
    assert sold.returncode == 0, sold.stdout + sold.stderr
    assert "FileNotFoundError" not in sold.stderr
    deadline = time.monotonic() + 10
    while not list(out.glob("job-*.txt")) and time.monotonic() < deadline:
        time.sleep(0.05)
    receipt = next(out.glob("job-*.txt")).read_text(encoding="utf-8")
    assert receipt.splitlines()[0].strip() == "Демо-кафе"
    for text in ("Чек", "Гость", "Анна Смирнова", "ИТОГО", "639,00", "Наличные", "[CUT]"):
        assert text in receipt, (text, receipt)
    assert "?" not in receipt  # Cyrillic the printer's code page could not take prints as ?
