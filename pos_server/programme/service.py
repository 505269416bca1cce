"""Reading and changing the programme settings (``model.py``) in a unit of work.

``current(uow)`` is what the server's rules read: the stored keys over the defaults (a key
nobody set follows its ``POS_SERVER_*`` variable, so a new database starts from the
environment; once set here, the database wins). ``change(uow, updates)`` checks the whole
programme with the changes, writes each changed key with an audit row (before, after) and
publishes each changed group the tills read (``PUBLISHED``: not ``messages``) as a
``programme`` change; a new time zone also goes
out as the ``shop_settings`` change tills have always read (``feed/shop_settings.py``). At
start ``publish_at_start`` sends a group whose effective value differs from what the tills
last got (say a ``POS_SERVER_ACCRUAL_BP`` set for a new database), and nothing otherwise.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine, select

from pos_server.db.models import FeedCounter
from pos_server.feed.shop_settings import publish_timezone
from pos_server.ledger.rules import ledger_rules
from pos_server.notify.settings import notify_settings
from pos_server.programme.model import KEYS, PUBLISHED, Programme, nested
from pos_server.uow import UnitOfWork, unit_of_work

PROGRAMME_ENTITY = "programme"
_NEWEST = 2**62  # a feed version past every change


class ProgrammeError(ValueError):
    """A change the programme refuses; the message says which setting and why."""


def defaults(hold_ttl: timedelta) -> dict[str, Any]:
    """The values of keys nobody has set: the environment's where it has one."""
    rules = ledger_rules()
    return {"loyalty.accrual_bp": rules.accrual_bp,
            "loyalty.max_redemption_bp": rules.max_redemption_bp,
            "loyalty.hold_ttl_seconds": int(hold_ttl.total_seconds()),
            "venue.timezone": rules.shop_timezone,
            "messages.language": notify_settings().notify_language}  # fmt: skip


def _build(flat: dict[str, Any]) -> Programme:
    try:
        return Programme.model_validate(nested(flat))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"][:2])
        problem = str(first["msg"]).removeprefix("Value error, ")
        raise ProgrammeError(f"{where}: {problem}") from None


def current(uow: UnitOfWork) -> Programme:
    """The programme as this unit of work's transaction sees it (read once per unit of work;
    the checked model is kept per distinct content, so an unchanged programme is not checked
    again for every operation)."""
    store = uow.programme
    if store.built is None:
        flat = {**defaults(uow.hold_ttl), **store.stored()}
        key = json.dumps(flat, sort_keys=True)
        built = _BUILT.get(key)
        if built is None:
            built = _build(flat)
            if len(_BUILT) > 64:
                _BUILT.clear()
            _BUILT[key] = built
        store.built = built
    found: Programme = store.built
    return found


_BUILT: dict[str, Programme] = {}  # immutable models by their content (JSON)


def change(uow: UnitOfWork, updates: dict[str, Any], *, reason: str = "") -> Programme:
    """Apply ``updates`` (dotted key -> value, text or typed) or refuse them all."""
    unknown = sorted(set(updates) - KEYS)
    if unknown:
        raise ProgrammeError(f"Unknown setting {unknown[0]}; the settings are "
                             f"{', '.join(sorted(KEYS))}.")  # fmt: skip
    before = current(uow)
    after = _build({**before.flat(), **updates})
    old, new = before.flat(), after.flat()
    changed = [key for key in sorted(updates) if old[key] != new[key]]
    for key in changed:
        uow.programme.put(key, new[key], uow.terminal_id)
        uow.audit.record("programme.set", f"setting:{key}", before=old[key], after=new[key],
                         reason=reason)  # fmt: skip
    for group in sorted({key.partition(".")[0] for key in changed} & set(PUBLISHED)):
        uow.feed.record(PROGRAMME_ENTITY, group, after.group(group))
    if "venue.timezone" in changed:
        publish_timezone(uow.session, after.venue.timezone, uow.now)
    return after


def publish_at_start(engine: Engine, now: datetime, hold_ttl: timedelta) -> list[str]:
    """Publish each group the tills do not have as it is now; the groups written.

    The feed counter's row is locked first, as ``publish_timezone`` does, so server processes
    starting together write each change once."""
    written: list[str] = []
    with unit_of_work(engine, actor="server", now=now, hold_ttl=hold_ttl) as uow:
        uow.session.execute(select(FeedCounter.id).where(FeedCounter.id == 1).with_for_update())
        programme, built_in = current(uow), Programme()
        for group in PUBLISHED:
            published = uow.feed.record_at_version(PROGRAMME_ENTITY, group, _NEWEST)
            if published is None:
                published = built_in.group(group)  # what every till starts with
            if published != programme.group(group):
                uow.feed.record(PROGRAMME_ENTITY, group, programme.group(group))
                written.append(group)
        publish_timezone(uow.session, programme.venue.timezone, now)
    return written
