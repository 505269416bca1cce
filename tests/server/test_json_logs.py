"""Structured server logs: ``pos-server run --log-format json`` (or
``POS_SERVER_LOG_FORMAT=json``) writes one JSON object per line (issue 23 point 4)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from bench.net import free_port
from pos_server.log_format import JsonFormatter, log_config
from pos_server.settings import ServerSettings

POS_SERVER = [sys.executable, "-m", "pos_server.cli"]
KEYS = {"time", "level", "logger", "message"}


def _serve_and_call(tmp_path: Path, extra: list[str], env: dict[str, str]) -> list[dict]:
    """Start a real server, make three requests, stop it; its log lines, parsed."""
    port, log = free_port(), tmp_path / "server.log"
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [*POS_SERVER, "run", "--db", f"sqlite:///{tmp_path / 's.sqlite3'}", "--port",
             str(port), *extra], env={**os.environ, **env}, stdout=sink, stderr=sink,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "pos-server did not answer"
                time.sleep(0.2)
            assert httpx.post(f"{base}/v1/ops", json={}, timeout=10,
                              headers={"Authorization": "Bearer not-a-token"}).status_code == 401
            assert httpx.get(f"{base}/no/such/page?x=1", timeout=10).status_code == 404
            time.sleep(0.5)  # the access lines are written after the answers
        finally:
            process.terminate()
            process.wait(timeout=30)
    lines = [line for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert lines
    parsed = []
    for line in lines:
        record = json.loads(line)  # every line is one JSON object
        assert set(record) >= KEYS, record
        parsed.append(record)
    return parsed


def _access(records: list[dict], path: str) -> dict:
    (found,) = [r for r in records if r["logger"] == "uvicorn.access" and r["path"] == path]
    return found


def test_every_line_is_json_with_the_requests_fields(tmp_path: Path) -> None:
    """Two worker processes: each gets the JSON configuration too."""
    records = _serve_and_call(tmp_path, ["--log-format", "json", "--workers", "2"], {})
    assert any(r["logger"].startswith("alembic") for r in records)  # migrations included
    health = _access(records, "/health")
    assert (health["method"], health["status"], health["level"]) == ("GET", 200, "INFO")
    assert health["client"].startswith("127.0.0.1:")
    assert health["time"].endswith("Z")
    ops = _access(records, "/v1/ops")  # answered by the fast path, logged all the same
    assert (ops["method"], ops["status"]) == ("POST", 401)
    assert _access(records, "/no/such/page?x=1")["status"] == 404
    supervisor = {r["pid"] for r in records if "Started parent process" in r["message"]}
    assert supervisor and health["pid"] not in supervisor


def test_the_format_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POS_SERVER_LOG_FORMAT", "json")
    assert ServerSettings().log_format == "json"
    monkeypatch.setenv("POS_SERVER_LOG_FORMAT", "xml")
    with pytest.raises(ValueError, match="log_format"):
        ServerSettings()
    assert log_config("text", "info") is None  # uvicorn's own format, as before


def test_an_exception_is_one_line_with_its_traceback() -> None:
    try:
        raise RuntimeError("the ledger is unhappy")
    except RuntimeError:
        record = logging.LogRecord("pos_server.ops", logging.ERROR, __file__, 1,
                                   "batch %s failed", ("b1",), sys.exc_info())  # fmt: skip
    line = JsonFormatter().format(record)
    assert "\n" not in line
    parsed = json.loads(line)
    assert parsed["message"] == "batch b1 failed" and parsed["level"] == "ERROR"
    assert "RuntimeError: the ledger is unhappy" in parsed["exception"]
