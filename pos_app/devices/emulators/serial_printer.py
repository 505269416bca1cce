"""A serial ESC/POS printer on a pseudo-terminal, running at a real line speed.

A pty has no baud rate: whatever the driver writes is there at once. This emulator reads the
line at most as fast as ``baudrate`` would deliver it (10 bit times per byte: start, 8 data,
stop), and answers ``DLE EOT`` status requests only when the line has "delivered" them, after
every byte before them. So a driver that waits for the status after its job (as ours does)
waits the job's real wire time, and benchmarks over a pty measure what a 19 200-baud printer
would cost. Jobs are cut from the stream by silence (``job_gap_s``) and written like the TCP
emulator's (``job-NNNN.txt/.bin/.png``). Paper-out works the same way (``paper_out``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import select
import signal
import threading
import time
import tty
from pathlib import Path
from types import FrameType

from pos_app.devices.emulators.escpos_decoder import CODEPAGES, EscposDecoder
from pos_app.devices.emulators.printer import (
    OFFLINE,
    PAPER_END,
    PAPER_END_STOP,
    STATUS_OK,
    write_job_files,
)

BITS_PER_BYTE = 10
CHUNK = 16  # bytes per paced read: ~8 ms at 19 200 baud


def wire_seconds(byte_count: int, baudrate: int) -> float:
    return byte_count * BITS_PER_BYTE / baudrate


class SerialPrinterEmulator:
    """``start()`` opens the pty and returns the device path a serial driver should open."""

    def __init__(
        self,
        out_dir: Path | None = None,
        *,
        baudrate: int = 19200,
        brand: str = "epson",
        columns: int = 48,
        job_gap_s: float = 0.3,
        png: bool = False,
    ) -> None:
        self.out_dir = out_dir
        self.baudrate = baudrate
        self.brand, self.columns = brand, columns
        self.job_gap_s = job_gap_s
        self.png = png
        self.paper_out = False
        self.path = ""
        self.bytes_received = 0
        self.printed: list[Path] = []
        self._master = self._slave = -1
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._decoder = self._new_decoder()
        self._raw = bytearray()

    def status_byte(self, n: int) -> int:
        if not self.paper_out:
            return STATUS_OK
        return STATUS_OK | {1: OFFLINE, 2: PAPER_END_STOP, 4: PAPER_END}.get(n, 0)

    def start(self) -> str:
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self.path = os.ttyname(self._slave)  # our slave fd stays open: no hang-up between jobs
        self._thread = threading.Thread(target=self._run, name="serial-printer", daemon=True)
        self._thread.start()
        return self.path

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2.0)
        for fd in (self._master, self._slave):
            with contextlib.suppress(OSError):
                os.close(fd)

    def _new_decoder(self) -> EscposDecoder:
        return EscposDecoder(self.brand, self.columns, self.status_byte)

    def _run(self) -> None:
        line_free_at = time.monotonic()  # when the line has delivered everything read so far
        last_data = 0.0
        while not self._stop.is_set():
            ready, _, _ = select.select([self._master], [], [], 0.02)
            if not ready:
                if self._raw and time.monotonic() - last_data >= self.job_gap_s:
                    self._end_job()
                continue
            try:
                data = os.read(self._master, CHUNK)
            except OSError:
                break
            line_free_at = max(line_free_at, time.monotonic()) + wire_seconds(
                len(data), self.baudrate
            )
            _sleep_until(line_free_at)
            last_data = time.monotonic()
            self._take(data)
        if self._raw:
            self._end_job()  # stopping ends the job in progress: what arrived is kept

    def _take(self, data: bytes) -> None:
        self.bytes_received += len(data)
        self._raw += data
        reply = self._decoder.feed(data)
        if reply:
            _sleep_until(time.monotonic() + wire_seconds(len(reply), self.baudrate))
            os.write(self._master, reply)

    def _end_job(self) -> None:
        job, raw = self._decoder.finish(), bytes(self._raw)
        self._decoder, self._raw = self._new_decoder(), bytearray()
        if self.out_dir is None or not any(line.strip() for line in job.lines):
            return
        self.out_dir.mkdir(parents=True, exist_ok=True)
        stem = self.out_dir / f"job-{len(self.printed) + 1:04d}"
        self.printed.append(write_job_files(stem, job, raw, self.columns, self.png))


def _sleep_until(deadline: float) -> None:
    delay = deadline - time.monotonic()
    if delay > 0:
        time.sleep(delay)


def main(argv: list[str]) -> int:
    """``pos-app emulate serial-printer``: print the device path, serve until SIGTERM/Ctrl-C."""
    parser = argparse.ArgumentParser(prog="pos-app emulate serial-printer", description=__doc__)
    parser.add_argument("--out", type=Path, required=True, help="folder for decoded jobs")
    parser.add_argument("--baud", type=int, default=19200, help="line speed to emulate")
    parser.add_argument("--profile", default="epson", choices=sorted(CODEPAGES))
    parser.add_argument("--columns", type=int, default=48, choices=(32, 42, 48))
    parser.add_argument("--paper-out", action="store_true", help="start with no paper")
    parser.add_argument("--no-png", action="store_true", help="write no PNG per job")
    args = parser.parse_args(argv)
    emulator = SerialPrinterEmulator(args.out, baudrate=args.baud, brand=args.profile,
                                     columns=args.columns, png=not args.no_png)  # fmt: skip
    emulator.paper_out = args.paper_out
    done = threading.Event()

    def toggle(signum: int, frame: FrameType | None) -> None:
        emulator.paper_out = not emulator.paper_out
        print(f"paper out: {emulator.paper_out}", flush=True)

    if hasattr(signal, "SIGUSR1"):
        signal.signal(signal.SIGUSR1, toggle)
    signal.signal(signal.SIGTERM, lambda signum, frame: done.set())
    print(emulator.start(), flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        done.wait()
    emulator.stop()
    return 0
