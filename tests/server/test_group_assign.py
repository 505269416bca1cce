"""``pos-server groups assign`` (also ``group assign``): a guest put into a group by hand goes
to the tills through the change feed and is audited; a refusal writes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pos_app.domain.money import format_money
from pos_server.cli import main
from pos_server.db import make_engine, make_sessions
from pos_server.db.models_ledger import AdminAuditRow, GuestLoyaltyRow
from tests.server.conftest import Till, guest_payload
from tests.server.ledger_fixtures import sale
from tests.server.test_catalogue import GROUPS, import_file
from tests.server.test_changes import pull_all


def assign(capsys: Any, db_url: str, *args: str, word: str = "groups") -> tuple[int, Any, str]:
    code = main([word, "assign", *args, "--db", db_url])
    out = capsys.readouterr()
    return code, (json.loads(out.out) if out.out else None), out.err


def stored(db_url: str) -> tuple[dict[str, str | None], list[AdminAuditRow]]:
    engine = make_engine(db_url)
    try:
        with make_sessions(engine)() as session:
            groups = {r.guest_id: r.group_id for r in session.scalars(select(GuestLoyaltyRow))}
            audit = list(
                session.scalars(
                    select(AdminAuditRow)
                    .where(  # not the groups' imports
                        AdminAuditRow.action == "assign_group"
                    )
                    .order_by(AdminAuditRow.id)
                )
            )
            session.expunge_all()
    finally:
        engine.dispose()
    return groups, audit


def test_a_guest_put_into_a_group_by_hand_reaches_the_tills_and_is_audited(
    till: Till, db_url: str, tmp_path: Path, capsys: Any
) -> None:
    import_file(capsys, tmp_path, "groups", GROUPS, db_url)
    till.push_ok(till.op("guest.created", guest_payload("anna")))
    _, cursor = pull_all(till)

    code, result, _ = assign(capsys, db_url, "anna", "g5", "--by", "Oleg")
    assert code == 0 and result is not None
    assert (result["guest_id"], result["from_group"], result["group_id"]) == ("anna", None, "g5")
    changes, cursor = pull_all(till, cursor)
    assert [(c["entity"], c["entity_id"], c["data"]["group_id"]) for c in changes] == [
        ("guest", "anna", "g5")]  # fmt: skip
    assert changes[0]["data"]["name"] == "Anna"

    g10 = {**GROUPS["groups"][1], "no_demotion": True}  # kept even below its threshold
    import_file(capsys, tmp_path, "groups", {"groups": [GROUPS["groups"][0], g10]}, db_url)
    code, result, _ = assign(capsys, db_url, "anna", "g10", "--reason", "asked", word="group")
    assert code == 0 and (result["from_group"], result["group_id"]) == ("g5", "g10")
    changes, cursor = pull_all(till, cursor)
    assert [c["data"]["group_id"] for c in changes if c["entity"] == "guest"] == ["g10"]
    groups, audit = stored(db_url)
    assert groups == {"anna": "g10"}
    first = audit[0]
    assert (first.action, first.actor, first.target) == ("assign_group", "cli:Oleg", "guest:anna")
    assert (first.details["before"]["group_id"], first.details["after"]["group_id"]) == (None, "g5")
    assert audit[1].reason == "asked" and audit[1].id == result["audit_id"]

    for args, message in ((("nobody", "g10"), "no guest 'nobody'"),
                          (("anna", "g99"), "no guest group 'g99'")):  # fmt: skip
        code, result, err = assign(capsys, db_url, *args)
        assert (code, result) == (1, None) and message in err
    assert stored(db_url)[0] == {"anna": "g10"}  # nothing written by a refusal
    assert pull_all(till, cursor)[0] == []


# DOMAIN.md "Guest groups", the worked example: 5 % from 500 ₽ and 10 % from 1 000 ₽, both
# automatic unless a case says otherwise; (spend before, groups' changes, group asked for,
# group the guest ends in). Kopecks.
G3 = {"id": "g3", "name": "Гость 3 %", "discount_bp": 300, "spend_threshold": 20000,
      "auto_move": True}  # fmt: skip
WORKED_EXAMPLE = {
    "below 500: moved down to 5 %": (30000, {}, [], "g10", "g5"),
    "never demote: stays in 10 %": (30000, {"g10": {"no_demotion": True}}, [], "g10", "g10"),
    "10 % not automatic: stays": (30000, {"g10": {"auto_move": False}}, [], "g10", "g10"),
    "at the threshold: stays": (100000, {}, [], "g10", "g10"),
    "between 500 and 1 000: 5 %": (70000, {}, [], "g10", "g5"),
    "a lower group it qualifies for": (30000, {}, [G3], "g10", "g3"),
    "qualifies for none: the lowest": (10000, {}, [G3], "g10", "g3"),
    "5 %, nothing lower: stays": (10000, {}, [], "g5", "g5"),
    "spend past 10 % put in 5 %: 10 %": (120000, {}, [], "g5", "g10"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(WORKED_EXAMPLE))
def test_the_group_rule_applies_at_the_assignment_and_the_tills_get_the_result(
    case: str, till: Till, db_url: str, tmp_path: Path, capsys: Any
) -> None:
    spend, changed, extra, asked, expected = WORKED_EXAMPLE[case]
    base = [{**g, **changed.get(g["id"], {})} for g in GROUPS["groups"]]
    # first no group is automatic, so the sale that makes the spend moves nobody
    manual = [{**g, "auto_move": False} for g in (*base, *extra)]
    import_file(capsys, tmp_path, "groups", {"groups": manual}, db_url)
    till.push_ok(till.op("guest.created", guest_payload("anna")))
    if spend:
        till.push_ok(till.op("sale.closed", sale("anna", spend)))
    import_file(capsys, tmp_path, "groups", {"groups": [*base, *extra]}, db_url)
    _, cursor = pull_all(till)

    code, result, _ = assign(capsys, db_url, "anna", asked, "--by", "Oleg")

    assert code == 0 and result is not None
    assert (result["requested_group"], result["group_id"]) == (asked, expected)
    assert result["lifetime_spend"] == spend
    if expected != asked:
        assert f"requested 'Гость {asked[1:]} %' ({asked}), moved to" in result["message"]
        assert f"({expected}) because lifetime spend" in result["message"]
        assert format_money(spend) in result["message"]
    groups, audit = stored(db_url)
    assert groups == {"anna": expected}
    after = audit[-1].details["after"]
    assert (after["requested_group"], after["group_id"], after["lifetime_spend"]) == (
        asked,
        expected,
        spend,
    )
    changes, _ = pull_all(till, cursor)
    assert [(c["entity_id"], c["data"]["group_id"], c["data"]["lifetime_spend"])
            for c in changes] == [("anna", expected, spend)]  # fmt: skip
    # the next sale is judged from the resulting group: it stays while the spend stays short
    till.push_ok(till.op("sale.closed", sale("anna", 100)))
    assert stored(db_url)[0] == {"anna": expected}


def test_the_message_says_why_the_guest_was_moved_down(
    till: Till, db_url: str, tmp_path: Path, capsys: Any
) -> None:
    import_file(capsys, tmp_path, "groups", GROUPS, db_url)
    till.push_ok(till.op("guest.created", guest_payload("anna")))
    code, result, _ = assign(capsys, db_url, "anna", "g10")
    assert code == 0 and result["message"] == (
        "requested 'Гость 10 %' (g10), moved to 'Гость 5 %' (g5) because lifetime spend "
        "0,00 ₽ is below the threshold 1\u00a0000,00 ₽ of 'Гость 10 %', which moves guests "
        "automatically and may demote them.")  # fmt: skip
