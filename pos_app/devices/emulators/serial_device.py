"""A scanner or card reader on a pseudo-terminal, for demos and tests.

``pos-app emulate scanner`` (or ``msr``) creates a pty pair, prints the device path a
serial driver should open, and sends each line read on stdin, or each ``--send VALUE``, as
the device would: the data followed by its terminator (CR by default). ``--link PATH``
also creates a stable symlink to the device, like a udev rule does for real hardware.
Nothing is sent before a driver has opened the device (pyserial flushes input on open).
"""

from __future__ import annotations

import argparse
import os
import select
import sys
import time
import tty
from contextlib import suppress
from pathlib import Path
from typing import TextIO


class PtyDevice:
    """The device end of a pty: the driver opens ``path``; we write into ``master``."""

    def __init__(self, terminator: bytes = b"\r", link: Path | None = None) -> None:
        self.master, slave = os.openpty()
        tty.setraw(slave)  # no echo, no newline translation: bytes as sent
        self.path = os.ttyname(slave)
        os.close(slave)  # so the master sees a hang-up until a driver opens the device
        self.terminator = terminator
        self.link = link
        if link is not None:
            with suppress(FileNotFoundError):
                link.unlink()
            link.symlink_to(self.path)

    def driver_attached(self) -> bool:
        """True once someone holds the device open (the master stops reporting hang-up)."""
        poller = select.poll()
        poller.register(self.master, select.POLLHUP)
        return not any(event & select.POLLHUP for _, event in poller.poll(0))

    def wait_for_driver(self, timeout_s: float, settle_s: float = 0.1) -> bool:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.driver_attached():
                time.sleep(settle_s)  # pyserial resets the input buffer right after opening
                return True
            time.sleep(0.01)
        return False

    def send(self, value: str, char_delay_s: float = 0.0) -> None:
        data = value.encode("utf-8") + self.terminator
        if char_delay_s <= 0:
            os.write(self.master, data)
            return
        for byte in data:  # slow devices: one byte at a time
            os.write(self.master, bytes([byte]))
            time.sleep(char_delay_s)

    def close(self) -> None:
        with suppress(OSError):
            os.close(self.master)
        if self.link is not None:
            with suppress(FileNotFoundError):
                self.link.unlink()


def _terminator(text: str) -> bytes:
    return text.encode("utf-8").decode("unicode_escape").encode("latin-1")


def run(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    device = PtyDevice(_terminator(args.terminator), args.link)
    print(device.path, file=stdout, flush=True)
    try:
        if not device.wait_for_driver(args.wait_open):
            print("no driver opened the device", file=sys.stderr)
            return 1
        for value in args.send or []:
            device.send(value, args.char_delay)
            time.sleep(args.gap)
        if args.send:
            time.sleep(args.linger)  # let the driver read before the device disappears
            return 0
        for line in stdin:
            device.send(line.rstrip("\r\n"), args.char_delay)
            time.sleep(args.gap)
    finally:
        device.close()
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="pos-app emulate scanner|msr", description=__doc__)
    parser.add_argument("kind", choices=("scanner", "msr"))
    parser.add_argument("--send", action="append", metavar="VALUE", help="send and exit")
    parser.add_argument("--terminator", default="\\r", help="suffix after each reading")
    parser.add_argument("--char-delay", type=float, default=0.0, help="seconds between bytes")
    parser.add_argument(
        "--gap", type=float, default=0.2, help="seconds between readings (two swipes never merge)"
    )
    parser.add_argument("--linger", type=float, default=2.0, help="seconds to stay after --send")
    parser.add_argument(
        "--wait-open", type=float, default=60.0, help="seconds to wait for a driver"
    )
    parser.add_argument("--link", type=Path, help="also create this symlink to the device")
    args = parser.parse_args(argv)
    return run(args, sys.stdin, sys.stdout)
