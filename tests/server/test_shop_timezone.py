"""The shop's time zone on the server (issue 15, point 6b): one setting, a named zone, checked
at start, published to the tills through the feed only when it changes; on SQLite and
PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bench.net import free_port
from pos_app.domain.venue_clock import DEFAULT_SHOP_TIMEZONE
from pos_server.app import create_app
from pos_server.ledger.rules import ledger_rules
from pos_server.settings import ServerSettings
from tests.server.conftest import add_terminal

POS_SERVER = [str(Path(sys.executable).with_name("pos-server"))]


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """``zone(name)`` sets ``POS_SERVER_SHOP_TIMEZONE`` (None: unset) for the next app."""

    def set_zone(name: str | None) -> None:
        if name is None:
            monkeypatch.delenv("POS_SERVER_SHOP_TIMEZONE", raising=False)
        else:
            monkeypatch.setenv("POS_SERVER_SHOP_TIMEZONE", name)
        ledger_rules.cache_clear()

    set_zone(None)
    yield set_zone
    monkeypatch.delenv("POS_SERVER_SHOP_TIMEZONE", raising=False)
    ledger_rules.cache_clear()


def shop_changes(db_url: str) -> list[dict[str, Any]]:
    """The ``shop_settings`` changes a till pulls, read through the API."""
    new = add_terminal(db_url)
    with TestClient(create_app(ServerSettings(database_url=db_url))) as client:
        token = client.post("/v1/terminals/enrol", json={"code": new.enrolment_code}).json()
        feed = client.get("/v1/changes?limit=1000",
                          headers={"Authorization": f"Bearer {token['token']}"}).json()
    return [c["data"] for c in feed["changes"] if c["entity"] == "shop_settings"]


def test_the_default_zone_is_the_domains_and_needs_no_change(db_url: str, zone: Any) -> None:
    assert ledger_rules().shop_timezone == DEFAULT_SHOP_TIMEZONE == "Europe/Moscow"
    assert shop_changes(db_url) == []  # every till starts on the same default


def test_a_zone_is_published_once_and_again_only_when_it_changes(
    db_url: str, zone: Any
) -> None:
    zone("Europe/Berlin")
    for _ in range(2):  # a restart writes nothing new
        with TestClient(create_app(ServerSettings(database_url=db_url))):
            pass
    assert shop_changes(db_url) == [{"timezone": "Europe/Berlin"}]
    zone(None)  # back to the default: the tills must hear of it
    assert shop_changes(db_url) == [{"timezone": "Europe/Berlin"},
                                    {"timezone": DEFAULT_SHOP_TIMEZONE}]  # fmt: skip


def test_the_server_counts_the_day_by_the_published_zone(db_url: str, zone: Any) -> None:
    from datetime import UTC, datetime

    from pos_server.ledger.rules import day_bounds

    zone("Europe/Berlin")  # 29 March 2026 lasts 23 hours there
    assert day_bounds(datetime(2026, 3, 29, 12, 0, tzinfo=UTC)) == (
        datetime(2026, 3, 28, 23, 0, tzinfo=UTC), datetime(2026, 3, 29, 22, 0, tzinfo=UTC))


def test_an_unknown_zone_stops_the_server_at_start_with_a_clear_message(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "POS_SERVER_SHOP_TIMEZONE": "Mars/Olympus",
           "XDG_DATA_HOME": str(tmp_path)}  # fmt: skip
    database = tmp_path / "server.sqlite3"
    done = subprocess.run(
        [*POS_SERVER, "run", "--db", f"sqlite:///{database}", "--port", str(free_port())],
        env=env, capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "POS_SERVER_SHOP_TIMEZONE='Mars/Olympus'" in done.stderr
    assert "is not a known time zone" in done.stderr and "Traceback" not in done.stderr
    assert not database.exists()  # stopped before anything was written


def test_an_unknown_zone_stops_the_app_too(db_url: str, zone: Any) -> None:
    from pydantic import ValidationError

    zone("Europe/Atlantis")
    with pytest.raises(ValidationError, match="not a known time zone"):
        create_app(ServerSettings(database_url=db_url))
