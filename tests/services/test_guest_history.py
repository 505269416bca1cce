"""The card's History tab at the till: the server's pages, and the last pages viewed readable
offline (fakes and real SQLite)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from pos_app.services.guest_history import (
    GuestHistoryService,
    HistoryUnavailable,
    NoHistorySource,
)
from tests.services.conftest import Shop
from tests.services.fakes import FakeClock


class Source:
    """A server that answers until it is cut off."""

    def __init__(self) -> None:
        self.up = True
        self.asked: list[tuple[str, str, str | None, int]] = []

    def page(self, guest_id: str, section: str, before: str | None, limit: int
             ) -> Mapping[str, Any]:  # fmt: skip
        self.asked.append((guest_id, section, before, limit))
        if not self.up:
            raise HistoryUnavailable("The server did not answer.")
        return {"items": [{"id": 9, "kind": "credit", "before": before}], "next": "9"}


def test_pages_come_from_the_server_and_stay_readable_offline(shop: Shop) -> None:
    source = Source()
    history = GuestHistoryService(shop.uow, FakeClock(), source, keep_pages=2)
    first = history.page("anna", "points")
    assert (first.items[0]["id"], first.next, first.offline) == (9, "9", False)
    history.page("anna", "points", before="9")
    source.up = False
    kept = history.page("anna", "points")
    assert (kept.items, kept.next, kept.offline) == (first.items, "9", True)
    assert kept.fetched_at == first.fetched_at
    with pytest.raises(HistoryUnavailable):
        history.page("anna", "money")  # never viewed
    source.up = True
    history.page("anna", "sales")  # a third page: the oldest kept one goes
    source.up = False
    with pytest.raises(HistoryUnavailable):
        history.page("anna", "points")
    assert history.page("anna", "points", before="9").offline


def test_a_till_without_a_server_says_so(shop: Shop) -> None:
    with pytest.raises(HistoryUnavailable, match="not connected"):
        GuestHistoryService(shop.uow, FakeClock(), NoHistorySource()).page("anna")
