"""``pos-server admin|staff|catalogue|groups ...``: the operator's commands for staff and data
(``groups assign GUEST GROUP``, also spelled ``group assign``: a guest's group by hand).

Each command migrates the database first, does its work in one transaction and prints one JSON
line; a refusal prints a sentence on stderr and exits 1 with nothing written. A PIN comes from
``--pin``, else from the first line of stdin when it is not a terminal (scripts), else from a
prompt asked twice (never echoed). A server password (``--password`` on ``add``, or
``staff set-password``) is never an argument (it would show in the process list): it is the
next line of stdin, else a prompt asked twice. ``staff new-key`` prints a staff key once.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from pos_app.domain.guest_card import Permission
from pos_app.domain.staff_pins import (
    MAX_PIN_DIGITS,
    MIN_MANAGER_PIN_DIGITS,
    MIN_PIN_DIGITS,
    Role,
    min_pin_digits,
)
from pos_server.catalogue import service as catalogue
from pos_server.db import make_engine, make_sessions, upgrade
from pos_server.db.models_staff import StaffRow
from pos_server.guests import groups
from pos_server.settings import ServerSettings
from pos_server.staff import service as staff
from pos_server.staff.passwords import MIN_PASSWORD_CHARS

DB_HELP = "SQLAlchemy URL (sqlite:///file or postgresql+psycopg://...)"
PASSWORD_HELP = ("also set a server password (admin routes, back office): the next line of "
                 "stdin, else a prompt")  # fmt: skip


class _Refused(Exception):
    """Printed on stderr, exit status 1."""


def _database_url(args: argparse.Namespace) -> str:
    return str(args.db) if args.db else ServerSettings().database_url


def _in_transaction(args: argparse.Namespace, work: Callable[[Session], dict[str, Any]]) -> int:
    url = _database_url(args)
    upgrade(url)
    engine = make_engine(url)
    try:
        with make_sessions(engine).begin() as session:
            result = work(session)
    except (staff.StaffError, catalogue.CatalogueError, groups.GroupsError, _Refused) as exc:
        print(f"pos-server: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(json.dumps(result, ensure_ascii=False))
    return 0


def _read_secret(what: str, hint: str) -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(f"{what} ({hint}): ")
    if getpass.getpass(f"{what} again: ") != first:
        raise _Refused(f"The two {what}s differ; nothing was saved.")
    return first


def _read_pin(args: argparse.Namespace, role: str | None) -> str:
    if args.pin is not None:
        return str(args.pin)
    if role is not None:
        hint = f"{min_pin_digits(role)}-{MAX_PIN_DIGITS} digits"
    else:
        hint = (f"{MIN_PIN_DIGITS}-{MAX_PIN_DIGITS} digits, {MIN_MANAGER_PIN_DIGITS}-"
                f"{MAX_PIN_DIGITS} for a manager or admin")  # fmt: skip
    return _read_secret("PIN", hint).strip()


def _read_password() -> str:
    return _read_secret("password", f"at least {MIN_PASSWORD_CHARS} characters")


Work = Callable[[Session, str, str | None], StaffRow]  # (session, PIN, password)


def _with_secrets(
    args: argparse.Namespace, role: str | None, work: Work, *, pin: bool = True,
    password: bool = False,
) -> int:  # fmt: skip
    """Read the PIN and/or password before the transaction (a prompt must not hold the
    database's lock)."""
    try:
        the_pin = _read_pin(args, role) if pin else ""
        the_password = _read_password() if password else None
    except _Refused as exc:
        print(f"pos-server: {exc}", file=sys.stderr)
        return 1
    return _in_transaction(
        args, lambda session: staff.public_view(work(session, the_pin, the_password))
    )


def _add(args: argparse.Namespace, role: str) -> int:
    now = datetime.now(UTC)

    def work(session: Session, pin: str, password: str | None) -> StaffRow:
        row = staff.add_staff(session, args.name, role, pin, now)
        if password is not None:
            staff.set_password(session, row.id, password, now)
        return row

    return _with_secrets(args, role, work, password=args.password)


def cmd_admin_add(args: argparse.Namespace) -> int:
    return _add(args, Role.ADMIN.value)


def cmd_staff_add(args: argparse.Namespace) -> int:
    return _add(args, args.role)


def cmd_staff_set_pin(args: argparse.Namespace) -> int:
    now = datetime.now(UTC)
    return _with_secrets(args, None, lambda s, pin, _: staff.change_pin(s, args.staff_id, pin, now))


def cmd_staff_set_password(args: argparse.Namespace) -> int:
    now = datetime.now(UTC)
    return _with_secrets(args, None, lambda s, _, password: staff.set_password(
        s, args.staff_id, password or "", now), pin=False, password=True)  # fmt: skip


def cmd_staff_new_key(args: argparse.Namespace) -> int:
    now = datetime.now(UTC)

    def work(session: Session) -> dict[str, Any]:
        row, key = staff.new_key(session, args.staff_id, now)
        return {**staff.public_view(row), "staff_key": key,
                "note": "shown once: keep it; send it as the X-Staff-Key header"}  # fmt: skip

    return _in_transaction(args, work)


def cmd_staff_withdraw_key(args: argparse.Namespace) -> int:
    now = datetime.now(UTC)
    return _in_transaction(
        args, lambda s: staff.public_view(staff.withdraw_key(s, args.staff_id, now))
    )


def cmd_staff_deactivate(args: argparse.Namespace) -> int:
    now = datetime.now(UTC)
    return _in_transaction(
        args, lambda s: staff.public_view(staff.deactivate(s, args.staff_id, now))
    )


def cmd_staff_permission(args: argparse.Namespace) -> int:
    now, granted = datetime.now(UTC), args.action == "grant"
    return _in_transaction(args, lambda s: staff.public_view(
        staff.set_permission(s, args.staff_id, args.permission, granted, now)))  # fmt: skip


def cmd_staff_list(args: argparse.Namespace) -> int:
    def work(session: Session) -> dict[str, Any]:
        rows = staff.list_staff(session)
        for row in rows:
            if staff.pin_change_needed(row):
                print(f"pos-server: warning: {row.name} ({row.role}, {row.id}) has a PIN set "
                      f"before the {MIN_MANAGER_PIN_DIGITS}-digit rule; it still works at the "
                      "tills but not on the server: set a new one with 'pos-server staff "
                      "set-pin'.", file=sys.stderr)  # fmt: skip
        return {"staff": [staff.public_view(row) for row in rows]}

    return _in_transaction(args, work)


def _load_json(path: str, model: type[Any]) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise _Refused(f"Cannot read {path}: {exc.strerror}.") from exc
    try:
        return model.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise _Refused(
            f"{path} is not a valid file ({exc.error_count()} error(s)); first at {where}: "
            f"{first['msg']}."
        ) from exc


def cmd_catalogue_import(args: argparse.Namespace) -> int:
    now = datetime.now(UTC)

    def work(session: Session) -> dict[str, Any]:
        data = _load_json(args.file, catalogue.CatalogueIn)
        return catalogue.import_catalogue(session, data, now)

    return _in_transaction(args, work)


def cmd_groups_import(args: argparse.Namespace) -> int:
    now = datetime.now(UTC)

    def work(session: Session) -> dict[str, Any]:
        return groups.import_groups(session, _load_json(args.file, groups.GroupsIn), now)

    return _in_transaction(args, work)


def cmd_groups_assign(args: argparse.Namespace) -> int:
    from pos_server.guests.group_assign import assign_group

    now, by = datetime.now(UTC), args.by or _os_user()
    return _in_transaction(args, lambda session: assign_group(
        session, args.guest_id, args.group_id, now, by=by, reason=args.reason))  # fmt: skip


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in a container: still audited, as unknown
        return "unknown"


def _with_db(parser: argparse.ArgumentParser, func: Callable[[argparse.Namespace], int]) -> None:
    parser.add_argument("--db", help=DB_HELP)
    parser.set_defaults(func=func)


def register(sub: Any) -> None:
    """Add the commands to ``pos-server``'s subparsers."""
    admin = sub.add_parser("admin", help="admin accounts").add_subparsers(
        dest="action", required=True
    )
    add_admin = admin.add_parser("add", help="create an admin; prints one JSON line")
    add_admin.add_argument("name")
    add_admin.add_argument("--pin", help="6-8 digits (else stdin or a prompt)")
    add_admin.add_argument("--password", action="store_true", help=PASSWORD_HELP)
    _with_db(add_admin, cmd_admin_add)

    people = sub.add_parser("staff", help="cashiers, managers, operators").add_subparsers(
        dest="action", required=True
    )
    add = people.add_parser("add", help="create a staff member; prints one JSON line")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--pin", help="4-8 digits, 6-8 for a manager (else stdin or a prompt)")
    add.add_argument("--password", action="store_true", help=PASSWORD_HELP)
    _with_db(add, cmd_staff_add)
    set_pin = people.add_parser("set-pin", help="give a staff member a new PIN")
    set_pin.add_argument("staff_id")
    set_pin.add_argument("--pin", help="4-8 digits, 6-8 for a manager or admin (else stdin or "
                         "a prompt)")  # fmt: skip
    _with_db(set_pin, cmd_staff_set_pin)
    set_password = people.add_parser(
        "set-password", help="the server password of the admin routes and the back office "
        "(read from stdin or a prompt, never an argument)")  # fmt: skip
    set_password.add_argument("staff_id")
    _with_db(set_password, cmd_staff_set_password)
    key = people.add_parser("new-key", help="a new staff key for scripts (the old one stops "
                            "working); printed once")  # fmt: skip
    key.add_argument("staff_id")
    _with_db(key, cmd_staff_new_key)
    withdraw = people.add_parser("withdraw-key", help="the staff key stops working")
    withdraw.add_argument("staff_id")
    _with_db(withdraw, cmd_staff_withdraw_key)
    deactivate = people.add_parser("deactivate", help="stop a staff member signing in")
    deactivate.add_argument("staff_id")
    _with_db(deactivate, cmd_staff_deactivate)
    for verb, text in (("grant", "give a staff member a permission beyond their role "
                        "(bonus_settings: a guest's own bonus settings)"),
                       ("revoke", "withdraw a permission given by grant")):  # fmt: skip
        change = people.add_parser(verb, help=text)
        change.add_argument("staff_id")
        change.add_argument("permission", choices=[p.value for p in Permission])
        _with_db(change, cmd_staff_permission)
    _with_db(people.add_parser("list", help="staff without their hashes"), cmd_staff_list)

    for name, func, what in (("catalogue", cmd_catalogue_import, "product groups and products"),
                             ("groups", cmd_groups_import, "guest groups")):  # fmt: skip
        aliases = ["group"] if name == "groups" else []
        actions = sub.add_parser(name, help=what, aliases=aliases).add_subparsers(
            dest="action", required=True
        )
        load = actions.add_parser("import", help=f"upsert {what} from a JSON file")
        load.add_argument("file")
        _with_db(load, func)
    assign = actions.add_parser(
        "assign", help="put a guest into a guest group by hand (fed to the tills, audited)"
    )
    assign.add_argument("guest_id")
    assign.add_argument("group_id")
    assign.add_argument("--by", help="who, for the audit (default: the OS user)")
    assign.add_argument("--reason", default="put into the group by hand",
                        help="why, for the audit")  # fmt: skip
    _with_db(assign, cmd_groups_assign)
