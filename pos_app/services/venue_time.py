"""The venue's clock at the till: the shop's named time zone, from the server's feed.

The server's ``venue.timezone`` (the back office; ``POS_SERVER_SHOP_TIMEZONE`` until set)
reaches the till as a ``shop_settings`` change (and in the ``programme`` change ``venue``)
(``services/feed.py``) and is kept as the setting ``shop.timezone``; until one has arrived the
till uses ``pos_app.domain.venue_clock.DEFAULT_SHOP_TIMEZONE`` (Europe/Moscow), the server's
default too, so till and server count the same business day. It decides the guests' daily
limits (``services/guests.py``) and every time a person reads: the window's clock, the shift
dialog, the sync status line, the printed X/Z reports and the console's order times and
history days, whatever time zone the computer is set to. Times are stored in UTC.

The setting ``shop.utc_offset_minutes`` of earlier versions is no longer read: a fixed offset
cannot follow daylight-saving changes, and it let the till and the server disagree about when
the day ends.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo
from typing import Any

from pos_app.domain.venue_clock import DEFAULT_SHOP_TIMEZONE, shop_zone
from pos_app.services.ports import UnitOfWork, UnitOfWorkFactory
from pos_app.services.venue_name import VENUE_NAME_KEY

TIMEZONE_KEY = "shop.timezone"
SHOP_SETTINGS_ENTITY = "shop_settings"


def venue_zone_name(uow: UnitOfWork) -> str:
    return str(uow.settings.get(TIMEZONE_KEY) or DEFAULT_SHOP_TIMEZONE)


def venue_zone(uow: UnitOfWork) -> tzinfo:
    """The shop's zone; the feed handler stores only names this till's zone database knows."""
    return shop_zone(venue_zone_name(uow))


def store_shop_settings(uow: UnitOfWork, data: Mapping[str, Any]) -> None:
    """A ``shop_settings`` change ``{"timezone": NAME}``: an unknown name raises
    ``UnknownTimeZone`` and the zone the till had stays."""
    name = str(data["timezone"])
    shop_zone(name)
    uow.settings.set(TIMEZONE_KEY, name)


class VenueTime:
    """Reads the venue's time zone from the store (on the op worker; the UI keeps it)."""

    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow = uow_factory

    def zone(self) -> tzinfo:
        with self._uow(durable=False) as uow:
            return venue_zone(uow)

    def name(self) -> str:
        with self._uow(durable=False) as uow:
            return venue_zone_name(uow)

    def zone_and_venue(self) -> tuple[tzinfo, str]:
        """The zone and the venue's name (``shop.name``) in one read: the window reads both
        again after a pull, which may have brought the back office's new ones."""
        with self._uow(durable=False) as uow:
            return venue_zone(uow), str(uow.settings.get(VENUE_NAME_KEY) or "")
