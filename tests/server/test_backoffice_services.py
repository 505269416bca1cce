"""The services behind the back office's pages (issue 18 points 1, 3, 5, 7), each called as a
page calls it: in a unit of work acting as a member of staff; every change audited with its
before and after, the tills' changes in the feed, sessions and throttling in the database."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import pytest
from sqlalchemy import select

from pos_app.domain.staff_pins import Role
from pos_server.admin_web import signin
from pos_server.db import make_engine, make_sessions
from pos_server.db.models import Change
from pos_server.db.models_ledger import AdminAuditRow
from pos_server.guests import groups
from pos_server.staff import permissions as perms
from pos_server.staff import service as staff
from pos_server.terminals import service as terminals
from pos_server.uow import UnitOfWork, unit_of_work
from pos_server.web import sessions, throttle

T = TypeVar("T")
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"
LIFETIMES = sessions.Lifetimes(idle=timedelta(minutes=30), absolute=timedelta(hours=12))


def run(db_url: str, work: Callable[[UnitOfWork], T], *, at: datetime = NOW,
        actor: str = "web:boss") -> T:  # fmt: skip
    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, actor=actor, now=at) as uow:
            return work(uow)
    finally:
        engine.dispose()


def audit(db_url: str, action: str) -> list[AdminAuditRow]:
    engine = make_engine(db_url)
    try:
        with make_sessions(engine)() as session:
            rows = list(session.scalars(select(AdminAuditRow).where(
                AdminAuditRow.action == action).order_by(AdminAuditRow.id)))  # fmt: skip
            session.expunge_all()
            return rows
    finally:
        engine.dispose()


def changes(db_url: str, entity: str) -> list[dict[str, Any]]:
    engine = make_engine(db_url)
    try:
        with make_sessions(engine)() as session:
            query = select(Change.data).where(Change.entity == entity).order_by(Change.id)
            return list(session.scalars(query))
    finally:
        engine.dispose()


def test_staff_actions_feed_the_tills_and_are_audited_with_before_and_after(db_url: str) -> None:
    ira = run(db_url, lambda uow: staff.add_staff(uow, "Ira", "cashier", "1234").id)
    run(db_url, lambda uow: staff.edit(uow, ira, "Irina", "cashier"))
    run(db_url, lambda uow: staff.change_pin(uow, ira, "4321"))
    run(db_url, lambda uow: staff.set_password(uow, ira, PASSWORD))
    run(db_url, lambda uow: staff.deactivate(uow, ira))
    fed = changes(db_url, "staff")
    assert [(c["name"], c["active"]) for c in fed] == [
        ("Ira", True),
        ("Irina", True),
        ("Irina", True),
        ("Irina", False),
    ]  # not the password
    assert all("password" not in str(c) for c in fed)
    [edit] = audit(db_url, "staff.edit")
    assert edit.actor == "web:boss" and edit.target == f"staff:{ira}"
    assert (edit.details["before"]["name"], edit.details["after"]["name"]) == ("Ira", "Irina")
    assert audit(db_url, "staff.set_password")[0].details == {"before": None, "after": None}
    assert audit(db_url, "staff.deactivate")[0].details["after"]["active"] is False


def test_raising_a_role_needs_a_new_long_pin_and_only_an_admin_touches_admins(
    db_url: str,
) -> None:
    ira = run(db_url, lambda uow: staff.add_staff(uow, "Ira", "cashier", "1234").id)
    with pytest.raises(staff.StaffError, match="needs a new PIN"):
        run(db_url, lambda uow: staff.edit(uow, ira, "Ira", "manager"))
    run(db_url, lambda uow: staff.edit(uow, ira, "Ira", "manager", pin="246810"))
    with pytest.raises(staff.StaffError, match="Only an admin"):
        run(db_url, lambda uow: staff.edit(uow, ira, "Ira", "admin", pin="135790",
                                           by_role=Role.MANAGER))  # fmt: skip
    with pytest.raises(staff.StaffError, match="Only an admin"):
        run(db_url, lambda uow: staff.add_staff(uow, "Eve", "admin", "999111",
                                                by_role=Role.MANAGER))  # fmt: skip


def test_the_last_active_admin_cannot_be_deactivated_or_demoted(db_url: str) -> None:
    boss = run(db_url, lambda uow: staff.add_staff(uow, "Boss", "admin", "482913").id)
    with pytest.raises(staff.StaffError, match="last active admin"):
        run(db_url, lambda uow: staff.deactivate(uow, boss))
    with pytest.raises(staff.StaffError, match="last active admin"):
        run(db_url, lambda uow: staff.edit(uow, boss, "Boss", "manager"))
    run(db_url, lambda uow: staff.add_staff(uow, "Second", "admin", "582914"))
    assert run(db_url, lambda uow: staff.deactivate(uow, boss).active) is False


def test_permissions_are_stored_granted_only_by_holders_and_admins_hold_all(db_url: str) -> None:
    ids = run(db_url, lambda uow: {
        "boss": staff.add_staff(uow, "Boss", "admin", "482913").id,
        "mia": staff.add_staff(uow, "Mia", "manager", "555555").id,
        "cal": staff.add_staff(uow, "Cal", "cashier", "6666").id})  # fmt: skip
    run(db_url, lambda uow: perms.set_permissions(uow, ids["mia"], {"staff", "terminals"}))
    mia = run(db_url, lambda uow: perms.granted(uow, staff.get(uow, ids["mia"])))
    assert mia == {perms.Permission.STAFF, perms.Permission.TERMINALS}
    with pytest.raises(staff.StaffError, match="only permissions you hold"):
        run(
            db_url,
            lambda uow: perms.set_permissions(
                uow, ids["cal"], {"reports"}, by_role=Role.MANAGER, by_permissions=mia
            ),
        )
    run(
        db_url,
        lambda uow: perms.set_permissions(
            uow, ids["cal"], {"terminals"}, by_role=Role.MANAGER, by_permissions=mia
        ),
    )
    with pytest.raises(staff.StaffError, match="Unknown permission"):
        run(db_url, lambda uow: perms.set_permissions(uow, ids["cal"], {"everything"}))
    assert run(db_url, lambda uow: perms.granted(uow, staff.get(uow, ids["boss"]))) == perms.ALL
    [first, second] = audit(db_url, "staff.permissions")
    assert (first.details, second.details["after"]) == (
        {"before": [], "after": ["staff", "terminals"]},
        ["terminals"],
    )
    run(db_url, lambda uow: staff.deactivate(uow, ids["mia"]))
    assert run(db_url, lambda uow: perms.granted(uow, staff.get(uow, ids["mia"]))) == set()


def test_a_terminal_is_added_with_a_code_revoked_and_listed_with_when_it_was_seen(
    db_url: str,
) -> None:
    added = run(db_url, lambda uow: terminals.register(uow, " Bar till ", timedelta(hours=2)))
    assert added.expires_at == NOW + timedelta(hours=2) and len(added.enrolment_code) >= 16
    [listed] = run(db_url, terminals.listing)
    assert (listed.name, listed.code_expires_at, listed.last_seen_at) == (
        "Bar till",
        NOW + timedelta(hours=2),
        None,
    )
    assert run(db_url, lambda uow: terminals.revoke_terminal(uow, added.terminal_id))
    assert not run(db_url, lambda uow: terminals.revoke_terminal(uow, "nope"))
    [listed] = run(db_url, terminals.listing)
    assert listed.revoked_at == NOW and listed.code_expires_at is None
    [made] = audit(db_url, "terminal.add")
    assert added.enrolment_code not in str(made.details)  # the code is shown once, never kept
    assert audit(db_url, "terminal.revoke")[0].details["after"]["revoked"] is True
    with pytest.raises(terminals.TerminalError):
        run(db_url, lambda uow: terminals.register(uow, "  "))


GROUP = {"id": "g5", "name": "Guest 5 %", "discount_bp": 500, "spend_threshold": 50_000,
         "auto_move": True}  # fmt: skip


def test_a_group_saved_from_the_form_is_fed_once_and_audited(db_url: str) -> None:
    saved = run(db_url, lambda uow: groups.save_group(uow, groups.GuestGroupIn(**GROUP)))
    assert (saved.discount_bp, saved.auto_move) == (500, True)
    again = groups.GuestGroupIn(**{**GROUP, "discount_bp": 750, "no_demotion": True})
    run(db_url, lambda uow: groups.save_group(uow, again))
    run(db_url, lambda uow: groups.save_group(uow, again))  # nothing changed: nothing written
    assert [c["discount_bp"] for c in changes(db_url, "guest_group")] == [500, 750]
    first, second = audit(db_url, "group.save")
    assert first.details["before"] is None and second.details["before"]["discount_bp"] == 500
    assert second.details["after"]["no_demotion"] is True
    round_trip = run(db_url, lambda uow: groups.group_in(groups.list_groups(uow)[0]))
    assert round_trip == again
    with pytest.raises(groups.GroupsError, match="demotes to"):
        run(
            db_url,
            lambda uow: groups.save_group(
                uow, groups.GuestGroupIn(**{**GROUP, "demote_to": "nowhere"})
            ),
        )


def test_a_session_ends_when_idle_too_long_at_its_lifetime_and_on_sign_out(db_url: str) -> None:
    token, made = run(db_url, lambda uow: sessions.start(uow, "staff", "boss", LIFETIMES))
    assert len(token) >= 40 and made.token_hash != token  # only the digest is stored
    later = NOW + timedelta(minutes=20)
    assert run(db_url, lambda uow: sessions.load(uow, token, "staff", LIFETIMES), at=later)
    assert run(db_url, lambda uow: sessions.load(uow, token, "guest", LIFETIMES)) is None
    idle = later + timedelta(minutes=31)
    assert run(db_url, lambda uow: sessions.load(uow, token, "staff", LIFETIMES), at=idle) is None
    assert run(db_url, lambda uow: sessions.load(uow, token, "staff", LIFETIMES), at=later) is None

    token, _made = run(db_url, lambda uow: sessions.start(uow, "staff", "boss", LIFETIMES))
    moment = NOW
    for _ in range(24):  # used every 25 minutes: alive until the absolute limit
        moment += timedelta(minutes=25)
        alive = run(db_url, lambda uow: sessions.load(uow, token, "staff", LIFETIMES), at=moment)
        assert (alive is not None) == (moment < NOW + LIFETIMES.absolute), moment
    token, _made = run(db_url, lambda uow: sessions.start(uow, "staff", "boss", LIFETIMES))
    run(db_url, lambda uow: sessions.end(uow, token))
    assert run(db_url, lambda uow: sessions.load(uow, token, "staff", LIFETIMES)) is None


def _boss_with_password(db_url: str) -> str:
    def work(uow: UnitOfWork) -> str:
        boss = staff.add_staff(uow, "Boss", "admin", "482913")
        staff.set_password(uow, boss.id, PASSWORD)
        return boss.id

    return run(db_url, work)


def test_sign_in_by_name_and_password_is_throttled_in_the_database(db_url: str) -> None:
    boss = _boss_with_password(db_url)

    def attempt(password: str, source: str = "10.0.0.1", at: datetime = NOW) -> Any:
        return run(db_url, lambda uow: signin.sign_in(uow, "BOSS ", password, source, LIFETIMES),
                   at=at, actor="web")  # fmt: skip

    signed = attempt(PASSWORD)
    assert isinstance(signed, signin.SignedIn) and signed.staff_id == boss
    assert run(db_url, lambda uow: sessions.load(uow, signed.token, "staff", LIFETIMES))
    for _ in range(throttle.PAIR_FREE + 1):  # the free ones, then one that earns a lock
        assert attempt("wrong password!") == signin.Refused()
    locked = attempt(PASSWORD)  # even the right one is not checked while locked
    assert isinstance(locked, signin.Refused) and locked.locked_seconds > 0
    assert isinstance(attempt(PASSWORD, source="10.0.0.2"), signin.SignedIn)  # another source
    after = NOW + timedelta(seconds=throttle.LOCK_SECONDS + 1)
    assert isinstance(attempt(PASSWORD, at=after), signin.SignedIn)
    assert attempt("x", source="10.0.0.3") == signin.Refused()
    assert attempt(PASSWORD.upper(), source="10.0.0.3") == signin.Refused()


def test_a_new_password_and_deactivation_end_every_session(db_url: str) -> None:
    boss = _boss_with_password(db_url)
    ira = run(db_url, lambda uow: staff.add_staff(uow, "Ira", "cashier", "1234").id)
    run(db_url, lambda uow: staff.set_password(uow, ira, PASSWORD + "!"))
    tokens = [run(db_url, lambda uow: sessions.start(uow, "staff", ira, LIFETIMES))[0]
              for _ in range(2)]  # fmt: skip
    run(db_url, lambda uow: staff.set_password(uow, ira, "another good password"))
    assert all(run(db_url, lambda uow, t=t: sessions.load(uow, t, "staff", LIFETIMES)) is None
               for t in tokens)  # fmt: skip
    token, _ = run(db_url, lambda uow: sessions.start(uow, "staff", ira, LIFETIMES))
    run(db_url, lambda uow: staff.deactivate(uow, ira))
    assert run(db_url, lambda uow: sessions.load(uow, token, "staff", LIFETIMES)) is None
    assert boss


def test_admin_add_password_stdin_makes_an_admin_who_can_sign_in(db_url: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pos_server.cli", "admin", "add", "Owner", "--password-stdin",
         "--db", db_url], input=PASSWORD + "\n", capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert '"pin_set": false' in done.stdout and '"password": true' in done.stdout
    signed = run(db_url, lambda uow: signin.sign_in(uow, "owner", PASSWORD, "cli", LIFETIMES))
    assert isinstance(signed, signin.SignedIn)
    short = subprocess.run(
        [sys.executable, "-m", "pos_server.cli", "admin", "add", "Other", "--password-stdin",
         "--db", db_url], input="short\n", capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip
    assert short.returncode == 1 and "12 to 1024 characters" in short.stderr
    assert [a.actor.startswith("cli:") for a in audit(db_url, "staff.add")] == [True]


def test_the_catalogue_import_runs_in_a_unit_of_work_and_is_audited(db_url: str) -> None:
    from pos_server.catalogue import service as catalogue

    data = catalogue.CatalogueIn.model_validate({
        "groups": [{"id": "drinks", "name": "Drinks", "position": 1}],
        "products": [{"id": "tea", "name": "Tea", "price": 15_000, "group_id": "drinks",
                      "barcode": "4600000000017"}]})  # fmt: skip
    assert run(db_url, lambda uow: catalogue.import_catalogue(uow, data)) == {
        "groups": 1,
        "products": 1,
        "changes": 2,
    }
    assert run(db_url, lambda uow: catalogue.import_catalogue(uow, data))["changes"] == 0
    [made] = audit(db_url, "catalogue.import")
    assert made.details["after"] == {"product_groups": ["drinks"], "products": ["tea"],
                                     "changes": 2}  # fmt: skip
    clash = catalogue.CatalogueIn.model_validate(
        {
            "products": [
                {"id": "coffee", "name": "Coffee", "price": 20_000, "barcode": "4600000000017"}
            ]
        }
    )
    with pytest.raises(catalogue.CatalogueError, match="both have barcode"):
        run(db_url, lambda uow: catalogue.import_catalogue(uow, clash))


def test_a_groups_members_tab_counts_and_lists_its_guests_by_name(db_url: str) -> None:
    from pos_server.db.models import Guest
    from pos_server.db.models_ledger import GuestLoyaltyRow

    run(db_url, lambda uow: groups.save_group(uow, groups.GuestGroupIn(**GROUP)))
    till = run(db_url, lambda uow: terminals.register(uow, "Till")).terminal_id

    def guests(uow: UnitOfWork) -> None:
        for n, (name, group) in enumerate([("Vera", "g5"), ("Anna", "g5"), ("Boris", None)]):
            uow.session.add(Guest(id=f"guest{n}", name=name, phone=None, created_at=NOW,
                                  created_by=till))  # fmt: skip
            uow.session.flush()
            uow.session.add(GuestLoyaltyRow(guest_id=f"guest{n}", group_id=group,
                                            lifetime_spend=1000 * n, updated_at=NOW))  # fmt: skip

    run(db_url, guests)
    count, shown = run(db_url, lambda uow: groups.members(uow, "g5", limit=1))
    assert count == 2 and [(m.name, m.lifetime_spend) for m in shown] == [("Anna", 1000)]


def test_a_manager_may_not_change_a_member_holding_more_than_they_do(db_url: str) -> None:
    ids = run(db_url, lambda uow: {
        "mia": staff.add_staff(uow, "Mia", "manager", "555555").id,
        "max": staff.add_staff(uow, "Max", "manager", "666666").id,
        "cal": staff.add_staff(uow, "Cal", "cashier", "6666").id})  # fmt: skip
    run(db_url, lambda uow: perms.set_permissions(uow, ids["mia"], {"staff"}))
    run(db_url, lambda uow: perms.set_permissions(uow, ids["max"], {"staff", "reports"}))
    mine = frozenset({perms.Permission.STAFF})
    run(db_url, lambda uow: perms.may_manage(uow, ids["cal"], by_role=Role.MANAGER,
                                             by_permissions=mine))  # fmt: skip
    with pytest.raises(staff.StaffError, match="whose permissions you hold"):
        run(db_url, lambda uow: perms.may_manage(uow, ids["max"], by_role=Role.MANAGER,
                                                 by_permissions=mine))  # fmt: skip
    run(db_url, lambda uow: perms.may_manage(uow, ids["max"], by_role=Role.ADMIN,
                                             by_permissions=mine))  # fmt: skip


def test_permissions_are_set_and_shown_by_the_cli(db_url: str, capsys: Any) -> None:
    import json

    from pos_server.cli import main

    ira = run(db_url, lambda uow: staff.add_staff(uow, "Ira", "cashier", "1234").id)
    assert main(["staff", "permissions", ira, "--set", "terminals, reports", "--db", db_url]) == 0
    assert json.loads(capsys.readouterr().out)["permissions"] == ["reports", "terminals"]
    assert main(["staff", "permissions", ira, "--set", "everything", "--db", db_url]) == 1
    assert "Unknown permission" in capsys.readouterr().err
    assert main(["staff", "permissions", ira, "--set", "", "--db", db_url]) == 0
    assert json.loads(capsys.readouterr().out)["permissions"] == []
    assert [a.details["after"] for a in audit(db_url, "staff.permissions")] == [
        ["reports", "terminals"],
        [],
    ]
