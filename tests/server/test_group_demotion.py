"""Demotion by period (issue 18 point 3): the scheduled job's pass and ``groups demote-now``
move guests short of the threshold within the period, fed to the tills and audited; while a
group demotes by period, promotion into it counts the spend within the period, otherwise
lifetime spend (docs/domain.md "Guest groups")."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from pos_server.cli import main
from pos_server.db import make_engine, make_sessions
from pos_server.db.models_ledger import AdminAuditRow, GuestLoyaltyRow
from pos_server.guests.demotion import claimed, demote_due_guests
from tests.server.conftest import Till, guest_payload
from tests.server.ledger_fixtures import sale
from tests.server.test_catalogue import GROUPS, import_file
from tests.server.test_changes import pull_all

PERIOD = {"groups": [GROUPS["groups"][0], {**GROUPS["groups"][1], "demotion_days": 90}]}


def group_of(db_url: str, guest_id: str) -> str | None:
    engine = make_engine(db_url)
    try:
        with make_sessions(engine)() as session:
            return session.get(GuestLoyaltyRow, guest_id).group_id  # type: ignore[union-attr]
    finally:
        engine.dispose()


def age_spend(db_url: str, days: int) -> None:
    """Every recorded spend moved ``days`` into the past (a year-old purchase)."""
    engine = make_engine(db_url)
    try:
        with make_sessions(engine).begin() as session:
            for row_id, at in session.execute(text("SELECT id, at FROM guest_spend")).all():
                when = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
                session.execute(
                    text("UPDATE guest_spend SET at = :at WHERE id = :id"),
                    {"at": when.replace(year=when.year - days // 365), "id": row_id},
                )
    finally:
        engine.dispose()


def demote_now(capsys: Any, db_url: str) -> dict[str, Any]:
    assert main(["groups", "demote-now", "--db", db_url]) == 0
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    return result


def test_demotion_on_moves_down_and_promotion_counts_the_period(
    till: Till, db_url: str, tmp_path: Path, capsys: Any
) -> None:
    import_file(capsys, tmp_path, "groups", PERIOD, db_url)
    till.push_ok(till.op("guest.created", guest_payload("anna")))
    till.push_ok(till.op("sale.closed", sale("anna", 150000)))  # 1 500 ₽: 10 % at once
    assert group_of(db_url, "anna") == "g10"
    assert demote_now(capsys, db_url) == {"demoted": 0, "guests": []}  # spent it this period
    age_spend(db_url, 365)
    _, cursor = pull_all(till)

    result = demote_now(capsys, db_url)

    assert result["demoted"] == 1
    assert result["guests"][0] == {"guest_id": "anna", "from_group": "g10", "group_id": "g5",
                                   "spend_in_period": 0, "period_days": 90,
                                   "threshold": 100000}  # fmt: skip
    assert group_of(db_url, "anna") == "g5"
    changes, cursor = pull_all(till, cursor)
    assert [(c["entity"], c["entity_id"], c["data"]["group_id"]) for c in changes] == [
        ("guest", "anna", "g5")]  # fmt: skip
    engine = make_engine(db_url)
    try:
        with make_sessions(engine)() as session:
            audit = session.scalars(select(AdminAuditRow).where(
                AdminAuditRow.action == "group.demote")).all()  # fmt: skip
            assert [(a.actor, a.target) for a in audit] == [("demotion", "guest:anna")]
    finally:
        engine.dispose()
    assert demote_now(capsys, db_url)["demoted"] == 0  # 5 % does not demote by period

    # lifetime 2 200 ₽ would reach 10 %; the 90 days hold 700 ₽: not promoted straight back
    till.push_ok(till.op("sale.closed", sale("anna", 70000)))
    assert group_of(db_url, "anna") == "g5"
    till.push_ok(till.op("sale.closed", sale("anna", 30000)))  # 1 000 ₽ within the period
    assert group_of(db_url, "anna") == "g10"


def test_demotion_off_promotion_counts_lifetime_and_nobody_is_demoted(
    till: Till, db_url: str, tmp_path: Path, capsys: Any
) -> None:
    import_file(capsys, tmp_path, "groups", GROUPS, db_url)  # g10 has demote_to, no period
    till.push_ok(till.op("guest.created", guest_payload("anna")))
    till.push_ok(till.op("sale.closed", sale("anna", 60000)))
    assert group_of(db_url, "anna") == "g5"
    age_spend(db_url, 365)
    assert demote_now(capsys, db_url) == {"demoted": 0, "guests": []}
    till.push_ok(till.op("sale.closed", sale("anna", 40000)))  # lifetime 1 000 ₽
    assert group_of(db_url, "anna") == "g10"
    age_spend(db_url, 365)
    assert demote_now(capsys, db_url)["demoted"] == 0
    assert group_of(db_url, "anna") == "g10"


@pytest.mark.postgres
def test_one_server_process_claims_the_pass(db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("the claim is PostgreSQL's advisory lock; SQLite serves one process")
    engine = make_engine(db_url)
    try:
        with claimed(engine) as first:
            assert first
            with claimed(engine) as second:
                assert not second
            assert demote_due_guests(engine, lambda: datetime.now(UTC)) is None
        assert demote_due_guests(engine, lambda: datetime.now(UTC)) == []
    finally:
        engine.dispose()


def test_passes_run_at_once_move_each_guest_once(
    till: Till, db_url: str, tmp_path: Path, capsys: Any
) -> None:
    import threading

    import_file(capsys, tmp_path, "groups", PERIOD, db_url)
    for n in range(6):
        till.push_ok(till.op("guest.created", guest_payload(f"guest-{n}")))
        till.push_ok(till.op("sale.closed", sale(f"guest-{n}", 150000)))
    age_spend(db_url, 365)
    engines = [make_engine(db_url) for _ in range(3)]
    results: list[Any] = []
    try:
        threads = [threading.Thread(target=lambda e=e: results.append(
            demote_due_guests(e, lambda: datetime.now(UTC)))) for e in engines]  # fmt: skip
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        for engine in engines:
            engine.dispose()
    moved = [g["guest_id"] for r in results if r for g in r]
    assert sorted(moved) == [f"guest-{n}" for n in range(6)]
    assert all(group_of(db_url, f"guest-{n}") == "g5" for n in range(6))
    engine = make_engine(db_url)
    try:
        with make_sessions(engine)() as session:
            count = len(session.scalars(select(AdminAuditRow).where(
                AdminAuditRow.action == "group.demote")).all())  # fmt: skip
    finally:
        engine.dispose()
    assert count == 6
