"""The guest card's operations through POST /v1/ops, on SQLite and PostgreSQL: each applies
what it says, refuses what it must, is audited and reaches the tills through the feed; two
offline edits of one guest are reconciled field by field (docs/domain.md "Guest card edits")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from pos_server.db import make_engine, make_sessions
from pos_server.db.models import POINTS, AccountRow, GuestIdentifier, PostingRow
from pos_server.db.models_guest_card import GuestAuditRow
from pos_server.db.models_ledger import GuestLoyaltyRow
from pos_server.db.models_web import StaffPermissionRow
from pos_server.uow import unit_of_work
from tests.server.conftest import Till, add_staff_member, enrol, guest_payload

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def verdicts(body: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(r["status"], r["reason"]) for r in body["results"]]


def grant(db_url: str, staff_id: str, *permissions: str) -> None:
    engine = make_engine(db_url)
    with make_sessions(engine).begin() as session:
        session.add_all(StaffPermissionRow(staff_id=staff_id, permission=p) for p in permissions)
    engine.dispose()


def rows(db_url: str, query: Any) -> list[Any]:
    engine = make_engine(db_url)
    try:
        with make_sessions(engine)() as session:
            return list(session.scalars(query))
    finally:
        engine.dispose()


def guest_changes(till: Till, guest_id: str) -> list[dict[str, Any]]:
    changes = till.client.get("/v1/changes", headers=till.headers).json()["changes"]
    return [c["data"] for c in changes if c["entity"] == "guest" and c["entity_id"] == guest_id]


def update(guest_id: str = "anna", *, at: datetime = T0, staff: str = "kate",
           **fields: Any) -> dict[str, Any]:  # fmt: skip
    return {"guest_id": guest_id, "staff_id": staff, "changed_at": at.isoformat(),
            "fields": list(fields), **fields}  # fmt: skip


def _setup(till: Till, db_url: str) -> None:
    add_staff_member(db_url, "kate", "cashier")
    add_staff_member(db_url, "max", "manager")
    till.push_ok(till.op("guest.created", guest_payload("anna", "Anna")))


def test_a_guest_card_edit_applies_and_reaches_the_feed(till: Till, db_url: str) -> None:
    _setup(till, db_url)
    body = till.push_ok(
        till.op(
            "guest.updated",
            update(
                name="  Anna   Petrova ",
                birthday="1990-05-17",
                sex="female",
                note="likes oat milk",
                ordering_allowed=False,
            ),
        ),
        till.op(
            "guest.contacts_set",
            {
                "guest_id": "anna",
                "staff_id": "kate",
                "changed_at": T0.isoformat(),
                "contacts": [
                    {"type": "phone", "label": "home", "value": "8 (343) 111-22-33"},
                    {"type": "phone", "label": "mobile", "value": "+7 912 000 11 22"},
                    {"type": "email", "label": "work", "value": "Anna@Example.COM"},
                ],
            },
        ),
    )
    assert verdicts(body) == [("applied", None), ("applied", None)]
    card = guest_changes(till, "anna")[-1]
    assert card["name"] == "Anna Petrova" and card["birthday"] == "1990-05-17"
    assert (card["sex"], card["note"], card["ordering_allowed"]) == (
        "female",
        "likes oat milk",
        False,
    )
    assert card["phone"] == "+79120001122"  # the mobile one: SMS go there
    assert card["phones"] == ["+73431112233", "+79120001122"]
    assert card["emails"] == ["anna@example.com"]
    assert card["contacts"][0] == {"type": "phone", "label": "home", "value": "+73431112233"}
    audit = rows(db_url, select(GuestAuditRow).order_by(GuestAuditRow.id))
    assert [(a.field, a.outcome, a.staff_id) for a in audit] == [
        ("name", "applied", "kate"),
        ("birthday", "applied", "kate"),
        ("sex", "applied", "kate"),
        ("note", "applied", "kate"),
        ("ordering_allowed", "applied", "kate"),
        ("contacts", "applied", "kate"),
    ]
    assert audit[0].before == "Anna" and audit[0].after == "Anna Petrova"
    assert audit[0].terminal_id == till.terminal_id


def test_edits_that_break_a_rule_are_rejected(till: Till, db_url: str) -> None:
    _setup(till, db_url)
    till.push_ok(
        till.op("guest.created", {**guest_payload("boris", "Boris"), "phone": "+79125550000"})
    )
    body = till.push_ok(
        till.op("guest.updated", update(birthday="2999-01-01")),
        till.op("guest.updated", update(name=None)),
        till.op("guest.updated", {**update(note="x"), "name": "stray"}),
        till.op("guest.updated", update(staff="nobody", note="x")),
        till.op("guest.updated", update(group_id="vip")),  # a cashier may not move groups
        till.op("guest.updated", update("ghost", note="x")),
        till.op(
            "guest.contacts_set",
            {
                "guest_id": "anna",
                "staff_id": "kate",
                "changed_at": T0.isoformat(),
                "contacts": [{"type": "phone", "value": "+79125550000"}],
            },
        ),
        till.op(
            "guest.contacts_set",
            {
                "guest_id": "anna",
                "staff_id": "kate",
                "changed_at": T0.isoformat(),
                "contacts": [{"type": "email", "value": "not-mail"}],
            },
        ),
        till.op(
            "guest.loyalty_set",
            {
                "guest_id": "anna",
                "staff_id": "max",
                "changed_at": T0.isoformat(),
                "accrual_bp": 1000,
            },
        ),
    )
    # a refused edit of a known guest is a conflict carrying the card as it is, for the till
    assert verdicts(body) == [
        ("conflict", "invalid_guest_card"),
        ("conflict", "invalid_guest_card"),
        ("conflict", "invalid_guest_card"),
        ("conflict", "staff_unknown"),
        ("conflict", "permission_denied"),
        ("rejected", "unknown_guest"),
        ("conflict", "phone_taken"),
        ("conflict", "invalid_email"),
        ("conflict", "permission_denied"),  # bonus settings: a checkbox, not the manager role
    ]
    assert body["results"][0]["current"]["name"] == "Anna"
    assert body["results"][0]["current"]["contacts"][0]["value"] == "+79121234567"
    assert rows(db_url, select(GuestAuditRow)) == []


def test_two_offline_tills_editing_one_guest_merge_field_by_field(
    client: Any, till: Till, db_url: str
) -> None:
    """Till A edited the name at 10:05 and the note at 10:01; till B, offline too, the note at
    10:03 and the name at 10:02, and B's operations arrive first. Each field goes to its latest
    edit by the tills' times; the loser's value stays in the audit as ``superseded``."""
    _setup(till, db_url)
    other = enrol(client, db_url, "Till 2")
    minute = timedelta(minutes=1)
    other.push_ok(
        other.op("guest.updated", update(at=T0 + 2 * minute, name="Anna B")),
        other.op("guest.updated", update(at=T0 + 3 * minute, note="note B")),
    )
    body = till.push_ok(
        till.op("guest.updated", update(at=T0 + 5 * minute, name="Anna A")),
        till.op("guest.updated", update(at=T0 + 1 * minute, note="note A")),
    )
    assert verdicts(body) == [("applied", None), ("applied", None)]
    card = guest_changes(till, "anna")[-1]
    assert (card["name"], card["note"]) == ("Anna A", "note B")
    audit = rows(db_url, select(GuestAuditRow).order_by(GuestAuditRow.id))
    assert [(a.field, a.after, a.outcome, a.terminal_id) for a in audit] == [
        ("name", "Anna B", "applied", other.terminal_id),
        ("note", "note B", "applied", other.terminal_id),
        ("name", "Anna A", "applied", till.terminal_id),
        ("note", "note A", "superseded", till.terminal_id),
    ]
    # a tie goes to the edit the server judged later; a till's clock ahead counts as now
    till.push_ok(till.op("guest.updated", update(at=T0 + 5 * minute, name="Anna tie")))
    assert guest_changes(till, "anna")[-1]["name"] == "Anna tie"
    future = datetime.now(UTC) + timedelta(days=365)
    till.push_ok(till.op("guest.updated", update(at=future, note="from the future")))
    other.push_ok(
        other.op(
            "guest.updated",
            update(at=datetime.now(UTC) + timedelta(seconds=5), note="a moment later"),
        )
    )
    assert guest_changes(till, "anna")[-1]["note"] == "a moment later"


def test_own_loyalty_settings_drive_the_accrual(till: Till, db_url: str) -> None:
    from tests.server.conftest import sale_payload

    _setup(till, db_url)
    grant(db_url, "kate", "bonus_settings")
    body = till.push_ok(
        till.op(
            "guest.loyalty_set",
            {
                "guest_id": "anna",
                "staff_id": "kate",
                "changed_at": T0.isoformat(),
                "accrual_bp": 1000,
            },
        ),
        till.op("sale.closed", sale_payload("anna")),
    )
    assert verdicts(body) == [("applied", None), ("applied", None)]
    [posting] = rows(db_url, select(PostingRow).where(PostingRow.account_kind == POINTS))
    assert (posting.kind, posting.amount) == ("accrual", 5_400)  # 10 % of 540 ₽, not 5 %
    card = guest_changes(till, "anna")[-2]  # the loyalty edit's change (then the sale's)
    assert (card["accrual_bp"], card["max_redemption_bp"]) == (1000, None)


def test_identifiers_are_blocked_and_replaced_keeping_the_guest(till: Till, db_url: str) -> None:
    _setup(till, db_url)
    card = {"guest_id": "anna", "medium": "card", "method": "barcode"}
    body = till.push_ok(
        till.op("identifier.bound", {**card, "value": "c-1", "staff_id": "kate"}),
        till.op("identifier.bound", {**card, "value": "c-2"}),
        till.op(
            "identifier.blocked",
            {"guest_id": "anna", "value": "C-2", "staff_id": "kate", "reason": "broken"},
        ),
        till.op(
            "identifier.blocked",
            {"guest_id": "anna", "value": "C-2", "staff_id": "kate", "reason": "broken"},
        ),
        till.op(
            "identifier.replaced",
            {**card, "old_value": "C-1", "value": "c-3", "staff_id": "kate", "reason": "lost"},
        ),
        till.op("identifier.bound", {**card, "guest_id": "anna", "value": "c-9"}),
        till.op(
            "identifier.replaced",
            {**card, "old_value": "C-404", "value": "c-4", "staff_id": "kate", "reason": "lost"},
        ),
        till.op(
            "identifier.blocked",
            {"guest_id": "anna", "value": "C-7", "staff_id": "kate", "reason": "x"},
        ),
    )
    assert verdicts(body) == [("applied", None)] * 6 + [("rejected", "unknown_identifier")] * 2
    stored = {r.value: r for r in rows(db_url, select(GuestIdentifier))}
    assert stored["C-1"].blocked_at is not None and stored["C-1"].block_reason == "lost"
    assert stored["C-2"].blocked_at is not None and stored["C-3"].blocked_at is None
    assert {r.guest_id for r in stored.values()} == {"anna"}
    changes = till.client.get("/v1/changes", headers=till.headers).json()["changes"]
    blocked = [c["data"] for c in changes if c["entity"] == "identifier" and c["data"]["blocked"]]
    assert [b["value"] for b in blocked] == ["C-2", "C-1"]
    audit = rows(db_url, select(GuestAuditRow).order_by(GuestAuditRow.id))
    assert [(a.action, a.before, a.after, a.reason) for a in audit] == [
        ("identifier.blocked", "C-2", None, "broken"),
        ("identifier.replaced", "C-1", "C-3", "lost"),
    ]


def test_a_manager_credits_and_debits_points_and_money(till: Till, db_url: str) -> None:
    _setup(till, db_url)

    def adjust(account: str, direction: str, amount: int, staff: str = "max") -> dict[str, Any]:
        return {
            "adjustment_id": f"adj-{account}-{direction}-{amount}",
            "guest_id": "anna",
            "account": account,
            "direction": direction,
            "amount": amount,
            "staff_id": staff,
            "reason": "birthday gift",
        }

    body = till.push_ok(
        till.op("account.adjusted", adjust("points", "credit", 50_000)),
        till.op("account.adjusted", adjust("points", "debit", 20_000)),
        till.op("account.adjusted", adjust("money", "credit", 10_000)),
        till.op("account.adjusted", adjust("money", "debit", 30_000)),  # more than there is
        till.op("account.adjusted", adjust("points", "credit", 100, staff="kate")),
    )
    assert verdicts(body) == [("applied", None)] * 3 + [
        ("rejected", "insufficient_balance"),
        ("rejected", "permission_denied"),
    ]
    engine = make_engine(db_url)
    with make_sessions(engine)() as session:
        assert session.get_one(AccountRow, (POINTS, "anna")).total == 30_000
        postings = session.scalars(select(PostingRow).order_by(PostingRow.id)).all()
        assert [
            (p.account_kind, p.kind, p.amount, p.total_after, p.actor, p.reason, p.ref)
            for p in postings
        ] == [
            (
                "points",
                "credit",
                50_000,
                50_000,
                "staff:max",
                "birthday gift",
                "adj-points-credit-50000",
            ),
            (
                "points",
                "debit",
                20_000,
                30_000,
                "staff:max",
                "birthday gift",
                "adj-points-debit-20000",
            ),
            (
                "money",
                "credit",
                10_000,
                10_000,
                "staff:max",
                "birthday gift",
                "adj-money-credit-10000",
            ),
        ]
        assert all(p.terminal_id == till.terminal_id for p in postings)
    engine.dispose()
    changes = till.client.get("/v1/changes", headers=till.headers).json()["changes"]
    assert {"bonus_account", "balance_account"} <= {c["entity"] for c in changes}


def test_a_group_put_by_hand_follows_the_group_rules_and_stays_by_hand(
    till: Till, db_url: str
) -> None:
    """Groups 5 % (500 ₽) and 10 % (1 000 ₽), both automatic (DOMAIN.md): a guest with no
    spend put into 10 % by hand lands in 5 %, marked by hand; a 540 ₽ sale keeps them there
    (still by hand); a second one takes them to 10 % by the rules (no longer by hand)."""
    from pos_server.guests.groups import GroupsIn, import_groups
    from tests.server.conftest import sale_payload

    _setup(till, db_url)
    data = GroupsIn.model_validate({"groups": [
        {"id": "g5", "name": "Five", "discount_bp": 500, "spend_threshold": 50_000,
         "auto_move": True},
        {"id": "g10", "name": "Ten", "discount_bp": 1_000, "spend_threshold": 100_000,
         "auto_move": True}]})  # fmt: skip
    engine = make_engine(db_url)
    with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
        import_groups(uow, data)
    engine.dispose()
    till.push_ok(till.op("guest.updated", update(staff="max", group_id="g10")))
    card = guest_changes(till, "anna")[-1]
    assert (card["group_id"], card["group_by_hand"]) == ("g5", True)
    till.push_ok(till.op("sale.closed", sale_payload("anna")))
    assert guest_changes(till, "anna")[-1]["group_id"] == "g5"
    assert rows(db_url, select(GuestLoyaltyRow))[0].group_by_hand is True
    till.push_ok(till.op("sale.closed", sale_payload("anna", receipt_no="A-000002")))
    [loyalty] = rows(db_url, select(GuestLoyaltyRow))
    assert (loyalty.group_id, loyalty.group_by_hand) == ("g10", False)
