"""The one set of rules for an SQLite backup file that the till's and the server's restores
share (``pos_app.domain.sqlite_file``): a header that is not SQLite's, a file shorter than the
pages its header counts, a failed integrity check, a database of another kind."""

from __future__ import annotations

from pos_app.domain.sqlite_file import (
    HEADER_SIZE,
    SQLITE_HEADER,
    FileProblem,
    contents_problem,
    damaged,
    header_problem,
)


def _header(page_size: int, pages: int, *, current: bool = True) -> bytes:
    raw = bytearray(SQLITE_HEADER + bytes(HEADER_SIZE - len(SQLITE_HEADER)))
    raw[16:18] = (1 if page_size == 65536 else page_size).to_bytes(2, "big")
    raw[24:28] = (7).to_bytes(4, "big")  # the change counter
    raw[28:32] = pages.to_bytes(4, "big")
    raw[92:96] = (7 if current else 6).to_bytes(4, "big")  # version-valid-for
    return bytes(raw)


def test_a_file_that_is_not_sqlite_or_is_cut_inside_its_header() -> None:
    for header in (b"", b"PGDMP" + bytes(95), _header(4096, 2)[:50]):
        problem = header_problem(header, len(header))
        assert problem is not None and problem.what.startswith("is not an SQLite backup")
        assert not problem.use_older


def test_a_file_shorter_than_its_pages_is_incomplete() -> None:
    assert header_problem(_header(4096, 3), 3 * 4096) is None
    cut = header_problem(_header(4096, 3), 2 * 4096)
    assert cut == FileProblem("is incomplete (8192 of 12288 bytes): the backup was "
                              "interrupted or its copy cut short", use_older=True)  # fmt: skip
    big = header_problem(_header(65536, 2), 65536)  # page size 1 in the header: 64 KiB
    assert big is not None and "65536 of 131072" in big.what


def test_a_page_count_sqlite_no_longer_keeps_is_not_trusted() -> None:
    assert header_problem(_header(4096, 3, current=False), 4096) is None


def test_the_integrity_check_and_the_expected_tables() -> None:
    tables = {"alembic_version", "outbox", "terminal_state"}
    expected = ("alembic_version", "outbox", "terminal_state")
    assert contents_problem(["ok"], tables, expected, "a till's store") is None
    broken = contents_problem(["row 1 missing", "a", "b", "c"], tables, expected, "x")
    assert broken == damaged("row 1 missing; a; b") and broken.use_older
    foreign = contents_problem(["ok"], {"notes"}, expected, "a till's store")
    assert foreign is not None and foreign.sentence("/b/x.sqlite3", "it was not restored") == (
        "/b/x.sqlite3 is an SQLite database but not a till's store (no alembic_version, "
        "outbox, terminal_state); it was not restored.")  # fmt: skip
    assert damaged("disk I/O error").sentence("f") == (
        "f is damaged (disk I/O error); nothing was restored. Use an older backup."
    )
