"""Demotion by period (issue 18 point 3, docs/domain.md "Guest groups"): a guest in a group
that demotes by period (``demotion_days`` with ``demote_to``, not "never demote") who spent less
than the group's threshold within the last ``demotion_days`` is moved to ``demote_to``
(``pos_app.domain.groups.group_after_period``).

``demote_due_guests`` does one pass: it finds the guests due (one query per such group), then
moves each in its own unit of work, the loyalty row locked and the spend counted again under
the lock (a sale being applied meanwhile may have saved them). Each move writes the guest's
``guest`` change for the tills (as ``groups assign`` does) and an ``admin_audit`` row
(``group.demote``: the group, the spend within the period, the threshold).

Several server processes: a pass first claims the work (PostgreSQL: a session advisory lock
held for the pass, ``pg_try_advisory_lock``); a process that cannot claim it skips the pass
(returns None). SQLite serves one process. ``DemotionJob`` runs passes on a daemon thread;
``pos-server groups demote-now`` runs one for scripts.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, func, select, text

from pos_app.domain.groups import GuestGroup, UnknownGroup, group_after_period
from pos_server.background import BackgroundPass
from pos_server.db.models_ledger import GuestLoyaltyRow, GuestSpendRow
from pos_server.ops.pipeline import Clock
from pos_server.uow import unit_of_work

log = logging.getLogger(__name__)
ACTOR = "demotion"  # who acts, in the audit
ACTION = "group.demote"
_LOCK_KEY = 0x64656D6F  # "demo": the advisory lock every server process asks for


@contextmanager
def claimed(engine: Engine) -> Iterator[bool]:
    """Whether this process holds the demotion work for the block (always on SQLite)."""
    if engine.dialect.name != "postgresql":
        yield True
        return
    with engine.connect() as connection:
        got = bool(connection.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": _LOCK_KEY}))
        connection.commit()
        try:
            yield got
        finally:
            if got:
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _LOCK_KEY})
                connection.commit()


def _spend_since(guest_id: Any, since: Any) -> Any:
    return (select(func.coalesce(func.sum(GuestSpendRow.amount), 0))
            .where(GuestSpendRow.guest_id == guest_id, GuestSpendRow.at > since)
            .scalar_subquery())  # fmt: skip


def _due(engine: Engine, group: GuestGroup, now: Any, limit: int) -> list[str]:
    assert group.demotion_days is not None
    since = now - timedelta(days=group.demotion_days)
    query = (select(GuestLoyaltyRow.guest_id)
             .where(GuestLoyaltyRow.group_id == group.id,
                    _spend_since(GuestLoyaltyRow.guest_id, since) < group.spend_threshold)
             .order_by(GuestLoyaltyRow.guest_id).limit(limit))  # fmt: skip
    with engine.connect() as connection:
        return list(connection.scalars(query))


def _demote(engine: Engine, guest_id: str, group_id: str, now: Any) -> dict[str, Any] | None:
    with unit_of_work(engine, actor=ACTOR, now=now) as uow:
        by_id, active = uow.groups.current()
        group = by_id.get(group_id)
        loyalty = uow.loyalty.lock(guest_id)
        if group is None or loyalty is None or loyalty.group_id != group_id:
            return None  # moved meanwhile
        if not group.demotes_by_period or group.demotion_days is None:
            return None  # the group changed meanwhile
        spend = uow.loyalty.spend(guest_id, loyalty.lifetime_spend, [group])
        within = spend.within[group.demotion_days]
        try:
            after = group_after_period(group, within, active)
        except UnknownGroup:  # demote_to withdrawn: nowhere to go; said in the log each pass
            log.warning("group %s demotes to %s, which is not active", group.id, group.demote_to)
            return None
        if after is None or after.id == group.id:
            return None
        moved = uow.loyalty.set_group(loyalty, after.id, by_hand=False)
        uow.feed.record("guest", guest_id, moved.feed_data())
        result = {"guest_id": guest_id, "from_group": group.id, "group_id": after.id,
                  "spend_in_period": within, "period_days": group.demotion_days,
                  "threshold": group.spend_threshold}  # fmt: skip
        uow.audit.record(ACTION, f"guest:{guest_id}", reason="demotion by period",
                         before={"group_id": group.id}, after=result)  # fmt: skip
        return result


def demote_due_guests(engine: Engine, clock: Clock, limit: int = 1000
                      ) -> list[dict[str, Any]] | None:  # fmt: skip
    """One pass: the guests moved (at most ``limit`` per group), or None when another
    process holds the work."""
    with claimed(engine) as mine:
        if not mine:
            return None
        now = clock()
        with unit_of_work(engine, actor=ACTOR, now=now) as uow:
            _, active = uow.groups.current()
        moved: list[dict[str, Any]] = []
        for group in active:
            if not group.demotes_by_period:
                continue
            for guest_id in _due(engine, group, now, limit):
                result = _demote(engine, guest_id, group.id, now)
                if result is not None:
                    moved.append(result)
        return moved


class DemotionJob(BackgroundPass):
    """Runs ``demote_due_guests`` every ``interval`` seconds until stopped."""

    name = "group-demotion"

    def __init__(self, engine: Engine, clock: Clock, interval: float) -> None:
        self._engine, self._clock = engine, clock
        super().__init__(interval)

    def run_once(self) -> int:
        moved = demote_due_guests(self._engine, self._clock) or []
        if moved:
            log.info("demoted %d guest(s) by period", len(moved))
        return len(moved)


__all__ = ["DemotionJob", "demote_due_guests"]
