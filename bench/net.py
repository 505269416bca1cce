"""Loopback helpers for the benchmarks and the tests that start real processes (kept in
``bench`` so a benchmark runs from any directory; the tests import it from here too)."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (the caller's process binds it next)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
