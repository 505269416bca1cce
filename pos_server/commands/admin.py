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
import secrets
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pos_app.domain.staff_permissions import StaffPermission
from pos_app.domain.staff_pins import (
    MAX_PIN_DIGITS,
    MIN_MANAGER_PIN_DIGITS,
    MIN_PIN_DIGITS,
    Role,
    min_pin_digits,
)
from pos_server.catalogue import service as catalogue
from pos_server.catalogue.files import read_catalogue_file, write_catalogue_file
from pos_server.commands.args import DB_HELP, database_url
from pos_server.db import make_engine, upgrade
from pos_server.db.models_staff import StaffRow
from pos_server.guests import groups
from pos_server.staff import service as staff
from pos_server.staff.passwords import MIN_PASSWORD_CHARS
from pos_server.uow import UnitOfWork, unit_of_work

PASSWORD_HELP = ("also set a server password (admin routes, back office): the next line of "
                 "stdin, else a prompt")  # fmt: skip


class _Refused(Exception):
    """Printed on stderr, exit status 1."""


def _in_transaction(args: argparse.Namespace, work: Callable[[UnitOfWork], dict[str, Any]],
                    by: str | None = None) -> int:  # fmt: skip
    """``work`` in one unit of work acting as ``cli:<by or the OS user>`` (the audit's who)."""
    url = database_url(args)
    upgrade(url)
    engine = make_engine(url)
    actor = f"cli:{by or _os_user()}"
    try:
        with unit_of_work(engine, actor=actor, now=datetime.now(UTC)) as uow:
            result = work(uow)
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


Work = Callable[[UnitOfWork, str, str | None], StaffRow]  # (unit of work, PIN, password)


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
    return _in_transaction(args, lambda uow: _view(uow, work(uow, the_pin, the_password)))


def _add(args: argparse.Namespace, role: str) -> int:
    def work(uow: UnitOfWork, pin: str, password: str | None) -> StaffRow:
        row = staff.add_staff(uow, args.name, role, pin)
        if password is not None:
            staff.set_password(uow, row.id, password)
        return row

    return _with_secrets(args, role, work, password=args.password)


def cmd_admin_add(args: argparse.Namespace) -> int:
    if args.password_stdin:
        return _add_with_password_stdin(args)
    return _add(args, Role.ADMIN.value)


def _add_with_password_stdin(args: argparse.Namespace) -> int:
    """``admin add NAME --password-stdin``: the back office's first admin. The password is
    the first line of stdin (a script's pipe, never an argument); the PIN comes from
    ``--pin`` or, without it, is a random one nobody is told: the admin signs in to the back
    office with the password and sets a PIN there (or ``staff set-pin``) before using a till."""
    password = sys.stdin.readline().rstrip("\r\n")
    pin = str(args.pin) if args.pin is not None else None

    def work(uow: UnitOfWork) -> dict[str, Any]:
        row = staff.add_staff(uow, args.name, Role.ADMIN.value, pin or _unknown_pin(uow))
        staff.set_password(uow, row.id, password)
        return {**_view(uow, row), "pin_set": pin is not None}

    return _in_transaction(args, work)


def _unknown_pin(uow: UnitOfWork) -> str:
    """8 random digits no active member has (the PIN rule refuses a shared one)."""
    for _ in range(20):
        pin = "".join(secrets.choice("0123456789") for _ in range(8))
        if not any(staff.pin_matches(row, pin) for row in uow.staff.active_rows()):
            return pin
    raise _Refused("Could not choose a PIN no one has; give one with --pin.")


def cmd_staff_add(args: argparse.Namespace) -> int:
    return _add(args, args.role)


def cmd_staff_set_pin(args: argparse.Namespace) -> int:
    return _with_secrets(args, None, lambda u, pin, _: staff.change_pin(u, args.staff_id, pin))


def cmd_staff_set_password(args: argparse.Namespace) -> int:
    return _with_secrets(args, None, lambda u, _, password: staff.set_password(
        u, args.staff_id, password or ""), pin=False, password=True)  # fmt: skip


def cmd_staff_new_key(args: argparse.Namespace) -> int:
    def work(uow: UnitOfWork) -> dict[str, Any]:
        row, key = staff.new_key(uow, args.staff_id)
        return {**_view(uow, row), "staff_key": key,
                "note": "shown once: keep it; send it as the X-Staff-Key header"}  # fmt: skip

    return _in_transaction(args, work)


def cmd_staff_withdraw_key(args: argparse.Namespace) -> int:
    return _in_transaction(args, lambda u: _view(u, staff.withdraw_key(u, args.staff_id)))


def cmd_staff_deactivate(args: argparse.Namespace) -> int:
    return _in_transaction(args, lambda u: _view(u, staff.deactivate(u, args.staff_id)))


def cmd_staff_permission(args: argparse.Namespace) -> int:
    """``grant|revoke ID NAME``: one permission added to or taken from those stored (the same
    ``permissions.set_permissions`` as ``--set`` and the back office's staff page)."""
    from pos_server.staff import permissions

    def work(uow: UnitOfWork) -> dict[str, Any]:
        stored = uow.staff.permissions(staff.get(uow, args.staff_id).id)
        wanted = stored | {args.permission} if args.action == "grant" else stored - {
            args.permission}  # fmt: skip
        permissions.set_permissions(uow, args.staff_id, wanted)
        return _with_permissions(uow, args.staff_id)

    return _in_transaction(args, work)


def _with_permissions(uow: UnitOfWork, staff_id: str) -> dict[str, Any]:
    return _view(uow, staff.get(uow, staff_id))


def _view(uow: UnitOfWork, row: StaffRow) -> dict[str, Any]:
    """What the CLI prints of a member: ``public_view`` and the permissions they hold."""
    from pos_server.staff import permissions

    return {**staff.public_view(row), "permissions": sorted(permissions.granted(uow, row))}


def cmd_staff_list(args: argparse.Namespace) -> int:
    def work(uow: UnitOfWork) -> dict[str, Any]:
        rows = staff.list_staff(uow)
        for row in rows:
            if staff.pin_change_needed(row):
                print(f"pos-server: warning: {row.name} ({row.role}, {row.id}) has a PIN set "
                      f"before the {MIN_MANAGER_PIN_DIGITS}-digit rule; it still works at the "
                      "tills but not on the server: set a new one with 'pos-server staff "
                      "set-pin'.", file=sys.stderr)  # fmt: skip
        return {"staff": [_with_permissions(uow, row.id) for row in rows]}

    return _in_transaction(args, work)


def cmd_staff_permissions(args: argparse.Namespace) -> int:
    """A member's back-office permissions; ``--set a,b`` replaces them (audited)."""
    from pos_server.staff import permissions

    def work(uow: UnitOfWork) -> dict[str, Any]:
        if args.set is not None:
            wanted = {p.strip() for p in args.set.split(",") if p.strip()}
            permissions.set_permissions(uow, args.staff_id, wanted)
        return _with_permissions(uow, args.staff_id)

    return _in_transaction(args, work)


def _load_json(path: str, model: type[Any]) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise _Refused(f"Cannot read {path}: {exc.strerror}.") from exc
    return _validated(path, model, text)


def _validated(path: str, model: type[Any], text: str | None = None, data: Any = None) -> Any:
    try:
        if text is not None:
            return model.model_validate_json(text)
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise _Refused(
            f"{path} is not a valid file ({exc.error_count()} error(s)); first at {where}: "
            f"{first['msg']}."
        ) from exc


def cmd_catalogue_import(args: argparse.Namespace) -> int:
    def work(uow: UnitOfWork) -> dict[str, Any]:
        data = read_catalogue_file(args.file)  # JSON or CSV, pictures read in by path
        return catalogue.import_catalogue(
            uow, _validated(args.file, catalogue.CatalogueIn, data=data)
        )

    return _in_transaction(args, work)


def cmd_catalogue_export(args: argparse.Namespace) -> int:
    def work(uow: UnitOfWork) -> dict[str, Any]:
        return write_catalogue_file(args.file, uow.products.groups(), uow.products.all_products())

    return _in_transaction(args, work)


def cmd_groups_import(args: argparse.Namespace) -> int:
    return _in_transaction(
        args, lambda uow: groups.import_groups(uow, _load_json(args.file, groups.GroupsIn))
    )


def cmd_groups_assign(args: argparse.Namespace) -> int:
    from pos_server.guests.group_assign import assign_group

    by = args.by or _os_user()
    return _in_transaction(args, lambda uow: assign_group(
        uow, args.guest_id, args.group_id, by=by, reason=args.reason), by=by)  # fmt: skip


def cmd_groups_demote_now(args: argparse.Namespace) -> int:
    """One demotion pass now (the job's, ``pos_server/guests/demotion.py``); JSON of the
    guests moved, or ``{"skipped": true}`` when another server process holds the work."""
    from pos_server.guests.demotion import demote_due_guests

    url = database_url(args)
    upgrade(url)
    engine = make_engine(url)
    try:
        moved = demote_due_guests(engine, lambda: datetime.now(UTC))
    finally:
        engine.dispose()
    result = {"skipped": True} if moved is None else {"demoted": len(moved), "guests": moved}
    print(json.dumps(result, ensure_ascii=False))
    return 0


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
    secret = add_admin.add_mutually_exclusive_group()
    secret.add_argument("--password", action="store_true", help=PASSWORD_HELP)
    secret.add_argument(
        "--password-stdin",
        action="store_true",
        help="the back office's first admin: the password is the first line "
        "of stdin; without --pin the PIN is left unknown (set it later)",
    )
    _with_db(add_admin, cmd_admin_add)
    _register_staff(sub)
    _register_imports(sub)


def _register_staff(sub: Any) -> None:
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
    for verb, text in (("grant", "add one permission (as 'permissions --set'; bonus_settings: "
                        "a guest's own bonus settings at the tills and in the back office)"),
                       ("revoke", "take one permission away")):  # fmt: skip
        change = people.add_parser(verb, help=text)
        change.add_argument("staff_id")
        change.add_argument("permission", choices=[p.value for p in StaffPermission])
        _with_db(change, cmd_staff_permission)
    _with_db(people.add_parser("list", help="staff without their hashes"), cmd_staff_list)
    granted = people.add_parser("permissions", help="a member's permissions (" + ", ".join(
        StaffPermission) + "); bonus_settings is honoured by the tills too")  # fmt: skip
    granted.add_argument("staff_id")
    granted.add_argument("--set", metavar="LIST", help="replace them: comma-separated, "
                         "'' for none (an admin holds all by role)")  # fmt: skip
    _with_db(granted, cmd_staff_permissions)


def _register_imports(sub: Any) -> None:
    for name, func, what in (("catalogue", cmd_catalogue_import, "product groups and products"),
                             ("groups", cmd_groups_import, "guest groups")):  # fmt: skip
        aliases = ["group"] if name == "groups" else []
        actions = sub.add_parser(name, help=what, aliases=aliases).add_subparsers(
            dest="action", required=True
        )
        source = "a JSON or CSV file" if name == "catalogue" else "a JSON file"
        load = actions.add_parser("import", help=f"upsert {what} from {source}")
        load.add_argument("file")
        _with_db(load, func)
        if name == "catalogue":
            save = actions.add_parser(
                "export", help="write the catalogue to a JSON or CSV file (pictures into "
                "NAME-pictures/), as import reads it"
            )  # fmt: skip
            save.add_argument("file")
            _with_db(save, cmd_catalogue_export)
    assign = actions.add_parser(
        "assign", help="put a guest into a guest group by hand (fed to the tills, audited)"
    )
    assign.add_argument("guest_id")
    assign.add_argument("group_id")
    assign.add_argument("--by", help="who, for the audit (default: the OS user)")
    assign.add_argument("--reason", default="put into the group by hand",
                        help="why, for the audit")  # fmt: skip
    _with_db(assign, cmd_groups_assign)
    demote = actions.add_parser(
        "demote-now", help="demote guests short of their group's threshold within its "
        "period now (the scheduled job's pass; fed to the tills, audited)"
    )  # fmt: skip
    _with_db(demote, cmd_groups_demote_now)
