"""Insert-or-update by id for the back-office imports (catalogue, guest groups).

Only rows whose values really changed are touched and returned, so re-importing the same file
writes no feed changes and the tills pull nothing new.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session


class _IdRow(Protocol):
    id: Any
    updated_at: Any

    def __init__(self, **values: Any) -> None: ...


Row = TypeVar("Row", bound=_IdRow)
CHUNK = 1000  # ids per IN (...) query


def upsert_changed(
    session: Session, model: type[Row], all_values: Sequence[Mapping[str, Any]], now: datetime
) -> list[Row]:
    """Insert or update rows (the existing ones read in a few queries); the rows that changed."""
    ids = [values["id"] for values in all_values]
    key: InstrumentedAttribute[Any] = model.id
    existing: dict[Any, Row] = {}
    for start in range(0, len(ids), CHUNK):
        query = select(model).where(key.in_(ids[start:start + CHUNK]))
        existing.update((row.id, row) for row in session.scalars(query))
    changed = []
    for values in all_values:
        row = existing.get(values["id"])
        if row is None:
            row = model(**values, updated_at=now)
            session.add(row)
        elif all(getattr(row, k) == v for k, v in values.items()):
            continue
        else:
            for k, v in values.items():
                setattr(row, k, v)
            row.updated_at = now
        changed.append(row)
    return changed
