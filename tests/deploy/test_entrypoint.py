"""The server image's entrypoint (``deploy/docker-entrypoint.sh``) run on its own, outside a
container, with the settings a container gets: environment only.

The CI machine has no container engine, so the script is exercised here as the image runs it
(``tests/deploy/test_image.py`` builds and runs the image itself where Docker can). It runs
with this checkout's ``pos-server`` first on ``PATH``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from bench.net import free_port
from tests.server.conftest import PG_SKIP_REASON, PG_URL, throwaway_pg_database

ROOT = Path(__file__).resolve().parents[2]
ENTRYPOINT = ROOT / "deploy" / "docker-entrypoint.sh"


def environment(**settings: str) -> dict[str, str]:
    """A clean environment: PATH with this interpreter's scripts, no POS_SERVER_* of ours."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("POS_SERVER_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(ROOT)
    env["POS_SERVER_SWEEP_INTERVAL_SECONDS"] = "0"
    return env | settings


def entrypoint(*args: str, timeout: float = 120, **settings: str
               ) -> subprocess.CompletedProcess[str]:  # fmt: skip
    return subprocess.run(["sh", str(ENTRYPOINT), *args], env=environment(**settings),
                          capture_output=True, text=True, timeout=timeout, check=False)  # fmt: skip


def test_without_a_database_url_it_migrates_sqlite_in_the_data_folder(tmp_path: Path) -> None:
    done = entrypoint("migrate", TILLKEEPER_DATA_DIR=str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "POS_SERVER_DATABASE_URL is not set; using SQLite" in done.stderr
    assert (tmp_path / "server.sqlite3").stat().st_size > 0


def test_pos_server_commands_and_other_programs_pass_through(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    added = entrypoint("terminal", "add", "Till 1", POS_SERVER_DATABASE_URL=url)
    assert added.returncode == 0, added.stderr
    assert '"enrolment_code"' in added.stdout
    echoed = entrypoint("echo", "hello")
    assert (echoed.returncode, echoed.stdout) == (0, "hello\n")


def test_bad_settings_stop_it_with_the_reason(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    workers = entrypoint("run", POS_SERVER_DATABASE_URL=url, POS_SERVER_WORKERS="two")
    assert workers.returncode == 2 and "POS_SERVER_WORKERS=two" in workers.stderr
    missing = entrypoint("migrate", POS_SERVER_DATABASE_URL_FILE=str(tmp_path / "nope"))
    assert missing.returncode == 2 and "cannot be read" in missing.stderr


def test_an_unreachable_database_is_retried_then_given_up(tmp_path: Path) -> None:
    started = time.monotonic()
    done = entrypoint("migrate", POS_SERVER_DATABASE_URL=f"postgresql+psycopg://nobody@127.0.0.1:"
                      f"{free_port()}/none", POS_SERVER_DB_WAIT_SECONDS="15")  # fmt: skip
    assert done.returncode == 2
    assert "trying again in 2 s" in done.stderr
    assert "could not be migrated within 15 s" in done.stderr
    # the script counts whole seconds (``date +%s``): 15 of them may be 14.01 s of real time
    assert time.monotonic() - started >= 14


def test_healthcheck_fails_when_no_server_answers() -> None:
    done = entrypoint("healthcheck", POS_SERVER_PORT=str(free_port()))
    assert done.returncode == 1 and "unhealthy" in done.stderr


@pytest.mark.postgres
def test_run_serves_postgresql_from_a_url_file_with_workers_and_stops_on_sigterm(
    tmp_path: Path,
) -> None:
    if not PG_URL:
        pytest.skip(PG_SKIP_REASON)
    with throwaway_pg_database(PG_URL) as url:
        secret = tmp_path / "database_url"
        secret.write_text(url + "\n")
        port = str(free_port())
        settings = {"POS_SERVER_DATABASE_URL_FILE": str(secret), "POS_SERVER_PORT": port,
                    "POS_SERVER_HOST": "127.0.0.1", "POS_SERVER_WORKERS": "2"}  # fmt: skip
        log = (tmp_path / "run.log").open("wb")
        server = subprocess.Popen(["sh", str(ENTRYPOINT)], env=environment(**settings),
                                  stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
        try:
            deadline = time.monotonic() + 90
            while True:
                assert server.poll() is None, (tmp_path / "run.log").read_text()
                try:
                    answer = requests.get(f"http://127.0.0.1:{port}/health", timeout=2)
                    if answer.status_code == 200:
                        break
                except requests.RequestException:
                    pass
                assert time.monotonic() < deadline, (tmp_path / "run.log").read_text()
                time.sleep(0.2)
            assert answer.json()["database"] == "ok"
            check = entrypoint("healthcheck", POS_SERVER_PORT=port)
            assert check.returncode == 0, check.stderr
            # exec'd: the signal reaches pos-server itself, which stops at once
            server.send_signal(signal.SIGTERM)
            assert server.wait(30) == 0
        finally:
            if server.poll() is None:
                server.kill()
                server.wait()
            log.close()
        text = (tmp_path / "run.log").read_text()
        assert "database is up to date" in text
        assert text.count("Started server process") == 2
