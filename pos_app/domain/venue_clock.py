"""The shop's clock: one named time zone decides the business day and how times are shown.

The server's setting ``POS_SERVER_SHOP_TIMEZONE`` (an IANA name) is the one source: the server
counts the daily limits by it and publishes it to the tills through the change feed
(``shop_settings``), where it decides the till's daily limits and every time a person reads.
Until a zone is set or has reached a till, both sides use ``DEFAULT_SHOP_TIMEZONE``,
Europe/Moscow, the product's home market. A named zone rather than a UTC offset, so the day
stays right across daylight-saving changes (a day in Berlin lasts 23 hours in March).

Times are stored in UTC; these functions only say which day an instant belongs to and how it
reads on the shop's clock. ``zoneinfo`` needs a zone database: the system's, or the ``tzdata``
package (a dependency, for Windows tills).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pos_app.domain.errors import DomainError

DEFAULT_SHOP_TIMEZONE = "Europe/Moscow"


class UnknownTimeZone(DomainError):
    code = "unknown_time_zone"


def shop_zone(name: str) -> tzinfo:
    """The zone of an IANA name; ``UnknownTimeZone`` for anything else (no silent UTC)."""
    if name == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, OSError, ValueError, TypeError) as exc:  # a folder, not TZif
        raise UnknownTimeZone(
            f"{name!r} is not a known time zone; give an IANA name such as "
            f"{DEFAULT_SHOP_TIMEZONE} or Europe/Berlin.", zone=name,
        ) from exc  # fmt: skip


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{at!r} has no time zone; the shop's clock needs an aware time")
    return at


def local_time(at: datetime, zone: tzinfo) -> datetime:
    """An aware instant as the shop's clock shows it."""
    return _aware(at).astimezone(zone)


def business_day(at: datetime, zone: tzinfo) -> date:
    """The shop's date at the instant ``at``."""
    return local_time(at, zone).date()


def day_start(day: date, zone: tzinfo) -> datetime:
    """The first instant of the shop's ``day``, in UTC.

    Midnight read with ``fold=0``: where a clock change skips midnight the day starts at the
    change (the first time that exists), where it repeats midnight at its first occurrence.
    """
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def day_bounds(at: datetime, zone: tzinfo) -> tuple[datetime, datetime]:
    """The shop's business day holding ``at`` as UTC instants ``[start, end)``; 23 or 25 hours
    long on a daylight-saving change."""
    day = business_day(at, zone)
    return day_start(day, zone), day_start(day + timedelta(days=1), zone)
