"""A fake card terminal speaking the line protocol over TCP, for demos and tests.

It approves every payment unless told otherwise: ``script`` is a queue of outcomes used one per
``PAY`` (``"approve"``, ``"decline:<reason_code>"``, ``"timeout"`` - charge the card but never
answer, the lost-answer case a till must reverse, ``"drop"`` - close without charging).
It keeps what it charged and reversed, so tests assert on the terminal's own state.
``python -m pos_app.devices.acquiring --port 9300`` runs one for the demo.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import socket
import threading
from collections import deque
from dataclasses import dataclass

from pos_app.devices.acquiring.protocol import MAX_LINE


@dataclass
class Charge:
    ref: str
    amount: int
    auth_code: str
    rrn: str
    reversed: bool = False


class FakeCardTerminal:
    """Serves on its own threads; ``start()`` returns the bound port."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, card_mask: str = "****4242"):
        self.host = host
        self.port = port
        self.card_mask = card_mask
        self.script: deque[str] = deque()
        self.charges: dict[str, Charge] = {}
        self.declined: list[tuple[str, str]] = []
        self.silent = False  # a hung terminal: reads requests, answers nothing
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def approved_total(self) -> int:
        with self._lock:
            return sum(c.amount for c in self.charges.values() if not c.reversed)

    def start(self) -> int:
        sock = socket.create_server((self.host, self.port))
        sock.settimeout(0.2)
        self._sock, self.port = sock, sock.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, name="fake-card-terminal",
                                        daemon=True)
        self._thread.start()
        return self.port

    def stop(self) -> None:
        """Stop listening at once (a terminal switched off refuses connections)."""
        self._stop.set()
        if self._sock is not None:
            with contextlib.suppress(OSError):  # shutdown wakes the accept() (Linux)
                self._sock.shutdown(socket.SHUT_RDWR)
            self._sock.close()
        if self._thread is not None:
            self._thread.join(timeout=2)

    def _serve(self) -> None:
        assert self._sock is not None
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            try:
                line = conn.recv(MAX_LINE).decode(errors="replace").strip()
            except OSError:
                return
            answer = None if self.silent else self._answer(line.split(" "))
            if answer:
                conn.sendall(answer.encode() + b"\n")
            elif answer is None:  # "timeout" or silent: quiet until the till gives up
                self._stop.wait(30)

    def _answer(self, parts: list[str]) -> str | None:
        with self._lock:
            if parts == ["PING"]:
                return "PONG"
            if len(parts) == 3 and parts[0] == "PAY" and parts[2].isdigit():
                return self._pay(parts[1], int(parts[2]))
            if len(parts) == 2 and parts[0] == "REVERSE":
                charge = self.charges.get(parts[1])
                if charge is None:
                    return f"NOTFOUND {parts[1]}"
                charge.reversed = True
                return f"REVERSED {parts[1]}"
            return "ERROR not understood"

    def _pay(self, ref: str, amount: int) -> str | None:
        known = self.charges.get(ref)
        if known is not None and not known.reversed:
            return self._approved(known)
        outcome = self.script.popleft() if self.script else "approve"
        if outcome.startswith("decline"):
            reason = outcome.partition(":")[2] or "insufficient_funds"
            self.declined.append((ref, reason))
            return f"DECLINED {ref} {reason} declined by the issuer"
        if outcome == "drop":
            return ""  # hang up at once, nothing charged
        number = next(self._numbers)
        charge = Charge(ref, amount, f"{100000 + number}", f"{number:012d}")
        self.charges[ref] = charge
        return None if outcome == "timeout" else self._approved(charge)

    def _approved(self, charge: Charge) -> str:
        return f"APPROVED {charge.ref} {charge.auth_code} {charge.rrn} {self.card_mask}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pos-app emulate card-terminal",
                                     description="A fake card terminal (approves everything).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9300)
    args = parser.parse_args(argv)
    terminal = FakeCardTerminal(args.host, args.port)
    print(f"fake card terminal on {args.host}:{terminal.start()}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        terminal.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
