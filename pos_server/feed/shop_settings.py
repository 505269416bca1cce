"""The shop-wide settings the tills need, published through the change feed (issue 15).

Today that is the shop's time zone (``POS_SERVER_SHOP_TIMEZONE``, ``ledger_rules``): the server
counts the daily limits by it and the tills must count the same business day and show the same
clock. At start the server compares the setting with what it last published (the
``shop_settings`` row; none: the domain default, which every till starts with) and writes a
``shop_settings`` change ``{"timezone": NAME}`` only when it differs, so restarts add nothing
to the feed and a shop on the default never needs one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from pos_app.domain.venue_clock import DEFAULT_SHOP_TIMEZONE
from pos_server.db.models import FeedCounter, ShopSettingsRow
from pos_server.feed.changes import record_change

SHOP_SETTINGS_ENTITY = "shop_settings"
SHOP_SETTINGS_ID = "shop"


def published_timezone(session: Session) -> str:
    row = session.get(ShopSettingsRow, 1)
    return DEFAULT_SHOP_TIMEZONE if row is None else row.timezone


def publish_timezone(session: Session, timezone: str, now: datetime) -> bool:
    """Record ``timezone`` for the tills if it is not what they already have; True if written.

    The feed counter's row is locked first (PostgreSQL; SQLite: the write lock of BEGIN
    IMMEDIATE), so worker processes starting together write the change once.
    """
    session.execute(select(FeedCounter.id).where(FeedCounter.id == 1).with_for_update())
    if published_timezone(session) == timezone:
        return False
    row = session.get(ShopSettingsRow, 1)
    if row is None:
        session.add(ShopSettingsRow(id=1, timezone=timezone, updated_at=now))
    else:
        row.timezone, row.updated_at = timezone, now
    record_change(session, SHOP_SETTINGS_ENTITY, SHOP_SETTINGS_ID, {"timezone": timezone}, now)
    return True


def publish_shop_settings(sessions: sessionmaker[Session], timezone: str, now: datetime) -> bool:
    with sessions.begin() as session:
        return publish_timezone(session, timezone, now)
