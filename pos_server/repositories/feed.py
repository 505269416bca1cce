"""The change feed as operations write and read it: a change recorded in the operation's
transaction (``pos_server.feed.changes.record_change``: ids from the one counter row, so they commit
in order), and a record's history, which the feed keeps whole (every change is the whole
record): what a product or a guest looked like at a version or a moment.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select

from pos_server.db.fastexec import Fast
from pos_server.db.models import Change
from pos_server.feed.changes import record_change, record_changes
from pos_server.uow import Repository


class Feed(Repository):
    __slots__ = ()

    def record(self, entity: str, entity_id: str, data: dict[str, Any]) -> int:
        """Append a change at the unit of work's ``now``; its id. The operation's ORM work, if
        any, is flushed first: the counter's lock, held to the commit, is taken last."""
        uow = self._uow
        if uow.has_session:
            uow.session.flush()
        return record_change(uow.connection, entity, entity_id, data, uow.now)

    def record_many(self, entries: list[tuple[str, str, dict[str, Any]]]) -> None:
        """Many ``(entity, entity_id, data)`` changes at once (imports): one counter update."""
        uow = self._uow
        if uow.has_session:
            uow.session.flush()
        record_changes(uow.connection, entries, uow.now)

    def record_at_version(self, entity: str, entity_id: str, version: int
                          ) -> dict[str, Any] | None:  # fmt: skip
        """The record as a till whose feed cursor was ``version`` knew it (its newest change
        with id <= version); None: it had no change by then."""
        row = _AT_VERSION.first(self._uow.connection, {
            "entity": entity, "entity_id": entity_id, "version": version})  # fmt: skip
        return None if row is None else row[0] or {}

    def record_at(self, entity: str, entity_id: str, moment: datetime) -> dict[str, Any] | None:
        """The record as it was at ``moment`` (its newest change made by then); None: it had
        no change by then."""
        row = _AT_MOMENT.first(self._uow.connection, {
            "entity": entity, "entity_id": entity_id, "moment": moment})  # fmt: skip
        return None if row is None else row[0] or {}


# both use the index ix_changes_entity_record (entity, entity_id, id)
_AT_VERSION = Fast(
    select(Change.data).where(
        Change.entity == bindparam("entity"), Change.entity_id == bindparam("entity_id"),
        Change.id <= bindparam("version"),
    ).order_by(Change.id.desc()).limit(1)
)  # fmt: skip
_AT_MOMENT = Fast(
    select(Change.data).where(
        Change.entity == bindparam("entity"), Change.entity_id == bindparam("entity_id"),
        Change.at <= bindparam("moment"),
    ).order_by(Change.id.desc()).limit(1)
)  # fmt: skip
