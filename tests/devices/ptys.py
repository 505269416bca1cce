"""Pseudo-terminal pairs standing in for serial devices in tests."""

from __future__ import annotations

import contextlib
import os
import tty
from dataclasses import dataclass


@dataclass
class PtyPair:
    """A pty; the driver opens ``path`` (the slave), the test writes to ``master``."""

    master: int
    slave: int
    path: str

    @classmethod
    def open(cls) -> PtyPair:
        master, slave = os.openpty()
        tty.setraw(slave)
        return cls(master, slave, os.ttyname(slave))

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def unplug(self) -> None:
        for fd in (self.master, self.slave):
            with contextlib.suppress(OSError):
                os.close(fd)


def link(target: str, link_path: str) -> None:
    """Point a stable device name at a (new) pty, as udev does for a replugged reader."""
    tmp = link_path + ".new"
    os.symlink(target, tmp)
    os.replace(tmp, link_path)
