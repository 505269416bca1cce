"""When an SQLite file is a usable backup: the rules the till's restore
(``pos_app/db/backups.py``) and the server's (``pos_server/backup.py``) both apply.

Pure: each side reads the file itself (the first ``HEADER_SIZE`` bytes and its length, then
``PRAGMA integrity_check`` and the table names) and hands what it read here; a ``FileProblem``
says what is wrong in words a person restoring can act on. The order is the checks' order:
the header, the size the header promises (a copy cut short), SQLite's own check, the tables
the expected kind of database always has.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

SQLITE_HEADER = b"SQLite format 3\x00"
HEADER_SIZE = 100  # SQLite's database header


@dataclass(frozen=True, slots=True)
class FileProblem:
    """Why a file cannot be restored; ``use_older``: an older backup is the way out."""

    what: str  # after the file's name: "is incomplete (...)"
    use_older: bool = False

    def sentence(self, path: object, outcome: str = "nothing was restored") -> str:
        """``"<path> <what>; <outcome>."``, and the advice when an older backup helps."""
        return f"{path} {self.what}; {outcome}." + (" Use an older backup." if self.use_older
                                                    else "")  # fmt: skip


def header_problem(header: bytes, size: int) -> FileProblem | None:
    """What the first ``HEADER_SIZE`` bytes and the file's ``size`` already show: not an SQLite
    file at all, or shorter than the pages its header counts (when that count is current)."""
    if len(header) < HEADER_SIZE or not header.startswith(SQLITE_HEADER):
        return FileProblem("is not an SQLite backup (it is empty, cut short or another kind of "
                           "file)")  # fmt: skip
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size  # 1 encodes 64 KiB
    pages = int.from_bytes(header[28:32], "big")
    count_current = header[92:96] == header[24:28]  # SQLite 3.7.0+ keeps the count valid
    if count_current and page_size and pages and size < page_size * pages:
        return FileProblem(f"is incomplete ({size} of {page_size * pages} bytes): the backup "
                           "was interrupted or its copy cut short", use_older=True)  # fmt: skip
    return None


def damaged(detail: str) -> FileProblem:
    """SQLite could not read the file, or its integrity check found ``detail``."""
    return FileProblem(f"is damaged ({detail})", use_older=True)


def contents_problem(
    integrity: Sequence[str], tables: Collection[str], expected: Sequence[str], kind: str
) -> FileProblem | None:
    """``integrity``: the rows of ``PRAGMA integrity_check``; ``tables``: the file's table
    names, of which a ``kind`` of database (e.g. ``"a till's store"``) has every ``expected``."""
    if list(integrity) != ["ok"]:
        return damaged("; ".join(integrity[:3]))
    missing = [name for name in expected if name not in tables]
    if missing:
        return FileProblem(f"is an SQLite database but not {kind} (no {', '.join(missing)})")
    return None
