"""Paying part of a sale with the guest's points, online or offline (DESIGN.md "Holds").

API::

    points = PointsService(uow_factory, clock, ids, payment_service, gateway)
    points.pay_points(sale_id, amount=None)       # -> PaymentResult; None = the most allowed
    points.pay_points(sale_id, amount, offline=True)  # the cashier chose offline explicitly
    points.offline_room(sale_id)                  # -> int kopecks takeable offline now
    points.room(sale_id)                          # -> PointsRoom: online and offline limits

**Online** (the sync gateway reached the server last time): a hold (UUID made here) is queued
as ``hold.placed`` and pushed at once; the till waits up to ``online_wait`` (1.5 s) for the
verdict - the server's available balance is the authority. ``applied``: the points payment is
recorded (closing the sale if it settles it: ``PaymentService.record``, ``sale_closing.py``).
``rejected``: ``PointsRefused`` with the server's reason (``reason``: insufficient_points,
unknown_guest, daily_limit...); a refusal for want of points also names the server's
available balance (``server_available``, read from the verdict's message), which replaces the
till's cached one at once so the guest panel and the next limit match the server, and the
change feed is pulled (``refresh``, best effort) for the rest of the guest's state. No verdict
in time: the hold would be ambiguous, so ``hold.released`` is queued for it at once and
``PointsNotConfirmed`` tells the cashier; trying again then goes offline (the gateway reports
offline after a failed push) or the cashier picks another payment.

**Offline**: accepted against the cached available points minus this till's holds the cache
does not contain yet, and within the guest group's offline allowance (``GuestGroup.
offline_allowance``; the setting ``points.offline_allowance`` for guests without a group; 0
means no points offline). The hold goes out with ``"offline": true``; the server applies it on
replay and records an overdraft if the balance no longer covers it. Hold, payment and (if the
sale is settled) commit + ``sale.closed`` are one unit of work.

**No server** (a till that is not enrolled): the gateway is ``NoServer``, never online, so the
points are taken offline; told to go online (``offline=False``) it refuses with
``PointsNotConfirmed`` and the hold it was about to push is released at once.

The max-redemption cap and daily limits come from ``PaymentService.available_for_points``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, replace

from pos_app.domain.bonus import available_in_refusal
from pos_app.domain.errors import DomainError
from pos_app.domain.money import format_money
from pos_app.domain.sale import PaymentMethod, Sale
from pos_app.services.payments import NoGuest, PaymentResult, PaymentService
from pos_app.services.points_holds import new_hold, offline_room, place_hold, release_hold
from pos_app.services.ports import Clock, IdGenerator, UnitOfWork, UnitOfWorkFactory
from pos_app.services.ports_sync import HoldGateway, OpVerdict
from pos_app.services.sales import SaleNotFound

ONLINE_WAIT = 1.5


class PointsNotAllowed(DomainError):
    code = "points_not_allowed"


class PointsRefused(DomainError):
    code = "points_refused"


class PointsNotConfirmed(DomainError):
    code = "points_not_confirmed"


class PointsOfflineLimit(DomainError):
    code = "points_offline_limit"


class NoServer:
    """The gateway of a till with no server: never online, and no verdict to wait for."""

    def is_online(self) -> bool:
        return False

    def push_now(self, op_id: str, timeout: float) -> OpVerdict | None:
        raise PointsNotConfirmed("This till is not connected to the server.")


NO_SERVER = NoServer()  # stateless


def no_refresh() -> object:
    """The feed pull after a refusal on a till with no server: nothing to pull."""
    return None


@dataclass(frozen=True, slots=True)
class PointsRoom:
    """What the payment screen may offer in points before the cashier types (kopecks).

    ``online``: the server is believed reachable, so ``max_points`` is tried there (the server
    has the last word); ``offline``: what the till may take without it (``max_points`` capped by
    the offline room); ``connected``: the till has a server at all."""

    max_points: int
    max_redemption_bp: int
    offline: int
    online: bool
    connected: bool

    @property
    def now(self) -> int:
        """What may be paid in points now, the way ``pay_points`` will take them."""
        return self.max_points if self.online else self.offline


class PointsService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        ids: IdGenerator,
        payments: PaymentService,
        gateway: HoldGateway = NO_SERVER,
        *,
        online_wait: float = ONLINE_WAIT,
        refresh: Callable[[], object] = no_refresh,
    ) -> None:
        self._uow = uow_factory
        self._refresh = refresh
        self._clock = clock
        self._ids = ids
        self._payments = payments
        self._gateway = gateway
        self._wait = online_wait

    def pay_points(
        self, sale_id: str, amount: int | None = None, *, offline: bool | None = None
    ) -> PaymentResult:
        """Take ``amount`` points (kopecks) for the sale; ``offline`` forces the mode."""
        allowed = self._payments.available_for_points(sale_id)  # raises NoGuest
        amount = allowed.max_points if amount is None else amount
        if amount <= 0 or amount > allowed.max_points:
            raise PointsNotAllowed(
                f"At most {format_money(allowed.max_points)} can be paid with points now; "
                f"{format_money(max(amount, 0))} cannot.",
                amount=amount, max_points=allowed.max_points,
            )  # fmt: skip
        online = self._gateway.is_online() if offline is None else not offline
        if online:
            return self._online(sale_id, amount)
        return self._offline(sale_id, amount)

    def offline_room(self, sale_id: str) -> int:
        with self._uow(durable=False) as uow:
            return offline_room(uow, _guest_id(_load(uow, sale_id)))

    def room(self, sale_id: str) -> PointsRoom:
        """The points limits online and offline for the sale's guest (raises ``NoGuest``)."""
        allowed = self._payments.available_for_points(sale_id)
        offline = min(self.offline_room(sale_id), allowed.max_points)
        connected = not isinstance(self._gateway, NoServer)
        online = connected and self._gateway.is_online()
        return PointsRoom(allowed.max_points, allowed.max_redemption_bp, offline, online,
                          connected)  # fmt: skip

    def _online(self, sale_id: str, amount: int) -> PaymentResult:
        with self._uow() as uow:
            guest_id = _guest_id(_load(uow, sale_id))
            hold = new_hold(self._ids.new_id(), guest_id, amount, sale_id, self._clock.now(),
                            offline=False)  # fmt: skip
            entry = place_hold(uow, hold)
            uow.commit()
        try:
            verdict = self._gateway.push_now(entry.op_id, self._wait)
        except Exception:  # no answer at all (no server): the hold must not stay open
            self._release(hold.hold_id)
            raise
        if verdict is None:
            self._release(hold.hold_id)
            raise PointsNotConfirmed(
                "The server did not confirm the points in time, so none were taken. "
                "Try again (the till takes them offline if it may) or take another payment.",
                hold_id=hold.hold_id,
            )
        if verdict.status != "applied":
            raise self._refused(guest_id, verdict, hold.hold_id)
        try:
            with self._uow() as uow:
                sale = _load(uow, sale_id)
                return self._record(uow, sale, amount, hold.hold_id)
        except Exception:
            self._release(hold.hold_id)  # the payment failed: the server's hold must end
            raise

    def _offline(self, sale_id: str, amount: int) -> PaymentResult:
        with self._uow() as uow:
            sale = _load(uow, sale_id)
            guest_id = _guest_id(sale)
            room = offline_room(uow, guest_id)
            if amount > room:
                raise PointsOfflineLimit(
                    f"Without the server at most {format_money(room)} can be paid with "
                    f"points for this guest; {format_money(amount)} cannot.",
                    room=room, amount=amount,
                )  # fmt: skip
            hold = new_hold(self._ids.new_id(), guest_id, amount, sale_id, self._clock.now(),
                            offline=True)  # fmt: skip
            place_hold(uow, hold)
            return self._record(uow, sale, amount, hold.hold_id)

    def _record(self, uow: UnitOfWork, sale: Sale, amount: int, hold_id: str) -> PaymentResult:
        sale.pay(PaymentMethod.POINTS, amount, self._clock.now(), hold_id=hold_id)
        hold = uow.sync.get_hold(hold_id)
        assert hold is not None
        uow.sync.save_hold(replace(hold, committed_amount=amount))  # paid: commit it at close
        return self._payments.record(uow, sale, "points", amount, 0)  # closes if settled

    def _refused(self, guest_id: str, verdict: OpVerdict, hold_id: str) -> PointsRefused:
        """The server said no: its balance (when it named one) replaces the cached snapshot,
        the feed is pulled, and the error says why in the server's terms."""
        server_available = None
        if verdict.reason == "insufficient_points":
            server_available = available_in_refusal(verdict.message)
        if server_available is not None:
            self._adopt_server_balance(guest_id, server_available)
        with contextlib.suppress(Exception):  # the refusal stands; the next pull brings it
            self._refresh()
        return PointsRefused(
            f"The server refused the points: {verdict.message or verdict.reason}",
            reason=verdict.reason or "", hold_id=hold_id, guest_id=guest_id,
            server_available=server_available,
        )  # fmt: skip

    def _adopt_server_balance(self, guest_id: str, available: int) -> None:
        """The cached bonus snapshot says what the server just said is available (its held
        part kept): the one account of a guest; with none or several it is left to the feed."""
        with self._uow() as uow:
            bonus = [a for a in uow.accounts.for_guest(guest_id) if a.kind == "bonus"]
            if len(bonus) != 1 or bonus[0].available == available:
                return
            account = bonus[0]
            uow.accounts.set_snapshot(account.account_id, guest_id, "bonus",
                                      total=available + account.held, held=account.held,
                                      at=self._clock.now())  # fmt: skip
            uow.commit()

    def _release(self, hold_id: str) -> None:
        with self._uow() as uow:
            hold = uow.sync.get_hold(hold_id)
            if hold is not None:
                release_hold(uow, hold)
                uow.commit()


def _load(uow: UnitOfWork, sale_id: str) -> Sale:
    sale = uow.sales.get(sale_id)
    if sale is None:
        raise SaleNotFound(f"There is no sale {sale_id}.", sale_id=sale_id)
    return sale


def _guest_id(sale: Sale) -> str:
    if sale.guest is None:
        raise NoGuest("Identify the guest first to pay with points.")
    return sale.guest.guest_id
