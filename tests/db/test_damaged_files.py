"""A damaged or unreadable database gives one clear StoreError naming the file and the backup."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from pos_app.db import StoreError, open_store
from pos_app.domain.catalog import Product
from pos_app.domain.money import rub
from tests.unprivileged import shared_temp_root, unprivileged_python


def real_store(path: Path, products: int = 300) -> None:
    with open_store(path, terminal_id="T1") as store, store.unit_of_work() as uow:
        for i in range(products):
            uow.products.add(Product(f"p{i}", f"Товар номер {i} " + "x" * 100, rub(10 + i)))
        uow.commit()


def test_garbage_bytes_are_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    path.write_bytes(os.urandom(8192))
    with pytest.raises(StoreError) as err:
        open_store(path)
    assert str(path) in str(err.value)
    assert "not a readable SQLite database" in str(err.value)
    assert "No backup" in str(err.value)


def test_a_truncated_database_names_the_newest_backup(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    real_store(path)
    older = tmp_path / "till.backup-20240101T000000000000Z-0001.sqlite3"
    newer = tmp_path / "till.backup-20240301T000000000000Z-0001.sqlite3"
    shutil.copy(path, older)
    shutil.copy(path, newer)
    size = path.stat().st_size
    with path.open("r+b") as f:
        f.truncate(size // 2)
    with pytest.raises(StoreError) as err:
        open_store(path)
    assert err.value.path == path
    assert err.value.backup == newer
    assert str(newer) in str(err.value)


def test_a_directory_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    path.mkdir()
    with pytest.raises(StoreError, match="directory"):
        open_store(path)


def test_an_sqlite_file_of_another_program_is_refused(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    with pytest.raises(StoreError, match="not a till store"):
        open_store(path)


_OPEN_EACH = """
import sys
from pos_app.db import StoreError, open_store
for path in sys.argv[1:]:
    try:
        open_store(path).close()
        print("opened")
    except StoreError as exc:
        print(exc)
"""


CASES = {  # file mode, folder mode -> what the message must say
    (0o000, 0o777): "check the file's permissions",
    (0o444, 0o777): "check the file's permissions",  # SQLite would open it read-only
    (0o666, 0o555): "check the folder's permissions",  # no room for the WAL journal
}


def test_files_without_permission() -> None:
    """One unprivileged child (as root: nobody, since root reads any file) tries each case.

    The stores are made in a folder nobody can reach, and nobody's Python gets what it must
    read outside the checkout (``tests/unprivileged.py``), wherever the clone lives."""
    top = Path(tempfile.mkdtemp(prefix="till-perm-", dir=shared_temp_root()))
    top.chmod(0o755)
    paths = []
    try:
        for i, (file_mode, folder_mode) in enumerate(CASES):
            path = top / str(i) / "till.sqlite3"
            real_store(path, products=1)
            path.chmod(file_mode)
            path.parent.chmod(folder_mode)
            paths.append(path)
        with unprivileged_python(_OPEN_EACH, [str(top / "probe" / "till.sqlite3")]) as python:
            done = python.run(_OPEN_EACH, *map(str, paths))
        assert done.returncode == 0, done.stderr
        messages = done.stdout.splitlines()
        assert len(messages) == len(CASES), done.stdout
        for path, complaint, message in zip(paths, CASES.values(), messages, strict=True):
            assert message.startswith(f"Cannot use the till database {path}: "), message
            assert complaint in message
    finally:
        for path in paths:
            path.parent.chmod(0o700)
        shutil.rmtree(top, ignore_errors=True)


def test_a_read_only_directory(tmp_path: Path) -> None:
    """Even as root: a path under a regular file cannot be created."""
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    with pytest.raises(StoreError) as err:
        open_store(blocker / "till.sqlite3")
    assert "till.sqlite3" in str(err.value)
    assert f"{blocker} is a file, but it must be a folder" in str(err.value)
    with pytest.raises(StoreError, match="is a file, but it must be a folder"):
        open_store(blocker / "deeper" / "till.sqlite3")
