"""A guest's history (``pos_server/guests/history.py``): postings with who / where / why /
balance after and sales with the group and its discount at that moment, keyset paged, through
``GET /v1/guests/{id}/history`` and ``pos-server guest ledger``; SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from pos_server.cli import main as server_main
from pos_server.db import make_engine
from pos_server.guests.groups import GroupsIn, import_groups
from pos_server.uow import unit_of_work
from tests.server.conftest import Till, add_staff_member, guest_payload, sale_payload


def _adjust(n: int, amount: int, account: str = "points") -> dict[str, Any]:
    return {"adjustment_id": f"adj-{n}", "guest_id": "anna", "account": account,
            "direction": "credit", "amount": amount, "staff_id": "max",
            "reason": f"gift {n}"}  # fmt: skip


def history(till: Till, guest_id: str = "anna", **params: Any) -> Any:
    return till.client.get(f"/v1/guests/{guest_id}/history", params=params,
                           headers=till.headers)  # fmt: skip


def test_postings_page_newest_first_to_the_end(till: Till, db_url: str) -> None:
    add_staff_member(db_url, "max", "manager")
    till.push_ok(till.op("guest.created", guest_payload("anna", "Anna")))
    till.push_ok(*[till.op("account.adjusted", _adjust(n, 100 * n)) for n in range(1, 8)],
                 till.op("account.adjusted", _adjust(8, 500, "money")))  # fmt: skip
    seen: list[dict[str, Any]] = []
    before = None
    while True:
        response = history(till, section="points", limit=3,
                           **({} if before is None else {"before": before}))  # fmt: skip
        assert response.status_code == 200, response.text
        page = response.json()
        seen += page["items"]
        before = page["next"]
        if before is None:
            break
    assert [p["reason"] for p in seen] == [f"gift {n}" for n in range(7, 0, -1)]
    assert [p["total_after"] for p in seen][:2] == [2_800, 2_100]
    newest = seen[0]
    assert (newest["account"], newest["kind"], newest["amount"], newest["staff"],
            newest["terminal_id"], newest["ref"]) == ("points", "credit", 700, "max",
                                                      till.terminal_id, "adj-7")  # fmt: skip
    both = history(till, section="postings", limit=50).json()["items"]
    assert [p["account"] for p in both][:2] == ["money", "points"]
    assert history(till, "ghost").status_code == 404
    assert history(till, before="x").status_code == 422
    assert till.client.get("/v1/guests/anna/history").status_code == 401


def test_sales_show_the_group_and_its_discount_at_that_moment(
    till: Till, db_url: str, tmp_path: Any
) -> None:
    def groups(discount_bp: int) -> None:
        data = GroupsIn.model_validate(
            {
                "groups": [
                    {"id": "g10", "name": "Ten", "discount_bp": discount_bp, "spend_threshold": 0}
                ]
            }
        )
        engine = make_engine(db_url)
        with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
            import_groups(uow, data)
        engine.dispose()

    groups(1_000)
    add_staff_member(db_url, "max", "manager")
    till.push_ok(
        till.op("guest.created", guest_payload("anna", "Anna")),
        till.op(
            "guest.updated",
            {
                "guest_id": "anna",
                "staff_id": "max",
                "changed_at": "2026-11-23T09:00:00+00:00",
                "fields": ["group_id"],
                "group_id": "g10",
            },
        ),
    )
    first = sale_payload("anna", receipt_no="A-1", closed_at=datetime.now(UTC).isoformat())
    till.push_ok(till.op("sale.closed", first))
    groups(1_500)  # the group's discount changes after the first sale
    second = sale_payload("anna", receipt_no="A-2", closed_at=datetime.now(UTC).isoformat())
    till.push_ok(till.op("sale.closed", second))
    page = history(till, section="sales", limit=1).json()
    assert [s["receipt_no"] for s in page["items"]] == ["A-2"]
    assert page["items"][0]["group_discount_bp"] == 1_500
    older = history(till, section="sales", limit=1, before=page["next"]).json()
    assert [(s["receipt_no"], s["group_id"], s["group_name"], s["discount"], s["accrual"])
            for s in older["items"]] == [("A-1", "g10", "Ten", 5_000, 2_700)]  # fmt: skip
    assert older["next"] is None


def test_the_ledger_command_prints_json_lines_oldest_first(
    till: Till, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    add_staff_member(db_url, "max", "manager")
    till.push_ok(till.op("guest.created", guest_payload("anna", "Anna")),
                 till.op("account.adjusted", _adjust(1, 1_000)),
                 till.op("account.adjusted", _adjust(2, 500, "money")))  # fmt: skip
    capsys.readouterr()
    assert server_main(["guest", "ledger", "anna", "--db", db_url]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [{k: v for k, v in line.items() if k != "at"} for line in lines] == [
        {"account": "points", "kind": "credit", "amount": 1_000, "total_after": 1_000,
         "hold_id": None, "staff": "max", "terminal_id": till.terminal_id, "reason": "gift 1"},
        {"account": "money", "kind": "credit", "amount": 500, "total_after": 500,
         "hold_id": None, "staff": "max", "terminal_id": till.terminal_id, "reason": "gift 2"},
    ]  # fmt: skip
    assert server_main(["guest", "ledger", "ghost", "--db", db_url]) == 1


def test_open_holds_are_listed(till: Till, db_url: str) -> None:
    add_staff_member(db_url, "max", "manager")
    till.push_ok(till.op("guest.created", guest_payload("anna", "Anna")),
                 till.op("account.adjusted", _adjust(1, 10_000)),
                 till.op("hold.placed", {"hold_id": "h-1", "guest_id": "anna", "amount": 3_000}),
                 till.op("hold.placed", {"hold_id": "h-2", "guest_id": "anna", "amount": 2_000}),
                 till.op("hold.released", {"hold_id": "h-2"}))  # fmt: skip
    page = history(till, section="holds").json()
    assert [(h["hold_id"], h["amount"], h["terminal_id"]) for h in page["items"]] == [
        ("h-1", 3_000, till.terminal_id)
    ]
    assert page["next"] is None
