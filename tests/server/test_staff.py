"""Staff on the server: admin/staff commands, PINs only as salted slow hashes, the staff feed."""

from __future__ import annotations

import hashlib
import json
import os
import pty
import select
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select as sql_select

from pos_server import staff
from pos_server.cli import main
from pos_server.db import make_engine, make_sessions
from pos_server.db.models import Change
from pos_server.db.models_staff import StaffRow


def run_cli(capsys: Any, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def feed(db_url: str, entity: str) -> list[Change]:
    engine = make_engine(db_url)
    try:
        with make_sessions(engine)() as session:
            query = sql_select(Change).where(Change.entity == entity).order_by(Change.id)
            return list(session.scalars(query))
    finally:
        engine.dispose()


def check_like_a_till(data: dict[str, Any], pin: str) -> bool:
    """What a till does offline with a ``staff`` change: hash the typed PIN the same way."""
    params = data["params"]
    assert params["algorithm"] == "pbkdf2_sha256"
    candidate = hashlib.pbkdf2_hmac(
        "sha256", pin.encode(), bytes.fromhex(data["salt"]), params["iterations"]
    ).hex()
    return bool(candidate == data["pin_hash"])


def test_admin_add_prints_one_json_line_and_feeds_the_hash_never_the_pin(
    db_url: str, capsys: Any
) -> None:
    code, out, _err = run_cli(capsys, "admin", "add", "Boss", "--pin", "482913", "--db", db_url)
    assert code == 0
    added = json.loads(out)
    assert added == {"staff_id": added["staff_id"], "name": "Boss", "role": "admin",
                     "active": True}  # fmt: skip
    [change] = feed(db_url, "staff")
    assert change.entity_id == added["staff_id"]
    assert "482913" not in json.dumps(change.data)
    assert set(change.data) == {"staff_id", "name", "role", "pin_hash", "salt", "params",
                                "active"}  # fmt: skip
    assert change.data["params"]["iterations"] >= 60_000
    assert check_like_a_till(change.data, "482913")
    assert not check_like_a_till(change.data, "482914")


def test_staff_add_reads_the_pin_from_stdin(db_url: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pos_server.cli", "staff", "add", "Анна", "--role", "cashier",
         "--db", db_url],
        input="1111\n", capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["role"] == "cashier"
    [change] = feed(db_url, "staff")
    assert change.data["name"] == "Анна"
    assert check_like_a_till(change.data, "1111")


def test_same_pin_gets_a_different_salt_and_hash_and_a_shared_pin_is_refused(
    db_url: str, capsys: Any
) -> None:
    assert run_cli(capsys, "staff", "add", "Ivan", "--role", "manager", "--pin", "9999",
                   "--db", db_url)[0] == 0  # fmt: skip
    code, out, err = run_cli(capsys, "staff", "add", "Olga", "--role", "operator",
                             "--pin", "9999", "--db", db_url)  # fmt: skip
    assert (code, out) == (1, "")
    assert "already has this PIN" in err
    code, _out, err = run_cli(capsys, "staff", "add", "Olga", "--role", "operator",
                              "--pin", "12a4", "--db", db_url)  # fmt: skip
    assert code == 1
    assert "4 to 8 digits" in err
    assert len(feed(db_url, "staff")) == 1


def test_set_pin_deactivate_and_list(db_url: str, capsys: Any) -> None:
    _code, out, _err = run_cli(capsys, "staff", "add", "Ivan", "--role", "cashier",
                               "--pin", "1234", "--db", db_url)  # fmt: skip
    staff_id = json.loads(out)["staff_id"]
    assert run_cli(capsys, "staff", "set-pin", staff_id, "--pin", "4321", "--db", db_url)[0] == 0
    assert run_cli(capsys, "staff", "deactivate", staff_id, "--db", db_url)[0] == 0
    assert run_cli(capsys, "staff", "deactivate", staff_id, "--db", db_url)[0] == 0  # no-op
    first, second, third = (c.data for c in feed(db_url, "staff"))
    assert first["salt"] != second["salt"]
    assert check_like_a_till(second, "4321")
    assert not check_like_a_till(second, "1234")
    assert (second["active"], third["active"]) == (True, False)
    code, out, _err = run_cli(capsys, "staff", "list", "--db", db_url)
    assert json.loads(out) == {"staff": [{"staff_id": staff_id, "name": "Ivan",
                                          "role": "cashier", "active": False}]}  # fmt: skip
    code, _out, err = run_cli(capsys, "staff", "deactivate", "nobody", "--db", db_url)
    assert code == 1
    assert "No member of staff" in err


def test_authenticate_checks_pin_activity_and_role(db_url: str) -> None:
    now = datetime.now(UTC)
    engine = make_engine(db_url)
    try:
        with make_sessions(engine).begin() as session:
            manager = staff.add_staff(session, "Mia", "manager", "5555", now)
            cashier = staff.add_staff(session, "Cal", "cashier", "6666", now)
            stored = session.get(StaffRow, manager.id)
            assert stored is not None
            assert "5555" not in stored.pin_hash + stored.salt
        wanted = {staff.Role.MANAGER, staff.Role.ADMIN}
        with make_sessions(engine).begin() as session:
            assert staff.authenticate(session, manager.id, "5555", wanted).name == "Mia"
            with pytest.raises(staff.StaffError, match="wrong PIN"):
                staff.authenticate(session, manager.id, "5556", wanted)
            with pytest.raises(staff.StaffError, match="Cal is a cashier"):
                staff.authenticate(session, cashier.id, "6666", wanted)
            staff.deactivate(session, manager.id, now)
            with pytest.raises(staff.StaffError, match="wrong PIN"):
                staff.authenticate(session, manager.id, "5555", wanted)
            with pytest.raises(staff.StaffError, match="Unknown role"):
                staff.add_staff(session, "Zed", "boss", "7777", now)
    finally:
        engine.dispose()


def _run_on_a_terminal(argv: list[str], answers: list[str]) -> tuple[int, str]:
    """Run ``argv`` with a pseudo-terminal as its controlling terminal (what getpass reads),
    answering each ``PIN`` prompt in turn; (exit status, everything it wrote). Killed after
    60 s, so a prompt the test missed fails the test instead of hanging it."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: stdin/stdout/stderr and /dev/tty are the pty
        os.execv(sys.executable, [sys.executable, "-m", "pos_server.cli", *argv])
    output, answered = b"", 0
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            if not select.select([fd], [], [], 0.2)[0]:
                continue
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
            if answered < min(output.count(b"PIN"), len(answers)):
                os.write(fd, answers[answered].encode() + b"\n")
                answered += 1
    finally:
        if time.monotonic() >= deadline:
            os.kill(pid, signal.SIGKILL)
        _pid, status = os.waitpid(pid, 0)
        os.close(fd)
    return os.waitstatus_to_exitcode(status), output.decode(errors="replace")


def test_admin_add_prompts_twice_without_echo(tmp_path: Path) -> None:
    """SQLite only: the prompt is the point here, not the database."""
    db_url = f"sqlite:///{tmp_path / 'prompt.sqlite3'}"
    code, output = _run_on_a_terminal(["admin", "add", "Boss", "--db", db_url],
                                      ["7319", "7319"])  # fmt: skip
    assert code == 0, output
    assert "PIN (4-8 digits):" in output and "PIN again:" in output
    assert "7319" not in output  # not echoed
    [change] = feed(db_url, "staff")
    assert check_like_a_till(change.data, "7319")

    code, output = _run_on_a_terminal(["admin", "add", "Other", "--db", db_url],
                                      ["1357", "1358"])  # fmt: skip
    assert code == 1
    assert "The two PINs differ" in output
    assert len(feed(db_url, "staff")) == 1
