"""Manager calls: GET /v1/admin/overdrafts behind a manager's password (never a PIN), and the
audited POST /v1/admin/holds/reset behind the terminal token plus a manager's PIN (or a
password)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from pos_server.db.models import PostingRow
from pos_server.db.models_ledger import AdminAuditRow
from pos_server.staff.service import add_staff, set_password
from tests.server.ledger_fixtures import Shop, group, pay, sale, shop

__all__ = ["shop"]


MANAGER_PASSWORD, CASHIER_PASSWORD = "Maria's pass phrase", "Ivan's pass phrase"


def people(s: Shop) -> tuple[dict[str, str], dict[str, str]]:
    """PIN headers (with the terminal's token) of a manager (654321) and of a cashier
    (111111); both have a server password too."""
    manager = s.work(lambda uow: set_password(uow, add_staff(
        uow, "Maria", "manager", "654321").id, MANAGER_PASSWORD).id)
    cashier = s.work(lambda uow: set_password(uow, add_staff(
        uow, "Ivan", "cashier", "111111").id, CASHIER_PASSWORD).id)
    return ({**s.till.headers, "X-Staff-Id": manager, "X-Staff-Pin": "654321"},
            {**s.till.headers, "X-Staff-Id": cashier, "X-Staff-Pin": "111111"})


def with_password(pin_headers: dict[str, str], password: str) -> dict[str, str]:
    return {"X-Staff-Id": pin_headers["X-Staff-Id"], "X-Staff-Password": password}


def test_overdrafts_list_points_and_balance_and_the_flagged_ones(shop: Shop) -> None:
    manager_pin, cashier_pin = people(shop)
    manager = with_password(manager_pin, MANAGER_PASSWORD)
    cashier = with_password(cashier_pin, CASHIER_PASSWORD)
    shop.groups(group("regular", offline_allowance=1_000))
    shop.put_in_group("anna", "regular")
    shop.push("hold.placed", {"hold_id": "h1", "guest_id": "anna", "amount": 100_500,
                              "offline": True})  # 5.00 over: within the allowance
    shop.push("hold.placed", {"hold_id": "h2", "guest_id": "anna", "amount": 2_000,
                              "offline": True})  # now 25.00 over: beyond it
    shop.push("sale.closed", sale("boris", 3_000, pay("balance", 3_000), offline=True))
    response = shop.till.client.get("/v1/admin/overdrafts", headers=manager)
    assert response.status_code == 200, response.text
    body = response.json()
    listed = [(o["account"], o["guest_id"], o["amount"], o["hold_id"],
               o["beyond_offline_allowance"]) for o in body["overdrafts"]]  # fmt: skip
    assert sorted(listed, key=str) == sorted([
        ("points", "anna", 500, "h1", False), ("points", "anna", 2_000, "h2", True),
        ("balance", "boris", 3_000, None, False)], key=str)
    assert [(b["rule"], b["ref"], b["amount"]) for b in body["breaches"]] == [
        ("offline_allowance", "h2", 1_500)]

    refused = shop.till.client.get("/v1/admin/overdrafts", headers=cashier)
    wrong = shop.till.client.get("/v1/admin/overdrafts",
                                 headers={**manager, "X-Staff-Password": "not Maria's at all"})
    assert refused.status_code == wrong.status_code == 401
    assert refused.json() == wrong.json()  # the cashier's right password: like a wrong one
    assert shop.till.client.get("/v1/admin/overdrafts",
                                headers=shop.till.headers).status_code == 401
    # the manager's right PIN with the terminal's token: never enough for an admin route
    assert shop.till.client.get("/v1/admin/overdrafts", headers=manager_pin).status_code == 401


def reset(s: Shop, headers: dict[str, str], **body: Any) -> Any:
    return s.till.client.post("/v1/admin/holds/reset", json=body, headers=headers)


def test_reset_holds_releases_and_is_audited(shop: Shop) -> None:
    manager, cashier = people(shop)
    for hold_id, guest in (("h1", "anna"), ("h2", "anna"), ("h3", "boris")):
        shop.push("hold.placed", {"hold_id": hold_id, "guest_id": guest, "amount": 1_000,
                                  "offline": True})
    refused = reset(shop, cashier, guest_id="anna", reason="stuck")
    wrong = reset(shop, {**manager, "X-Staff-Pin": "000000"}, guest_id="anna", reason="stuck")
    assert refused.status_code == wrong.status_code == 401
    assert refused.json() == wrong.json() == {"detail": "Unknown member of staff or wrong PIN."}
    assert reset(shop, manager, reason="no target").status_code == 422
    assert reset(shop, manager, guest_id="anna", terminal_id="x", reason="both").status_code == 422

    response = reset(shop, manager, guest_id="anna", reason="till stolen, holds stuck")
    assert response.status_code == 200, response.text
    assert response.json()["released"] == ["h1", "h2"]
    assert shop.state()["held"] == 0 and shop.state("boris")["held"] == 1_000
    by_terminal = reset(shop, manager, terminal_id=shop.till.terminal_id, reason="reinstall")
    assert by_terminal.json()["released"] == ["h3"]
    again = reset(shop, manager, guest_id="anna", reason="just checking")
    assert again.json()["released"] == []

    def audit(db: Any) -> list[tuple[str, str, str, list[str]]]:
        rows = db.scalars(select(AdminAuditRow).where(AdminAuditRow.action == "reset_holds")
                          .order_by(AdminAuditRow.id))  # the staff added are audited too
        return [(r.actor.split(":")[0], r.target, r.reason, r.details["released"])
                for r in rows]  # fmt: skip

    assert shop.write(audit) == [
        ("staff", "guest:anna", "till stolen, holds stuck", ["h1", "h2"]),
        ("staff", f"terminal:{shop.till.terminal_id}", "reinstall", ["h3"]),
        ("staff", "guest:anna", "just checking", []),
    ]
    actors = shop.write(lambda db: {p.actor for p in db.scalars(
        select(PostingRow).where(PostingRow.kind == "release"))})
    assert len(actors) == 1 and next(iter(actors)).startswith("staff:")
