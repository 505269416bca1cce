"""A real ``pos-server run`` on loopback and Debian's headless chromium driven by Playwright:
what the back office's browser tests and its screenshots use.

Playwright's own browser download does not work everywhere (no network, an unsupported
distribution), so it drives the system's ``chromium`` (``apt-get install chromium``;
scripts/bootstrap.sh installs it): ``executable_path=shutil.which("chromium")``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.net import free_port
from pos_server.db import make_engine, upgrade
from pos_server.staff import permissions as perms
from pos_server.staff import service as staff
from pos_server.uow import unit_of_work
from tests.live_server import wait_until_up

PASSWORD = "correct horse battery"
ROOT = Path(__file__).resolve().parents[2]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass(frozen=True)
class Server:
    url: str
    db_url: str


def add_admin_by_cli(db_url: str, name: str, password: str = PASSWORD) -> None:
    """``pos-server admin add NAME --password-stdin``, as an owner runs it."""
    done = subprocess.run(
        [sys.executable, "-m", "pos_server.cli", "admin", "add", name, "--password-stdin",
         "--db", db_url], input=password + "\n", capture_output=True, text=True, timeout=120,
        check=False, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def add_member(db_url: str, name: str, role: str, pin: str, permissions: set[str]) -> str:
    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
            row = staff.add_staff(uow, name, role, pin)
            staff.set_password(uow, row.id, PASSWORD)
            perms.set_permissions(uow, row.id, permissions)
            return row.id
    finally:
        engine.dispose()


@contextmanager
def live_server(folder: Path, env: dict[str, str] | None = None) -> Iterator[Server]:
    """``pos-server run`` on a SQLite file in ``folder``, stopped when the block ends;
    ``env``: more ``POS_SERVER_*`` settings (the cabinet's fake SMS.ru)."""
    db_url = f"sqlite:///{folder / 'server.sqlite3'}"
    upgrade(db_url)
    port = free_port()
    log = folder / "server.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "POS_SERVER_SWEEP_INTERVAL_SECONDS": "0",
           **(env or {})}  # fmt: skip
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "pos_server.cli", "run", "--db", db_url, "--host",
             "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT,
        )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url, process, log=log)
        yield Server(url, db_url)
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@contextmanager
def browser() -> Iterator[Any]:
    """A headless chromium (Playwright's ``Browser``)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        found = playwright.chromium.launch(executable_path=chromium_path(), headless=True,
                                           args=["--no-sandbox"])  # fmt: skip
        try:
            yield found
        finally:
            found.close()


def sign_in(page: Any, server: Server, name: str, password: str = PASSWORD,
            path: str = "/admin") -> None:  # fmt: skip
    page.goto(server.url + path)
    page.fill("#name", name)
    page.fill("#password", password)
    page.click("button[type=submit]")
