"""Waiting for a server process the tests started: one loop, one deadline.

The deadline is generous on purpose: on a machine shared with other jobs (a load of 10 on 2
cores was seen) importing the server took longer than the 20 s each test used to allow, and a
slow start is not what these tests examine. A process that dies is reported at once, with
what it printed. ``POS_TEST_STARTUP_SECONDS`` overrides the deadline.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import httpx

STARTUP_SECONDS = float(os.environ.get("POS_TEST_STARTUP_SECONDS", "90"))


def _output(process: subprocess.Popen[bytes] | None, log: Path | None) -> str:
    if log is not None and log.exists():
        return log.read_text(errors="replace")
    if process is not None:
        for stream in (process.stderr, process.stdout):
            if stream is not None:
                return stream.read().decode(errors="replace")
    return ""


def wait_until_up(
    base: str, process: subprocess.Popen[bytes] | None = None, *, ca: Path | None = None,
    log: Path | None = None, seconds: float = STARTUP_SECONDS,
) -> None:  # fmt: skip
    """Until ``base``/health answers 200 (HTTPS checked against ``ca`` when given)."""
    deadline = time.monotonic() + seconds
    verify: bool | str = str(ca) if ca is not None else True
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the server process died: {_output(process, log)}")
        try:
            if httpx.get(f"{base}/health", timeout=0.5, verify=verify).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{base} did not answer within {seconds:.0f} s: {_output(None, log)}")


def wait_for_port(port: int, process: subprocess.Popen[bytes] | None = None,
                  seconds: float = STARTUP_SECONDS) -> None:  # fmt: skip
    """Until something accepts connections on 127.0.0.1:``port``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the process died: {_output(process, None)}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"nothing listened on port {port} within {seconds:.0f} s")
