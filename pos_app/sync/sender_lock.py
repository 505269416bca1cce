"""One sender per terminal across processes: an OS file lock next to the till's store.

Two till windows on one data folder, or a worker restarted while the old process is still
dying, must never push the same queue at once (DESIGN.md lessons). Inside one process the
console's action sender and the worker share ``order_actions.sender_lock``; between processes
this lock decides. The OS drops it when the holder dies (SIGKILL included), so a restarted till
never waits for a stale lock file.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO


class SenderLock:
    """A non-blocking exclusive lock on ``path`` (created if missing), held until released."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._file: IO[bytes] | None = None

    @property
    def held(self) -> bool:
        return self._file is not None

    def acquire(self) -> bool:
        """Take the lock if it is free; True if this object holds it now."""
        if self._file is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+b")  # noqa: SIM115 - kept open while the lock is held
        try:
            _lock(handle)
        except OSError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()).encode())
        handle.flush()
        self._file = handle
        return True

    def release(self) -> None:
        handle, self._file = self._file, None
        if handle is not None:
            try:
                _unlock(handle)
            finally:
                handle.close()


if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds only
    import msvcrt

    def _lock(handle: IO[bytes]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle: IO[bytes]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
