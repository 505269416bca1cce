"""A guest's history at the till (issue 17, the card's History tab): pages from the server
(``GET /v1/guests/{id}/history``, ``pos_server/guests/history.py``), the last pages viewed kept
in the store so they stay readable offline.

API::

    history = GuestHistoryService(uow_factory, clock, source)  # default: NoHistorySource
    page = history.page(guest_id, "postings"|"points"|"money"|"sales", before=None, limit=50)
    # -> HistoryPage(items, next, fetched_at, offline); page.next -> the older page

With the server unreachable (or a till not connected to one) a page viewed before comes back
from the store with ``offline=True`` and the time it was fetched; one never viewed raises
``HistoryUnavailable`` with the reason. The store keeps the ``KEEP_PAGES`` pages viewed last.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from pos_app.domain.errors import DomainError
from pos_app.services.ports import Clock, UnitOfWorkFactory

SECTIONS = ("postings", "points", "money", "sales", "holds")  # holds: the open ones now
CACHE_PREFIX = "guest.history:"
INDEX_KEY = "guest.history.index"
KEEP_PAGES = 50


class HistoryUnavailable(DomainError):
    code = "history_unavailable"


class HistorySource(Protocol):
    def page(self, guest_id: str, section: str, before: str | None, limit: int
             ) -> Mapping[str, Any]:  # fmt: skip
        """The server's page ``{"items": [...], "next": str | None}``; ``HistoryUnavailable``
        when it cannot be asked or did not answer."""
        ...


class NoHistorySource:
    """A till not connected to a server: only pages kept from before can be read."""

    def page(self, guest_id: str, section: str, before: str | None, limit: int
             ) -> Mapping[str, Any]:  # fmt: skip
        raise HistoryUnavailable("This till is not connected to a server.")


NO_HISTORY_SOURCE = NoHistorySource()  # stateless


@dataclass(frozen=True, slots=True)
class HistoryPage:
    section: str
    items: tuple[Mapping[str, Any], ...]  # the server's entries (docs/api.md), + staff_name
    next: str | None
    fetched_at: datetime
    offline: bool  # True: kept from ``fetched_at``, the server did not answer now


class GuestHistoryService:
    def __init__(
        self, uow_factory: UnitOfWorkFactory, clock: Clock,
        source: HistorySource = NO_HISTORY_SOURCE, keep_pages: int = KEEP_PAGES,
    ) -> None:  # fmt: skip
        self._uow, self._clock = uow_factory, clock
        self._source: HistorySource = source
        self._keep = keep_pages

    def page(self, guest_id: str, section: str = "postings", *, before: str | None = None,
             limit: int = 50) -> HistoryPage:  # fmt: skip
        if section not in SECTIONS:
            raise ValueError(f"unknown history section {section!r}")
        key = f"{CACHE_PREFIX}{guest_id}:{section}:{before or ''}:{limit}"
        try:
            answer = self._source.page(guest_id, section, before, limit)
        except HistoryUnavailable as unavailable:
            return self._kept(key, section, unavailable)
        page = HistoryPage(section, self._named(answer["items"]), answer.get("next"),
                           self._clock.now(), offline=False)  # fmt: skip
        self._keep_page(key, page)
        return page

    def _named(self, items: Sequence[Mapping[str, Any]]) -> tuple[Mapping[str, Any], ...]:
        """The entries with ``staff_name`` where this till knows the staff member."""
        with self._uow(durable=False) as uow:
            names: dict[str, str | None] = {}
            for staff_id in {str(i["staff"]) for i in items if i.get("staff")}:
                record = uow.staff.get(staff_id)
                names[staff_id] = None if record is None else record.name
        return tuple({**i, "staff_name": names.get(str(i.get("staff")))} for i in items)

    def _kept(self, key: str, section: str, unavailable: HistoryUnavailable) -> HistoryPage:
        with self._uow(durable=False) as uow:
            kept = uow.settings.get(key)
        if kept is None:
            raise unavailable
        return HistoryPage(section, tuple(kept["items"]), kept["next"],
                           datetime.fromisoformat(kept["fetched_at"]), offline=True)  # fmt: skip

    def _keep_page(self, key: str, page: HistoryPage) -> None:
        with self._uow(durable=False) as uow:
            index = [k for k in uow.settings.get(INDEX_KEY, []) if k != key] + [key]
            for old in index[: -self._keep]:
                uow.settings.delete(old)
            uow.settings.set(key, {"items": list(page.items), "next": page.next,
                                   "fetched_at": page.fetched_at.isoformat()})  # fmt: skip
            uow.settings.set(INDEX_KEY, index[-self._keep :])
            uow.commit()
