"""The shop's clock (issue 15, point 6b): business days of a named zone, across DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from pos_app.domain.venue_clock import (
    DEFAULT_SHOP_TIMEZONE,
    UnknownTimeZone,
    business_day,
    day_bounds,
    day_start,
    local_time,
    shop_zone,
)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_the_default_zone_is_moscow_and_its_day_starts_at_21_utc() -> None:
    moscow = shop_zone(DEFAULT_SHOP_TIMEZONE)
    assert DEFAULT_SHOP_TIMEZONE == "Europe/Moscow"
    # 23:30 and 00:30 on the shop's clock either side of its midnight
    assert business_day(utc("2026-11-23 20:30"), moscow) == date(2026, 11, 23)
    assert business_day(utc("2026-11-23 21:30"), moscow) == date(2026, 11, 24)
    assert day_bounds(utc("2026-11-23 21:30"), moscow) == (utc("2026-11-23 21:00"),
                                                          utc("2026-11-24 21:00"))
    assert local_time(utc("2026-11-23 21:30"), moscow).strftime("%H:%M") == "00:30"


def test_berlin_across_the_last_sunday_of_march_has_a_23_hour_day() -> None:
    berlin = shop_zone("Europe/Berlin")
    # 29 March 2026: 02:00 CET -> 03:00 CEST; midnights are 23:00 UTC before, 22:00 UTC after
    saturday = day_bounds(utc("2026-03-28 22:59"), berlin)
    sunday = day_bounds(utc("2026-03-28 23:00"), berlin)
    monday = day_bounds(utc("2026-03-29 22:00"), berlin)
    assert saturday == (utc("2026-03-27 23:00"), utc("2026-03-28 23:00"))
    assert sunday == (utc("2026-03-28 23:00"), utc("2026-03-29 22:00"))
    assert sunday[1] - sunday[0] == timedelta(hours=23)
    assert monday == (utc("2026-03-29 22:00"), utc("2026-03-30 22:00"))
    assert business_day(utc("2026-03-29 21:59"), berlin) == date(2026, 3, 29)  # 23:59 CEST
    assert business_day(utc("2026-03-29 22:00"), berlin) == date(2026, 3, 30)


def test_berlin_in_october_has_a_25_hour_day() -> None:
    berlin = shop_zone("Europe/Berlin")
    start, end = day_bounds(utc("2026-10-25 12:00"), berlin)
    assert (start, end) == (utc("2026-10-24 22:00"), utc("2026-10-25 23:00"))


def test_a_zone_whose_clock_skips_midnight_starts_the_day_at_the_change() -> None:
    havana = shop_zone("America/Havana")  # 8 March 2026: 00:00 CST -> 01:00 CDT
    assert day_start(date(2026, 3, 8), havana) == utc("2026-03-08 05:00")
    assert business_day(utc("2026-03-08 05:00"), havana) == date(2026, 3, 8)
    assert business_day(utc("2026-03-08 04:59"), havana) == date(2026, 3, 7)


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "Europe", "../etc/passwd", "+03:00",
                                  "zone.tab"])
def test_an_unknown_zone_name_is_a_clear_error(name: str) -> None:
    with pytest.raises(UnknownTimeZone, match="not a known time zone"):
        shop_zone(name)


def test_utc_needs_no_zone_database_and_a_naive_time_is_refused() -> None:
    assert shop_zone("UTC") is UTC
    with pytest.raises(ValueError, match="no time zone"):
        business_day(datetime(2026, 11, 23, 12, 0), UTC)  # noqa: DTZ001
