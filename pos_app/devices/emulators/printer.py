"""A TCP (port 9100, "RAW") ESC/POS printer for demos and tests.

Each connection is one job. What the job printed is decoded into ``job-NNNN.txt`` in the
output folder, drawn as ``job-NNNN.png`` (see ``png.py``) and kept raw as ``job-NNNN.bin``;
real-time status requests are
answered while the job streams in. Paper-out can be simulated with ``--paper-out``, by
creating a file named ``PAPER_OUT`` in the output folder, or by sending SIGUSR1 (toggle):
the printer then reports paper end and offline, and prints nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import socket
import threading
from pathlib import Path
from types import FrameType

from pos_app.devices.emulators.escpos_decoder import CODEPAGES, DecodedJob, EscposDecoder
from pos_app.devices.emulators.png import render_png

log = logging.getLogger(__name__)

STATUS_OK = 0x12  # bits 1 and 4 are always set in DLE EOT replies
OFFLINE = 0x08  # DLE EOT 1: printer offline
PAPER_END_STOP = 0x20  # DLE EOT 2: printing stopped by paper end
PAPER_END = 0x60  # DLE EOT 4: roll paper end sensor


class PrinterEmulator:
    """Serves ESC/POS over TCP on its own threads; ``start()`` returns the bound port."""

    def __init__(
        self,
        out_dir: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 9100,
        brand: str = "epson",
        columns: int = 48,
        paper_out: bool = False,
        png: bool = True,
    ) -> None:
        self.out_dir = out_dir
        self.png = png
        self.host, self.port = host, port
        self.brand, self.columns = brand, columns
        self._paper_out = paper_out
        self._server: socket.socket | None = None
        self._stop = threading.Event()
        self._serving: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._job_number = 0
        self.jobs_done = threading.Condition(self._lock)
        self.printed: list[Path] = []
        self.rejected = 0

    @property
    def paper_out(self) -> bool:
        return self._paper_out or (self.out_dir / "PAPER_OUT").exists()

    @paper_out.setter
    def paper_out(self, value: bool) -> None:
        self._paper_out = value

    def status_byte(self, n: int) -> int:
        """The reply to ``DLE EOT n`` in the current state."""
        if not self.paper_out:
            return STATUS_OK
        return STATUS_OK | {1: OFFLINE, 2: PAPER_END_STOP, 4: PAPER_END}.get(n, 0)

    def start(self) -> int:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        server = socket.create_server((self.host, self.port), reuse_port=False)
        server.settimeout(0.2)
        self._server = server
        self.port = server.getsockname()[1]
        threading.Thread(target=self._accept_loop, name="printer-emulator", daemon=True).start()
        return self.port

    def stop(self, timeout: float = 3.0) -> None:
        """Stop listening; jobs already received are decoded and written before it returns."""
        self._stop.set()
        if self._server is not None:
            self._server.close()
        for worker in list(self._serving):
            worker.join(timeout)

    def wait_for_jobs(self, count: int, timeout: float = 5.0) -> list[Path]:
        """Block until ``count`` jobs were printed (for tests and scripts)."""
        with self.jobs_done:
            self.jobs_done.wait_for(lambda: len(self.printed) >= count, timeout)
            return list(self.printed)

    def _accept_loop(self) -> None:
        assert self._server is not None
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            worker = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._serving = [t for t in self._serving if t.is_alive()] + [worker]
            worker.start()

    def _serve(self, conn: socket.socket) -> None:
        decoder = EscposDecoder(self.brand, self.columns, self.status_byte)
        raw = bytearray()
        no_paper = False  # paper state while the job's bytes arrive, not when it ends
        conn.settimeout(0.2)
        with conn:
            while not self._stop.is_set():
                try:
                    data = conn.recv(65536)
                except TimeoutError:
                    continue
                except OSError:
                    break
                if not data:
                    break
                raw += data
                reply = decoder.feed(data)
                no_paper = no_paper or (self.paper_out and _prints_something(data, reply))
                if reply:
                    conn.sendall(reply)
        self._store(decoder.finish(), bytes(raw), no_paper)

    def _store(self, job: DecodedJob, raw: bytes, no_paper: bool) -> None:
        if not any(line.strip() for line in job.lines):
            return  # a status-only connection prints nothing
        with self.jobs_done:
            if no_paper:
                self.rejected += 1
                log.warning("paper out: job of %d bytes not printed", len(raw))
                return
            self._job_number += 1
            stem = self.out_dir / f"job-{self._job_number:04d}"
            self.printed.append(write_job_files(stem, job, raw, self.columns, self.png))
            self.jobs_done.notify_all()


def write_job_files(stem: Path, job: DecodedJob, raw: bytes, columns: int, png: bool) -> Path:
    """``stem.txt`` (decoded text and warnings), ``stem.bin`` (raw), ``stem.png``; -> the .txt"""
    text = job.text
    if job.warnings:
        text += "".join(f"[WARNING: {w}]\n" for w in job.warnings)
    stem.with_suffix(".txt").write_text(text, encoding="utf-8")
    stem.with_suffix(".bin").write_bytes(raw)
    if png:
        _save_png(job, columns, stem.with_suffix(".png"))
    return stem.with_suffix(".txt")


def _save_png(job: DecodedJob, columns: int, path: Path) -> None:
    """The picture is for people; a failure to draw it never loses the job's text."""
    try:
        render_png(job.lines, columns, path, job.double_lines)
    except (OSError, ValueError) as exc:
        log.warning("no PNG for %s: %s", path.name, exc)


def _prints_something(data: bytes, reply: bytes) -> bool:
    """Whether a chunk is more than status requests (3 bytes each, one reply byte each)."""
    return len(data) > 3 * len(reply)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="pos-app emulate printer", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9100)
    parser.add_argument("--out", type=Path, required=True, help="folder for decoded jobs")
    parser.add_argument("--profile", default="epson", choices=sorted(CODEPAGES))
    parser.add_argument("--columns", type=int, default=48, choices=(32, 42, 48))
    parser.add_argument("--paper-out", action="store_true", help="start with no paper")
    parser.add_argument("--no-png", action="store_true", help="write no PNG per job")
    args = parser.parse_args(argv)
    emulator = PrinterEmulator(
        args.out,
        host=args.host,
        port=args.port,
        brand=args.profile,
        columns=args.columns,
        paper_out=args.paper_out,
        png=not args.no_png,
    )
    try:
        port = emulator.start()
    except OSError as exc:
        print(f"cannot listen on {args.host}:{args.port}: {exc}")
        return 1
    done = threading.Event()

    def toggle(signum: int, frame: FrameType | None) -> None:
        emulator.paper_out = not emulator._paper_out
        print(f"paper out: {emulator.paper_out}", flush=True)

    def finish(signum: int, frame: FrameType | None) -> None:
        done.set()

    if hasattr(signal, "SIGUSR1"):
        signal.signal(signal.SIGUSR1, toggle)
    signal.signal(signal.SIGTERM, finish)
    print(
        f"printer emulator on {args.host}:{port} ({args.profile}), jobs -> {args.out}", flush=True
    )
    with contextlib.suppress(KeyboardInterrupt):
        done.wait()
    emulator.stop()
    return 0
