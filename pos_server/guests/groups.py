"""Guest groups (tiers) on the server: imported from JSON, read as ``pos_app.domain`` groups.

``pos-server groups import FILE.json`` reads::

    {"groups": [{"id": "g10", "name": "Guest 10 %", "discount_bp": 1000,
                 "spend_threshold": 100000, "auto_move": true, "no_demotion": false,
                 "demote_to": null, "scope": {"product_group_ids": [], "product_ids": [],
                 "tags": []}, "daily_identification_limit": null,
                 "daily_points_spend_limit": null, "accrual_bp": 500,
                 "max_redemption_bp": 3000, "offline_allowance": 50000, "active": true,
                 "demotion_days": null}]}

Percentages are basis points (1 % = 100), amounts kopecks. Every group is built as a
``pos_app.domain.groups.GuestGroup`` before anything is written, so the domain's own checks
refuse a bad file. Upsert by id, a ``guest_group`` change only when a group really changed
(like the catalogue import). The ledger reads groups with ``current_groups`` (handlers: through
``uow.groups.current()``, pos_server/repositories/groups.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, Strict
from sqlalchemy import Connection, select

from pos_app.domain.catalog import DiscountScope
from pos_app.domain.errors import DomainError
from pos_app.domain.groups import GuestGroup
from pos_app.domain.money import Percent
from pos_server.db.fastexec import Fast
from pos_server.db.models_staff import GuestGroupRow
from pos_server.http.schemas import Amount, EntityId, Name

if TYPE_CHECKING:  # the unit of work's groups repository imports this module
    from pos_server.uow import UnitOfWork

GROUP_ENTITY = "guest_group"
Bp = Annotated[int, Strict(), Field(ge=0, le=10_000)]
Flag = Annotated[bool, Strict()]
Ref = EntityId  # product and group ids, tags: the one id rule of pos_server.http.schemas
Refs = Annotated[list[Ref], Field(max_length=10_000)]


class GroupsError(Exception):
    """The groups file cannot be imported; the message says what to fix."""


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScopeIn(_In):
    product_group_ids: Refs = []
    product_ids: Refs = []
    tags: Refs = []


class GuestGroupIn(_In):
    id: EntityId
    name: Name
    discount_bp: Bp
    spend_threshold: Amount = 0
    scope: ScopeIn = ScopeIn()
    auto_move: Flag = False
    no_demotion: Flag = False
    demote_to: EntityId | None = None
    daily_identification_limit: Annotated[int, Strict(), Field(ge=0, le=10_000)] | None = None
    daily_points_spend_limit: Amount | None = None
    accrual_bp: Bp | None = None
    max_redemption_bp: Bp | None = None
    offline_allowance: Amount = 0
    active: Flag = True
    demotion_days: Annotated[int, Strict(), Field(ge=1, le=3660)] | None = None


class GroupsIn(_In):
    groups: Annotated[list[GuestGroupIn], Field(max_length=1_000)]


def _values(group: GuestGroupIn) -> dict[str, Any]:
    values = group.model_dump()
    values["scope"] = {key: sorted(set(ids)) for key, ids in values["scope"].items()}
    return values


def to_domain(row: GuestGroupRow) -> GuestGroup:
    """The domain group; the rules (promotion, limits, accrual) live there, not here."""
    scope = DiscountScope(
        frozenset(row.scope.get("product_group_ids", ())),
        frozenset(row.scope.get("product_ids", ())),
        frozenset(row.scope.get("tags", ())),
    )
    return GuestGroup(
        row.id, row.name, Percent(row.discount_bp), row.spend_threshold, scope, row.auto_move,
        row.no_demotion, row.demote_to, row.daily_identification_limit,
        row.daily_points_spend_limit,
        None if row.accrual_bp is None else Percent(row.accrual_bp),
        None if row.max_redemption_bp is None else Percent(row.max_redemption_bp),
        row.offline_allowance, row.demotion_days,
    )  # fmt: skip


def feed_data(row: GuestGroupRow) -> dict[str, Any]:
    """The ``guest_group`` change: every field of the row except ``updated_at``."""
    return {"group_id": row.id, "name": row.name, "discount_bp": row.discount_bp,
            "spend_threshold": row.spend_threshold, "scope": row.scope,
            "auto_move": row.auto_move, "no_demotion": row.no_demotion,
            "demote_to": row.demote_to,
            "daily_identification_limit": row.daily_identification_limit,
            "daily_points_spend_limit": row.daily_points_spend_limit,
            "accrual_bp": row.accrual_bp, "max_redemption_bp": row.max_redemption_bp,
            "offline_allowance": row.offline_allowance, "active": row.active,
            "demotion_days": row.demotion_days}  # fmt: skip


def _check(stored_ids: set[str], data: GroupsIn) -> None:
    ids = [g.id for g in data.groups]
    if len(set(ids)) < len(ids):
        dupe = next(i for i in ids if ids.count(i) > 1)
        raise GroupsError(f"The file names guest group {dupe!r} more than once.")
    known = set(ids) | stored_ids
    for group in data.groups:
        if group.demote_to is not None and group.demote_to not in known:
            raise GroupsError(
                f"Group {group.id!r} demotes to {group.demote_to!r}, which is neither in the "
                "file nor on the server."
            )
        try:
            to_domain(GuestGroupRow(**_values(group)))
        except DomainError as error:
            raise GroupsError(f"Group {group.id!r}: {error.message}") from error


def import_groups(uow: UnitOfWork, data: GroupsIn) -> dict[str, int]:
    """Apply a checked groups file in the caller's unit of work; counts of groups and changes.
    Each group that really changed gets a feed change and an audit row (before and after)."""
    _check(uow.groups.ids(), data)
    before = {row.id: feed_data(row) for row in uow.groups.rows()}
    changed = uow.groups.upsert_changed([_values(g) for g in data.groups])
    uow.feed.record_many([(GROUP_ENTITY, row.id, feed_data(row)) for row in changed])
    for row in changed:
        uow.audit.record("group.save", f"guest_group:{row.id}", before=before.get(row.id),
                         after=feed_data(row))  # fmt: skip
    return {"groups": len(data.groups), "changes": len(changed)}


def save_group(uow: UnitOfWork, group: GuestGroupIn) -> GuestGroupRow:
    """Create or change one group (the back office's form): the same checks, feed change
    and audit as an import of a file naming only this group."""
    import_groups(uow, GroupsIn(groups=[group]))
    row = uow.groups.row(group.id)
    assert row is not None
    return row


def list_groups(uow: UnitOfWork) -> list[GuestGroupRow]:
    """Every group, by spend threshold."""
    return uow.groups.rows()


def members(uow: UnitOfWork, group_id: str, limit: int = 200) -> tuple[int, list[Any]]:
    """The group's members tab: how many guests it holds and the first ``limit`` by name."""
    return uow.groups.members(group_id, limit)


def group_in(row: GuestGroupRow) -> GuestGroupIn:
    """A stored group as the form and the file describe it."""
    values = feed_data(row)
    values["id"] = values.pop("group_id")
    return GuestGroupIn.model_validate(values)


# Every group in one statement, compiled once (pos_server/db/fastexec.py). The domain objects
# built from the rows are kept while the rows read are equal to the last ones: judging a sale
# reads the groups (a handful of rows) but rebuilds nothing until an import changes them.
_ALL_GROUPS = Fast(select(*(c for c in GuestGroupRow.__table__.c if c.name != "updated_at"))
                   .order_by(GuestGroupRow.id))  # fmt: skip
_built: tuple[list[Any], dict[str, GuestGroup], list[GuestGroup]] = ([], {}, [])


def current_groups(connection: Connection) -> tuple[dict[str, GuestGroup], list[GuestGroup]]:
    """(every group by id, the active ones in id order) as the transaction sees them now."""
    global _built
    rows = _ALL_GROUPS.rows(connection)
    last_rows, by_id, active = _built
    if rows != last_rows:
        by_id = {row.id: to_domain(row) for row in rows}  # type: ignore[arg-type]
        active = [by_id[row.id] for row in rows if row.active]
        _built = (rows, by_id, active)
    return by_id, active
