"""One clock for the venue (issue 7): the window's clock, the shift dialog's "open since" and the
X report all show the shop's time (its named zone, setting ``shop.timezone`` from the server's
feed), whatever time zone the computer is in. The zone here (Asia/Kolkata, +05:30) is one no
test machine uses, so the computer's own zone would show other hours; "now" is read before and
after, so a minute turning over while the test runs cannot fail it."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from pos_app.db import Store
from pos_app.domain.venue_clock import DEFAULT_SHOP_TIMEZONE
from pos_app.services.venue_time import TIMEZONE_KEY
from pos_app.ui.till.status import describe
from tests.ui.test_till_window import open_shift

VENUE = timezone(timedelta(hours=5, minutes=30))


def _venue_offset(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.settings.set(TIMEZONE_KEY, "Asia/Kolkata")
        uow.commit()


def _either_side(read: Callable[[], str], fmt: str) -> tuple[str, set[str]]:
    before = datetime.now(UTC).astimezone(VENUE).strftime(fmt)
    text = read()
    after = datetime.now(UTC).astimezone(VENUE).strftime(fmt)
    return text, {before, after}


def test_the_clock_the_shift_dialog_and_the_x_report_show_the_venues_time(
    till_factory: Any,
) -> None:
    till = till_factory(before=_venue_offset)
    window = till.window
    till.sign_in()
    till.qtbot.waitUntil(lambda: window.staff is not None, timeout=20000)
    till.qtbot.waitUntil(lambda: window.venue_zone is not None, timeout=5000)
    open_shift(till)

    window._tick_clock()
    shown, expected = _either_side(window.clock.text, "%d.%m.%Y  %H:%M")
    assert shown in expected

    window.shift.show()
    till.qtbot.waitUntil(lambda: window.shift.dialog is not None
                         and window.shift.dialog.isVisible()
                         and window.shift.dialog.shift is not None, timeout=5000)  # fmt: skip
    dialog = window.shift.dialog
    assert dialog is not None and dialog.shift is not None
    opened = dialog.shift.opened_at.astimezone(VENUE).strftime("%d.%m.%Y %H:%M")
    assert f"open since {opened}." in dialog.state.text()

    before = datetime.now(UTC).astimezone(VENUE).strftime("%d.%m.%Y %H:%M")
    dialog.x_button.click()
    till.qtbot.waitUntil(lambda: "X-ОТЧЁТ" in dialog.report.toPlainText(), timeout=5000)
    after = datetime.now(UTC).astimezone(VENUE).strftime("%d.%m.%Y %H:%M")
    report = dialog.report.toPlainText()
    assert f"Открыта {opened}" in report
    at = re.search(r"На момент (\S+ \S+)", report)
    assert at is not None and at.group(1) in {before, after}


def test_the_sync_status_line_tells_times_by_the_venues_clock() -> None:
    since = datetime(2026, 11, 23, 20, 10, tzinfo=UTC)
    state = SimpleNamespace(enrolled=True, online=False, offline_since=since, waiting=0,
                            last_sync=since - timedelta(minutes=5))  # fmt: skip
    text = describe(state, now=since, zone=VENUE)
    assert "offline since 01:40" in text and "last sync 01:35" in text  # 20:10 UTC = 01:40


def test_a_zone_pulled_after_the_till_started_moves_its_clock(till_factory: Any) -> None:
    """A new till starts on the default zone; the server's arrives with a pull (a sync whose
    ``last_sync`` moved) and the window's clock follows it without a restart."""
    till = till_factory()
    window = till.window
    till.qtbot.waitUntil(lambda: window.venue_zone is not None, timeout=20000)
    assert window.venue_zone == ZoneInfo(DEFAULT_SHOP_TIMEZONE)
    _venue_offset(till.store)  # as the feed handler stores the server's zone
    state = SimpleNamespace(enrolled=True, online=True, offline_since=None, waiting=0,
                            last_sync=datetime.now(UTC), problems=0)  # fmt: skip
    window.ctx.bridge.sync_did_change_state.emit(state)
    till.qtbot.waitUntil(lambda: window.venue_zone == ZoneInfo("Asia/Kolkata"), timeout=5000)
    shown, expected = _either_side(window.clock.text, "%d.%m.%Y  %H:%M")
    assert shown in expected


def test_a_venue_name_pulled_after_the_till_started_is_shown(till_factory: Any) -> None:
    """Issue 18 point 4: the back office renames the venue; the till's feed handler stores it
    (``programme_settings.py``) and the window shows it after the pull, without a restart."""
    from pos_app.services.programme_settings import store_programme

    till = till_factory()
    window = till.window
    till.qtbot.waitUntil(lambda: window.venue_zone is not None, timeout=20000)
    with till.store.unit_of_work() as uow:
        store_programme(uow, "venue", {"name": "Кофейня «Зерно»", "timezone": "Asia/Kolkata"})
        uow.commit()
    state = SimpleNamespace(enrolled=True, online=True, offline_since=None, waiting=0,
                            last_sync=datetime.now(UTC), problems=0)  # fmt: skip
    window.ctx.bridge.sync_did_change_state.emit(state)
    till.qtbot.waitUntil(lambda: window.venue.text() == "Кофейня «Зерно»", timeout=5000)
    assert window.venue_zone == ZoneInfo("Asia/Kolkata")
