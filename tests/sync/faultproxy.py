"""A real ``pos-server run`` process and a fault-injecting TCP proxy between a till and it.

``ServerProcess`` starts the server on loopback (it can be killed and restarted on the same
port and database mid-test). ``FaultProxy`` listens on its own port and forwards HTTP/1.1
requests one by one; a test queues faults that hit the next matching request:

* ``drop``          - read the request, close the connection; the server never sees it
* ``blackhole``     - read the request, answer nothing for ``seconds`` (the client times out)
* ``delay``         - forward after ``seconds`` (the client may give up and retry meanwhile)
* ``cut_request``   - forward half of the request bytes, then close both sides
* ``cut_response``  - forward the request, let the server answer, give the client half of the
                      answer and close: the server applied what the till never heard about
* ``reset``         - answer the client with a TCP RST (SO_LINGER 0) before forwarding
* ``reset_after``   - forward, let the server answer, then RST the client instead
* ``duplicate``     - forward normally and deliver a captured copy of the request again on
                      a separate connection (a replay the server must judge as one)

``offline = True`` makes the proxy refuse every connection with a reset (an outage).
"""

from __future__ import annotations

import contextlib
import os
import socket
import struct
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import requests

from bench.net import free_port

MODES = {"drop", "blackhole", "delay", "cut_request", "cut_response", "reset", "reset_after",
         "duplicate"}  # fmt: skip



class ServerProcess:
    """``pos-server run`` on 127.0.0.1 in a subprocess; ``restart()`` keeps port and database."""

    def __init__(self, db_url: str, log_dir: Path, **settings: object) -> None:
        self.db_url = db_url
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log_dir = log_dir
        self._env = {**os.environ, **{f"POS_SERVER_{k.upper()}": str(v)
                                      for k, v in settings.items()}}  # fmt: skip
        self._proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self, timeout: float = 20.0) -> None:
        self.starts += 1
        log = open(self._log_dir / f"server-{self.port}-{self.starts}.log", "wb")  # noqa: SIM115
        args = [sys.executable, "-m", "pos_server.cli", "run", "--db", self.db_url,
                "--port", str(self.port)]  # fmt: skip
        self._proc = subprocess.Popen(args, env=self._env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"pos-server exited with {self._proc.returncode}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(self.url + "/health", timeout=0.5).status_code == 200:
                    return
            time.sleep(0.05)
        raise RuntimeError(f"pos-server did not answer on {self.url} within {timeout} s")

    def stop(self, *, kill: bool = False) -> None:
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        if kill:
            proc.kill()
        else:
            proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)

    def restart(self, *, kill: bool = True) -> None:
        self.stop(kill=kill)
        self.start()

    def __enter__(self) -> ServerProcess:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass
class Fault:
    mode: str
    path: str = ""  # only requests whose path starts with this
    seconds: float = 0.0


class _Closed(Exception):
    pass


def _read_until(sock: socket.socket, buf: bytearray, marker: bytes) -> int:
    while (index := buf.find(marker)) < 0:
        chunk = sock.recv(65536)
        if not chunk:
            raise _Closed
        buf += chunk
    return index + len(marker)


def _read_exact(sock: socket.socket, buf: bytearray, size: int) -> None:
    while len(buf) < size:
        chunk = sock.recv(65536)
        if not chunk:
            raise _Closed
        buf += chunk


def _headers(head: bytes) -> dict[str, str]:
    lines = head.decode("latin-1").split("\r\n")[1:]
    return {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines if ln)}


def read_message(sock: socket.socket, buf: bytearray) -> bytes:
    """One HTTP/1.1 message (request or response) from ``sock``; leftovers stay in ``buf``."""
    end = _read_until(sock, buf, b"\r\n\r\n")
    headers = _headers(bytes(buf[: end - 4]))
    if "content-length" in headers:
        total = end + int(headers["content-length"])
        _read_exact(sock, buf, total)
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        pos = end
        while True:
            line_end = _read_until_from(sock, buf, b"\r\n", pos)
            size = int(bytes(buf[pos : line_end - 2]).split(b";")[0], 16)
            pos = line_end + size + 2
            _read_exact(sock, buf, pos)
            if size == 0:
                break
        total = pos
    else:
        total = end
    message = bytes(buf[:total])
    del buf[:total]
    return message


def _read_until_from(sock: socket.socket, buf: bytearray, marker: bytes, start: int) -> int:
    while (index := buf.find(marker, start)) < 0:
        chunk = sock.recv(65536)
        if not chunk:
            raise _Closed
        buf += chunk
    return index + len(marker)


def _rst(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()


class FaultProxy:
    """Forwards 127.0.0.1:<port> to the server, injecting queued faults per request."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.offline = False
        self._faults: deque[Fault] = deque()
        self._lock = threading.Lock()
        self._conns: set[socket.socket] = set()
        self.fired: list[tuple[str, str]] = []  # (mode, path) of every fault that hit
        self.requests = 0
        self._closing = False
        threading.Thread(target=self._accept, daemon=True, name="faultproxy").start()

    def inject(self, mode: str, path: str = "", seconds: float = 0.0, times: int = 1) -> None:
        assert mode in MODES, mode
        with self._lock:
            self._faults.extend(Fault(mode, path, seconds) for _ in range(times))

    def pending_faults(self) -> int:
        with self._lock:
            return len(self._faults)

    def go_offline(self) -> None:
        """An outage: new connections are reset, open ones are cut."""
        self.offline = True
        with self._lock:
            conns, self._conns = set(self._conns), set()
        for conn in conns:
            _rst(conn)

    def go_online(self) -> None:
        self.offline = False

    def close(self) -> None:
        self._closing = True
        self.go_offline()
        self._listener.close()

    def _accept(self) -> None:
        while not self._closing:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self.offline:
                _rst(client)
                continue
            with self._lock:
                self._conns.add(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _next_fault(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if path.startswith(fault.path):
                    self._faults.remove(fault)
                    self.fired.append((fault.mode, path))
                    return fault
        return None

    def _serve(self, client: socket.socket) -> None:
        upstream: socket.socket | None = None
        inbuf, upbuf = bytearray(), bytearray()
        try:
            while True:
                request = read_message(client, inbuf)
                self.requests += 1
                path = request.split(b" ", 2)[1].decode("latin-1")
                if self.offline:
                    _rst(client)
                    return
                fault = self._next_fault(path)
                if upstream is None:
                    upstream = socket.create_connection(self.upstream, timeout=60)
                    with self._lock:
                        self._conns.add(upstream)
                if not self._forward(client, upstream, upbuf, request, fault):
                    return
        except (_Closed, OSError):
            return
        finally:
            for sock in (client, upstream):
                if sock is not None:
                    with self._lock:
                        self._conns.discard(sock)
                    with contextlib.suppress(OSError):
                        sock.close()

    def _forward(
        self, client: socket.socket, upstream: socket.socket, upbuf: bytearray,
        request: bytes, fault: Fault | None,
    ) -> bool:  # fmt: skip
        """One request through; False when the connection is to be closed."""
        mode = fault.mode if fault else "pass"
        if mode == "drop":
            return False
        if mode == "reset":
            _rst(client)
            return False
        if mode == "blackhole":
            time.sleep(fault.seconds if fault else 0)
            return False
        if mode == "cut_request":
            upstream.sendall(request[: max(1, len(request) // 2)])
            return False
        if mode == "delay" and fault:
            time.sleep(fault.seconds)
        upstream.sendall(request)
        if mode == "duplicate":
            threading.Thread(target=self._replay, args=(request,), daemon=True).start()
        response = read_message(upstream, upbuf)
        if mode == "cut_response":
            client.sendall(response[: max(1, len(response) // 2)])
            return False
        if mode == "reset_after":
            _rst(client)
            return False
        client.sendall(response)
        return True

    def _replay(self, request: bytes) -> None:
        """Deliver a captured request again on its own connection; the answer is dropped."""
        with (
            contextlib.suppress(OSError, _Closed),
            socket.create_connection(self.upstream, timeout=30) as sock,
        ):
            sock.sendall(request)
            read_message(sock, bytearray())


# --- the server's database, seen from the test -----------------------------------------------


def enrol_terminal(server: ServerProcess, name: str = "Till") -> tuple[str, str]:
    """Register a terminal in the server's database and enrol it over HTTP: (id, token)."""
    from datetime import UTC, datetime

    from pos_server.db import make_engine, make_sessions
    from pos_server.terminals import service as terminals

    engine = make_engine(server.db_url)
    try:
        with make_sessions(engine).begin() as session:
            added = terminals.add_terminal(session, name, datetime.now(UTC))
    finally:
        engine.dispose()
    response = requests.post(server.url + "/v1/terminals/enrol",
                             json={"code": added.enrolment_code}, timeout=10)  # fmt: skip
    response.raise_for_status()
    body = response.json()
    return str(body["terminal_id"]), str(body["token"])


def seed_guests(db_url: str, count: int, created_by: str, *, prefix: str = "g") -> None:
    """``count`` guests with their feed changes written straight into the server's database
    (as fast as the database allows; the server's own ops path is tested elsewhere)."""
    from datetime import UTC, datetime

    from sqlalchemy import insert, select, update

    from pos_server.db import make_engine
    from pos_server.db.models import Change, FeedCounter, Guest

    now = datetime.now(UTC)
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            last = conn.execute(select(FeedCounter.last_id).where(FeedCounter.id == 1)).scalar_one()
            guests = [{"id": f"{prefix}{i}", "name": f"Guest {i}",
                       "phone": f"+7912{i % 10_000_000:07d}", "created_at": now,
                       "created_by": created_by} for i in range(count)]  # fmt: skip
            conn.execute(insert(Guest), guests)
            changes = [{"id": last + 1 + i, "entity": "guest", "entity_id": g["id"],
                        "data": {"guest_id": g["id"], "name": g["name"], "phone": g["phone"]},
                        "at": now} for i, g in enumerate(guests)]  # fmt: skip
            conn.execute(insert(Change), changes)
            conn.execute(update(FeedCounter).where(FeedCounter.id == 1)
                         .values(last_id=last + count))  # fmt: skip
    finally:
        engine.dispose()
