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

from pos_app.domain.staff_permissions import StaffPermission
from pos_app.domain.staff_pins import LEGACY_PARAMS, hash_pin
from pos_server.cli import main
from pos_server.db import make_engine, make_sessions
from pos_server.db.models import Change
from pos_server.db.models_staff import StaffRow
from pos_server.staff import service as staff
from pos_server.uow import unit_of_work


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
    """What a till does offline with a ``staff`` change: hash the typed PIN the same way.
    New hashes are scrypt, memory-hard and at least as costly as measured in docs/security.md."""
    params = data["params"]
    assert params["algorithm"] == "scrypt"
    assert params["n"] >= 2**14 and params["r"] >= 8
    n, r, p = params["n"], params["r"], params["p"]
    candidate = hashlib.scrypt(
        pin.encode(),
        salt=bytes.fromhex(data["salt"]),
        n=n,
        r=r,
        p=p,
        dklen=params["dklen"],
        maxmem=2 * 128 * n * r * p + 2**20,
    ).hex()
    return bool(candidate == data["pin_hash"])


def test_admin_add_prints_one_json_line_and_feeds_the_hash_never_the_pin(
    db_url: str, capsys: Any
) -> None:
    code, out, _err = run_cli(capsys, "admin", "add", "Boss", "--pin", "482913", "--db", db_url)
    assert code == 0
    added = json.loads(out)
    assert added == {"staff_id": added["staff_id"], "name": "Boss", "role": "admin",
                     "active": True, "pin_outdated": False, "password": False,
                     "key": False, "permissions": sorted(StaffPermission)}  # fmt: skip
    [change] = feed(db_url, "staff")
    assert change.entity_id == added["staff_id"]
    assert "482913" not in json.dumps(change.data)
    assert set(change.data) == {"staff_id", "name", "role", "pin_hash", "salt", "params",
                                "active", "permissions"}  # fmt: skip
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
    assert run_cli(capsys, "staff", "add", "Ivan", "--role", "manager", "--pin", "999999",
                   "--db", db_url)[0] == 0  # fmt: skip
    code, out, err = run_cli(capsys, "staff", "add", "Olga", "--role", "operator",
                             "--pin", "999999", "--db", db_url)  # fmt: skip
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
                                          "role": "cashier", "active": False,
                                          "pin_outdated": False, "password": False,
                                          "key": False, "permissions": []}]}  # fmt: skip
    code, _out, err = run_cli(capsys, "staff", "deactivate", "nobody", "--db", db_url)
    assert code == 1
    assert "No member of staff" in err


def test_authenticate_checks_pin_activity_and_role(db_url: str) -> None:
    now = datetime.now(UTC)
    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, actor="test", now=now) as uow:
            manager = staff.add_staff(uow, "Mia", "manager", "555555")
            cashier = staff.add_staff(uow, "Cal", "cashier", "6666")
        with make_sessions(engine).begin() as session:
            stored = session.get(StaffRow, manager.id)
            assert stored is not None
            assert "555555" not in stored.pin_hash + stored.salt
        wanted = {staff.Role.MANAGER, staff.Role.ADMIN}
        with unit_of_work(engine, actor="test", now=now) as uow:
            assert staff.authenticate(uow, manager.id, "555555", wanted).name == "Mia"
            with pytest.raises(staff.WrongCredentials) as wrong:
                staff.authenticate(uow, manager.id, "555556", wanted)
            # a right PIN of a role that may not: exactly the wrong PIN's refusal, no name
            with pytest.raises(staff.WrongCredentials) as not_allowed:
                staff.authenticate(uow, cashier.id, "6666", wanted)
            assert str(not_allowed.value) == str(wrong.value) == staff.WRONG_PIN
            assert "Cal" not in str(not_allowed.value)
        with unit_of_work(engine, actor="test", now=now) as uow:
            staff.deactivate(uow, manager.id)
            with pytest.raises(staff.StaffError, match="Unknown role"):
                staff.add_staff(uow, "Zed", "boss", "7777")
        with (unit_of_work(engine, actor="test", now=now) as uow,
              pytest.raises(staff.StaffError, match="wrong PIN")):  # fmt: skip
            staff.authenticate(uow, manager.id, "555555", wanted)
    finally:
        engine.dispose()


def _run_on_a_terminal(
    argv: list[str], answers: list[str], prompt: bytes = b"PIN"
) -> tuple[int, str]:
    """Run ``argv`` with a pseudo-terminal as its controlling terminal (what getpass reads),
    answering each ``prompt`` in turn; (exit status, everything it wrote). Killed after
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
            if answered < min(output.count(prompt), len(answers)):
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
                                      ["731931", "731931"])  # fmt: skip
    assert code == 0, output
    assert "PIN (6-8 digits):" in output and "PIN again:" in output
    assert "731931" not in output  # not echoed
    [change] = feed(db_url, "staff")
    assert check_like_a_till(change.data, "731931")

    code, output = _run_on_a_terminal(["admin", "add", "Other", "--db", db_url],
                                      ["135791", "135792"])  # fmt: skip
    assert code == 1
    assert "The two PINs differ" in output
    assert len(feed(db_url, "staff")) == 1


def test_manager_and_admin_pins_are_at_least_six_digits(db_url: str, capsys: Any) -> None:
    """A manager's or an admin's PIN approves what a cashier may not and may go to the server
    for the hold reset: 6-8 digits; cashiers and operators keep 4-8."""
    for argv in (["admin", "add", "Boss", "--pin", "48291"],
                 ["staff", "add", "Mia", "--role", "manager", "--pin", "4829"]):  # fmt: skip
        code, out, err = run_cli(capsys, *argv, "--db", db_url)
        assert (code, out) == (1, "")
        assert "PIN is 6 to 8 digits" in err
    assert feed(db_url, "staff") == []
    code, out, _err = run_cli(capsys, "staff", "add", "Cal", "--role", "cashier", "--pin",
                              "4829", "--db", db_url)  # fmt: skip
    assert code == 0
    code, out, _err = run_cli(capsys, "staff", "add", "Mia", "--role", "manager", "--pin",
                              "482913", "--db", db_url)  # fmt: skip
    assert code == 0
    manager_id = json.loads(out)["staff_id"]
    code, _out, err = run_cli(capsys, "staff", "set-pin", manager_id, "--pin", "12345",
                              "--db", db_url)  # fmt: skip
    assert code == 1 and "manager's PIN is 6 to 8 digits" in err


def legacy_manager(db_url: str, pin: str) -> str:
    """A manager whose PIN was set by an older version: PBKDF2, 4 digits."""
    now = datetime.now(UTC)
    salt = os.urandom(16)
    engine = make_engine(db_url)
    try:
        with make_sessions(engine).begin() as session:
            row = StaffRow(id="old-manager", name="Old", role="manager", active=True,
                           pin_hash=hash_pin(pin, salt, LEGACY_PARAMS), salt=salt.hex(),
                           params=dict(LEGACY_PARAMS), created_at=now, updated_at=now)  # fmt: skip
            session.add(row)
        return row.id
    finally:
        engine.dispose()


def test_an_older_pin_hash_still_verifies_and_the_list_asks_for_a_new_pin(
    db_url: str, capsys: Any
) -> None:
    manager_id = legacy_manager(db_url, "4321")
    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
            wanted = {staff.Role.MANAGER}
            assert staff.authenticate(uow, manager_id, "4321", wanted).id == manager_id
    finally:
        engine.dispose()
    code, out, err = run_cli(capsys, "staff", "list", "--db", db_url)
    assert code == 0
    assert json.loads(out)["staff"][0]["pin_outdated"] is True
    assert "Old (manager, old-manager) has a PIN set before the 6-digit rule" in err
    assert run_cli(capsys, "staff", "set-pin", manager_id, "--pin", "864213",
                   "--db", db_url)[0] == 0  # fmt: skip
    code, out, err = run_cli(capsys, "staff", "list", "--db", db_url)
    assert json.loads(out)["staff"][0]["pin_outdated"] is False and err == ""
    [change] = feed(db_url, "staff")
    assert check_like_a_till(change.data, "864213")


def test_passwords_and_keys_are_set_by_the_cli_and_never_fed(db_url: str, capsys: Any) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pos_server.cli", "admin", "add", "Boss", "--password",
         "--db", db_url],
        input="482913\ncorrect horse battery\n", capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    added = json.loads(result.stdout)
    assert (added["password"], added["key"]) == (True, False)
    boss = added["staff_id"]
    result = subprocess.run(
        [sys.executable, "-m", "pos_server.cli", "staff", "set-password", boss, "--db", db_url],
        input="short\n", capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 1 and "12 to 1024 characters" in result.stderr
    code, out, _err = run_cli(capsys, "staff", "new-key", boss, "--db", db_url)
    assert code == 0
    key = json.loads(out)["staff_key"]
    assert key.startswith("tk_") and len(key) >= 40
    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
            wanted = {staff.Role.ADMIN}
            row = staff.authenticate_password(uow, boss, "correct horse battery", wanted)
            assert row.password_hash is not None and row.password_hash.startswith("$argon2id$")
            assert staff.authenticate_key(uow, key, wanted).id == boss
            with pytest.raises(staff.WrongCredentials):
                staff.authenticate_password(uow, boss, "correct horse batterx", wanted)
            with pytest.raises(staff.WrongCredentials):
                staff.authenticate_key(uow, key + "x", wanted)
    finally:
        engine.dispose()
    assert run_cli(capsys, "staff", "withdraw-key", boss, "--db", db_url)[0] == 0
    for change in feed(db_url, "staff"):
        assert "password" not in json.dumps(change.data) and "key" not in change.data
        assert "$argon2" not in json.dumps(change.data)


def test_set_password_prompts_twice_without_echo(tmp_path: Path, capsys: Any) -> None:
    """SQLite only: the prompt is the point here."""
    db_url = f"sqlite:///{tmp_path / 'prompt.sqlite3'}"
    _code, out, _err = run_cli(capsys, "admin", "add", "Boss", "--pin", "482913", "--db", db_url)
    boss = json.loads(out)["staff_id"]
    code, output = _run_on_a_terminal(["staff", "set-password", boss, "--db", db_url],
                                      ["a long pass phrase", "a long pass phrase"],
                                      prompt=b"assword")  # fmt: skip
    assert code == 0, output
    assert "password (at least 12 characters):" in output
    assert "a long pass phrase" not in output
    assert json.loads(output[output.index("{") :])["password"] is True


def test_a_permission_is_granted_and_revoked_and_fed(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _code, out, _err = run_cli(capsys, "staff", "add", "Kate", "--role", "cashier", "--pin",
                               "4829", "--db", db_url)  # fmt: skip
    staff_id = json.loads(out)["staff_id"]
    code, out, _err = run_cli(capsys, "staff", "grant", staff_id, "bonus_settings", "--db", db_url)
    assert code == 0 and json.loads(out)["permissions"] == ["bonus_settings"]
    assert feed(db_url, "staff")[-1].data["permissions"] == ["bonus_settings"]
    code, out, _err = run_cli(capsys, "staff", "revoke", staff_id, "bonus_settings", "--db",
                              db_url)  # fmt: skip
    assert code == 0 and json.loads(out)["permissions"] == []
    assert feed(db_url, "staff")[-1].data["permissions"] == []
