"""The top-up limits by role (programme settings ``top_up``, issue 18 point 4) reach a till
through the change feed, and the till's own check reads them."""

from __future__ import annotations

from pathlib import Path

from pos_app.db import open_store
from pos_app.domain.balance import TOP_UP_LIMITS, TopUpLimit
from pos_app.domain.staff_pins import Role
from pos_app.services.programme_settings import top_up_limits
from pos_server.programme.service import change
from tests.server.ledger_fixtures import Shop, shop
from tests.server.test_programme_settings import _till_pulls

__all__ = ["shop"]


def test_top_up_limits_reach_a_till(shop: Shop, tmp_path: Path) -> None:
    with open_store(tmp_path / "till.sqlite3", terminal_id="T1") as store:
        with store.unit_of_work(durable=False) as uow:
            assert top_up_limits(uow) == dict(TOP_UP_LIMITS)  # nothing sent yet: built-in
        shop.work(lambda uow: change(uow, {"top_up.cashier": 300_000,
                                           "top_up.operator_day": 0}))  # fmt: skip
        _till_pulls(shop, store)
        with store.unit_of_work(durable=False) as uow:
            limits = top_up_limits(uow)
    assert limits[Role.CASHIER] == TopUpLimit(300_000, TOP_UP_LIMITS[Role.CASHIER].per_day)
    assert limits[Role.OPERATOR] == TopUpLimit(TOP_UP_LIMITS[Role.OPERATOR].per_top_up, 0)
    assert limits[Role.ADMIN] == TOP_UP_LIMITS[Role.ADMIN]
