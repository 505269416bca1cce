"""The venue's local time: one UTC offset for everything the till shows and prints.

The setting ``shop.utc_offset_minutes`` (default 180, Moscow; ``services/guests.py``) already
decides the shop's business day for the guests' daily limits; the window's clock, the shift
dialog, the sync status line and the printed X/Z reports use the same offset, so a report made
at 23:50 on the clock says 23:50 whatever time zone the till's computer is set to. Times are
stored in UTC; this is only how they are shown.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from pos_app.services.guests import DEFAULT_UTC_OFFSET_MINUTES, UTC_OFFSET_KEY
from pos_app.services.ports import UnitOfWork, UnitOfWorkFactory


def venue_offset_minutes(uow: UnitOfWork) -> int:
    return int(uow.settings.get(UTC_OFFSET_KEY, DEFAULT_UTC_OFFSET_MINUTES))


def venue_zone(offset_minutes: int) -> timezone:
    return timezone(timedelta(minutes=offset_minutes))


def venue_local(at: datetime, offset_minutes: int) -> datetime:
    """An aware UTC time as the venue's clock shows it."""
    return at.astimezone(venue_zone(offset_minutes))


class VenueTime:
    """Reads the venue's time zone from the store (on the op worker; the UI keeps it)."""

    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow = uow_factory

    def zone(self) -> timezone:
        with self._uow(durable=False) as uow:
            return venue_zone(venue_offset_minutes(uow))
