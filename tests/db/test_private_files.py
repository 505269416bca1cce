"""The till's SQLite files are its user's only (issue 16 point 7): the store, its -wal and
-shm, and the backups are created 0600 whatever the umask; an old store that others could
read is narrowed when the till opens it."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.db import open_store
from pos_app.db.store import backup_file, head_revision

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    """The umask of a desktop session (0022): files are world-readable unless made otherwise."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def test_a_new_store_and_its_wal_and_shm_are_0600(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    with open_store(path, terminal_id="T1") as store:
        with store.unit_of_work() as uow:
            uow.settings.set("probe", 1)
            uow.commit()
        sides = [path.with_name(path.name + s) for s in ("-wal", "-shm")]
        assert all(side.exists() for side in sides)
        assert [mode(p) for p in (path, *sides)] == [0o600] * 3


def test_an_existing_store_readable_by_others_is_narrowed(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    open_store(path, terminal_id="T1").close()
    path.chmod(0o644)
    open_store(path).close()
    assert mode(path) == 0o600


def test_a_backup_is_0600(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    open_store(path, terminal_id="T1").close()
    assert mode(backup_file(path, head_revision())) == 0o600
