"""``pos-server overdrafts`` lists what GET /v1/admin/overdrafts lists: points and balance
overdrafts (oldest first on the command line), and with ``--breaches`` the rule breaches."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pos_server.cli import main
from tests.server.ledger_fixtures import Shop, group, pay, sale, shop
from tests.server.test_ledger_admin import MANAGER_PASSWORD, people, with_password

__all__ = ["shop"]


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, Any]]:
    capsys.readouterr()
    assert main(["overdrafts", *args]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_the_cli_lists_points_and_balance_overdrafts_like_the_api(
    shop: Shop, capsys: pytest.CaptureFixture[str]
) -> None:
    manager_pin, _cashier = people(shop)
    manager = with_password(manager_pin, MANAGER_PASSWORD)  # an admin route: never a PIN
    shop.groups(group("regular", offline_allowance=1_000))
    shop.put_in_group("anna", "regular")
    shop.push("hold.placed", {"hold_id": "h1", "guest_id": "anna", "amount": 102_500,
                              "offline": True})  # 25.00 over: beyond the allowance
    shop.clock.now = shop.clock.now.replace(hour=11)
    shop.push("sale.closed", sale("boris", 3_000, pay("balance", 3_000), offline=True))
    api = shop.till.client.get("/v1/admin/overdrafts", headers=manager).json()

    listed = cli(capsys, "--db", shop.db_url)
    assert [(o["account"], o["guest_id"], o["amount"]) for o in listed] == [
        ("points", "anna", 2_500), ("balance", "boris", 3_000)]  # oldest first  # fmt: skip
    assert listed == api["overdrafts"][::-1]
    assert listed[0]["beyond_offline_allowance"] is True

    with_breaches = cli(capsys, "--db", shop.db_url, "--breaches")
    assert with_breaches[:2] == listed
    assert [(b["breach"], b["rule"], b["ref"]) for b in with_breaches[2:]] == [
        (True, "offline_allowance", "h1")]  # fmt: skip
    later = cli(capsys, "--db", shop.db_url, "--since", "2026-11-23T10:30:00+00:00")
    assert [o["account"] for o in later] == ["balance"]
    assert cli(capsys, "--db", shop.db_url, "--limit", "1") == listed[1:]  # the newest kept
