"""``uow.programme``: the stored programme settings (``programme_settings``), read once per
unit of work (an operation asks for them at most a few times) and written one key at a time."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from pos_server.db.fastexec import Fast
from pos_server.db.models import ProgrammeSettingRow
from pos_server.uow import Repository, UnitOfWork


class ProgrammeStore(Repository):
    __slots__ = ("_cache", "built")

    def __init__(self, uow: UnitOfWork) -> None:
        super().__init__(uow)
        self.built: Any = None  # the service's Programme made from these rows, once per uow

    def stored(self) -> dict[str, Any]:
        """Every key set so far and its value (keys never set are absent)."""
        try:
            return self._cache
        except AttributeError:
            rows = _ALL.rows(self._connection)  # every operation reads it: the fast path
            self._cache: dict[str, Any] = {key: value["v"] for key, value in rows}
            return self._cache

    def put(self, key: str, value: Any, by: str) -> None:
        session = self._session
        row = session.get(ProgrammeSettingRow, key)
        if row is None:
            session.add(ProgrammeSettingRow(key=key, value={"v": value}, updated_at=self._uow.now,
                                            updated_by=by[:64]))  # fmt: skip
        else:
            row.value, row.updated_at, row.updated_by = {"v": value}, self._uow.now, by[:64]
        session.flush()
        self.stored()[key] = value
        self.built = None


_ALL = Fast(select(ProgrammeSettingRow.key, ProgrammeSettingRow.value))
