"""Guests at the till: search, "create guest and bind this card", the guest panel, daily limits.

API (plain frozen results; ``DomainError`` subclasses with cashier-readable messages)::

    guests = GuestService(uow_factory, clock, ids)
    guests.search("анна")  /  guests.search("912 123")   # -> [GuestSummary], name or phone
    panel = guests.create_guest("Анна", phone="8 912 …", identifier=";7700…?",
                                method=InputMethod.MSR)  # -> GuestPanel; one unit of work,
                                # ops guest.created + identifier.bound
    guests.phone_check("8 912 …")                         # -> PhoneCheck: the local guests
                                # with that phone and the server's verdict (None: not asked)
    panel = guests.panel(guest_id)                        # -> GuestPanel (limits of today)
    sale, panel = guests.identify(sale_service, sale_id, identifier=…, method=…)  # or phone=
                                # checks the daily identification limit first (clear error)

A new guest's phone is checked for duplicates in the local store and, when the server answers
(``PhoneOwnerSource``, one short request), on the server too, which knows guests made on other
tills that have not reached this one; offline the local check alone decides and the server's
operation settles the rest.

The guest panel shows name, phones, group and discount, points total / held / available,
balance, the guest's promo code, and today's limits: identifications used and allowed, points
spent and still allowed. "Today" is the shop's business day in its named time zone, the one
the server counts by (``services/venue_time.py``). The counts are what this till knows (its own
sales of the day); the server enforces the limits across tills. An identification is a sale of
the guest that ended today, closed or cancelled: the same thing the server counts
(docs/domain.md "Daily identification limit").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from pos_app.domain.errors import DomainError
from pos_app.domain.groups import GuestGroup
from pos_app.domain.guests import Guest
from pos_app.domain.identifiers import Identifier, InputMethod, Medium, normalise_identifier
from pos_app.domain.limits import DailyLimits, check_identification, remaining_spend
from pos_app.domain.operations import GuestCreated, IdentifierBound
from pos_app.domain.phones import normalise_phone
from pos_app.domain.venue_clock import day_bounds
from pos_app.services.dto import GroupView, SaleView
from pos_app.services.ports import Clock, IdGenerator, UnitOfWork, UnitOfWorkFactory
from pos_app.services.programme_settings import default_limits
from pos_app.services.sale_errors import GuestNotFound
from pos_app.services.venue_time import venue_zone

if TYPE_CHECKING:  # sales.py imports the closing, which imports promo.py, which imports this
    from pos_app.services.sales import SaleService



class GuestExists(DomainError):
    code = "guest_exists"


class ServerNotAsked(DomainError):
    """The server could not be asked (offline, no answer, not enrolled)."""

    code = "server_not_asked"


@dataclass(frozen=True, slots=True)
class PhoneOwner:
    guest_id: str
    name: str


class PhoneOwnerSource(Protocol):
    def phone_owner(self, phone: str) -> PhoneOwner | None:
        """Who has ``phone`` (E.164) on the server; ``ServerNotAsked`` without an answer."""
        ...


class NoPhoneOwnerSource:
    """A till without a server: the local store alone answers."""

    def phone_owner(self, phone: str) -> PhoneOwner | None:
        raise ServerNotAsked("This till is not connected to a server.")


NO_PHONE_OWNERS = NoPhoneOwnerSource()


@dataclass(frozen=True, slots=True)
class PhoneCheck:
    """A phone for a new guest: the local guests with it, and the server's owner (``server``
    None and ``server_asked`` False: offline, the local check alone)."""

    phone: str  # E.164
    local: tuple[GuestSummary, ...]
    server: PhoneOwner | None
    server_asked: bool

    @property
    def taken_by(self) -> str | None:
        """The name of a guest who has it already (None: free as far as the till knows)."""
        if self.local:
            return self.local[0].name
        return self.server.name if self.server is not None else None


@dataclass(frozen=True, slots=True)
class GuestSummary:
    guest_id: str
    name: str
    phones: tuple[str, ...]
    group_name: str | None


@dataclass(frozen=True, slots=True)
class TodayLimits:
    identifications: int  # sales that ended this business day on this till, cancelled too
    identification_limit: int | None
    points_spent: int  # kopecks
    points_limit: int | None
    points_remaining: int | None  # None: no limit

    @property
    def identification_limit_reached(self) -> bool:
        limit = self.identification_limit
        return limit is not None and self.identifications >= limit


@dataclass(frozen=True, slots=True)
class GuestPanel:
    """Everything the till's guest panel shows (kopecks; 1 point = 1 rouble = 100)."""

    guest_id: str
    name: str
    phones: tuple[str, ...]
    group: GroupView | None
    points_total: int
    points_held: int
    points_available: int
    balance: int | None  # None: no balance account
    promo_code: str | None
    today: TodayLimits


def business_day_start(uow: UnitOfWork, now: datetime) -> datetime:
    """The first instant of the shop's business day containing ``now``, as an aware UTC
    datetime (the shop's zone, as the server counts it)."""
    return day_bounds(now, venue_zone(uow))[0]


def today_limits(
    uow: UnitOfWork, guest_id: str, group: GuestGroup | None, now: datetime,
    exclude_sale: str | None = None,
) -> TodayLimits:  # fmt: skip
    sales = [
        s for s in uow.shifts.guest_sales_since(guest_id, business_day_start(uow, now))
        if s.sale_id != exclude_sale
    ]  # fmt: skip
    spent = sum(
        p.amount for s in sales if s.status != "cancelled" for p in s.payments
        if p.method == "points"
    )  # fmt: skip
    # an identification is a sale that ended today, closed or cancelled: what the server counts
    identified = sum(1 for s in sales if s.status != "open")
    limits = _limits(uow, group)
    return TodayLimits(identified, limits.identifications, spent, limits.points_spend,
                       remaining_spend(limits, spent))  # fmt: skip


def _limits(uow: UnitOfWork, group: GuestGroup | None) -> DailyLimits:
    """The group's limits; the programme's for a guest without a group (``programme_settings``)."""
    if group is None:
        return default_limits(uow)
    return DailyLimits(group.daily_identification_limit, group.daily_points_spend_limit)


class GuestService:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock, ids: IdGenerator,
                 phone_owners: PhoneOwnerSource = NO_PHONE_OWNERS) -> None:  # fmt: skip
        self._uow = uow_factory
        self._clock = clock
        self._ids = ids
        self._phone_owners = phone_owners

    def phone_check(self, phone: str) -> PhoneCheck:
        """Whether ``phone`` (any format) belongs to a guest already: here, and on the server
        when it answers."""
        e164 = normalise_phone(phone)
        with self._uow(durable=False) as uow:
            local = tuple(_summary(uow, g) for g in uow.guests.by_phone(e164))
        try:
            server, asked = self._phone_owners.phone_owner(e164), True
        except ServerNotAsked:
            server, asked = None, False
        return PhoneCheck(e164, local, server, asked)

    def search(self, text: str, limit: int = 20) -> list[GuestSummary]:
        """By a name fragment (any case, ё = е) or phone digits/number in any format."""
        text = text.strip()
        if not text:
            return []
        with self._uow(durable=False) as uow:
            found: dict[str, Guest] = {}
            try:
                for guest in uow.guests.by_phone(normalise_phone(text)):
                    found[guest.id] = guest
            except DomainError:
                pass  # not a whole phone number: a fragment
            for guest in uow.guest_search.search(text, limit):
                found.setdefault(guest.id, guest)
            return [_summary(uow, g) for g in list(found.values())[:limit]]

    def create_guest(
        self, name: str, *, phone: str | None = None, identifier: str | None = None,
        method: InputMethod = InputMethod.MANUAL, medium: Medium = Medium.CARD,
    ) -> GuestPanel:  # fmt: skip
        """A new guest, with the card or code that was not known bound to them, in one durable
        unit of work with its ``guest.created`` and ``identifier.bound`` operations. A phone
        another guest has (here, or on the server when it answers) is refused."""
        if phone:
            check = self.phone_check(phone)
            if check.server is not None and not check.local:
                raise GuestExists(
                    f"{check.server.name} already has the phone number {check.phone} on the "
                    "server; find that guest instead.", guest_id=check.server.guest_id,
                    phone=check.phone)  # fmt: skip
        with self._uow() as uow:
            guest = Guest(self._ids.new_id(), name, (phone,) if phone else ())
            for number in guest.phones:
                if uow.guests.by_phone(number):
                    other = uow.guests.by_phone(number)[0]
                    raise GuestExists(
                        f"{other.name} already has the phone number {number}; "
                        "identify that guest instead.", guest_id=other.id, phone=number,
                    )  # fmt: skip
            uow.guests.add(guest)
            uow.outbox.append(GuestCreated(guest_id=guest.id, name=guest.name,
                                           phone=guest.phones[0] if guest.phones else None))
            if identifier is not None:
                bound = Identifier(medium, method, normalise_identifier(method, identifier))
                uow.guests.add_identifier(bound, guest.id)
                uow.outbox.append(IdentifierBound(guest_id=guest.id, medium=medium,
                                                  method=method, value=bound.value))
            panel = self._panel(uow, guest)
            uow.commit()
            return panel

    def panel(self, guest_id: str) -> GuestPanel:
        with self._uow(durable=False) as uow:
            guest = uow.guests.get(guest_id)
            if guest is None:
                raise GuestNotFound(f"There is no guest {guest_id}.", guest_id=guest_id)
            return self._panel(uow, guest)

    def identify(
        self, sales: SaleService, sale_id: str, *, identifier: str | None = None,
        method: InputMethod = InputMethod.MANUAL, phone: str | None = None,
    ) -> tuple[SaleView, GuestPanel]:  # fmt: skip
        """``SaleService.identify_guest`` after the daily identification limit is checked."""
        with self._uow(durable=False) as uow:
            guest = self._find(uow, identifier, method, phone)
            if guest is not None:
                group = uow.groups.get(guest.group_id) if guest.group_id else None
                today = today_limits(uow, guest.id, group, self._clock.now(), sale_id)
                check_identification(_limits(uow, group), today.identifications)
        view = sales.identify_guest(sale_id, identifier=identifier, method=method, phone=phone)
        assert view.guest is not None
        return view, self.panel(view.guest.guest_id)

    def _find(
        self, uow: UnitOfWork, identifier: str | None, method: InputMethod, phone: str | None
    ) -> Guest | None:
        if identifier is not None:
            return uow.guests.by_identifier(normalise_identifier(method, identifier))
        if phone is not None:
            found = uow.guests.by_phone(normalise_phone(phone))
            return found[0] if len(found) == 1 else None
        return None

    def _panel(self, uow: UnitOfWork, guest: Guest) -> GuestPanel:
        group = uow.groups.get(guest.group_id) if guest.group_id else None
        accounts = uow.accounts.for_guest(guest.id)
        bonus = [a for a in accounts if a.kind == "bonus"]
        balance = [a for a in accounts if a.kind == "balance"]
        code = uow.promo.of_guest(guest.id)
        return GuestPanel(
            guest.id, guest.name, tuple(guest.phones),
            GroupView(group.id, group.name, group.discount.bp) if group else None,
            sum(a.total for a in bonus), sum(a.held for a in bonus),
            sum(a.available for a in bonus),
            sum(a.available for a in balance) if balance else None,
            code.code if code else None,
            today_limits(uow, guest.id, group, self._clock.now()),
        )  # fmt: skip


def _summary(uow: UnitOfWork, guest: Guest) -> GuestSummary:
    group = uow.groups.get(guest.group_id) if guest.group_id else None
    return GuestSummary(guest.id, guest.name, tuple(guest.phones), group.name if group else None)
