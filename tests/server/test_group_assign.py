"""``pos-server groups assign`` (also ``group assign``): a guest put into a group by hand goes
to the tills through the change feed and is audited; a refusal writes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from pos_server.cli import main
from pos_server.db import make_engine, make_sessions
from pos_server.db.models_ledger import AdminAuditRow, GuestLoyaltyRow
from tests.server.conftest import Till, guest_payload
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
            audit = list(session.scalars(select(AdminAuditRow).order_by(AdminAuditRow.id)))
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

    code, result, _ = assign(capsys, db_url, "anna", "g10", "--by", "Oleg")
    assert code == 0 and result is not None
    assert (result["guest_id"], result["from_group"], result["group_id"]) == ("anna", None, "g10")
    changes, cursor = pull_all(till, cursor)
    assert [(c["entity"], c["entity_id"], c["data"]["group_id"]) for c in changes] == [
        ("guest", "anna", "g10")]  # fmt: skip
    assert changes[0]["data"]["name"] == "Anna"

    code, result, _ = assign(capsys, db_url, "anna", "g5", "--reason", "asked", word="group")
    assert code == 0 and result["from_group"] == "g10"
    changes, cursor = pull_all(till, cursor)
    assert [c["data"]["group_id"] for c in changes] == ["g5"]
    groups, audit = stored(db_url)
    assert groups == {"anna": "g5"}
    first = audit[0]
    assert (first.action, first.actor, first.target) == ("assign_group", "cli:Oleg", "guest:anna")
    assert (first.details["from_group"], first.details["to_group"]) == (None, "g10")
    assert audit[1].reason == "asked" and audit[1].id == result["audit_id"]

    for args, message in ((("nobody", "g10"), "no guest 'nobody'"),
                          (("anna", "g99"), "no guest group 'g99'")):  # fmt: skip
        code, result, err = assign(capsys, db_url, *args)
        assert (code, result) == (1, None) and message in err
    assert stored(db_url)[0] == {"anna": "g5"}  # nothing written by a refusal
    assert pull_all(till, cursor)[0] == []
