"""The till's use cases, wired to each other in one place (the sale service behind payments
and points, the staff service behind shifts and the holds reset), for every till there is: the
window, the headless till-sim, demo-sale, the benchmarks and the tests::

    till = TillServices.build(store.unit_of_work, clock, ids, acquirer=TcpAcquirer(...))
    till.staff.sign_in("1111"); till.sales.open_sale(); till.payments.pay_card(sale_id)

The composition root (``pos_app.commands.composition``) calls it with the SQLite store and the
real adapters; tests call it with ``tests/services/fakes.py``. What a till may lack is a null
object, the default of its argument, that refuses the same way for every caller: no card
terminal (``NoAcquirer``: ``pay_card`` raises ``NoCardTerminal``), no server (``NoServer``:
points are paid offline; ``NotEnrolled``: the holds reset raises ``NotConnected``, and
``no_feed`` has nothing to pull). Every field of ``TillServices`` is always there.
``promo_digits`` (the buyer's new promo code) is given once here, to both services that can
close a sale; a sale closes through ``sale_closing.close_sale`` whichever service closes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pos_app.services.acquiring import NO_ACQUIRER, Acquirer
from pos_app.services.bonus_override import BonusOverrideService
from pos_app.services.deposits import DepositService
from pos_app.services.guest_cabinet import NO_CABINET_SERVER, CabinetPort, GuestCabinetService
from pos_app.services.guest_card import GuestCardService
from pos_app.services.guest_history import (
    NO_HISTORY_SOURCE,
    GuestHistoryService,
    HistorySource,
)
from pos_app.services.guests import NO_PHONE_OWNERS, GuestService, PhoneOwnerSource
from pos_app.services.hold_reset import NOT_ENROLLED, HoldResetPort, HoldResetService, no_feed
from pos_app.services.overrides import OverrideService
from pos_app.services.payments import PaymentService
from pos_app.services.points import NO_SERVER, PointsService, no_refresh
from pos_app.services.ports import Clock, IdGenerator, UnitOfWorkFactory
from pos_app.services.ports_sync import HoldGateway
from pos_app.services.promo import Digits, PromoService, random_digits
from pos_app.services.refunds import RefundService
from pos_app.services.sales import SaleService
from pos_app.services.shifts import OrderDebts, ShiftService, no_order_debts
from pos_app.services.staff import StaffService
from pos_app.services.subscription import NO_LINK_SOURCE, LinkSource, SubscriptionService
from pos_app.services.sync_queue import SyncQueue


@dataclass(frozen=True, slots=True)
class TillServices:
    """Every use case of one till on one store; none of them is ever missing."""

    sales: SaleService
    staff: StaffService
    guests: GuestService
    payments: PaymentService
    shifts: ShiftService
    promo: PromoService
    overrides: OverrideService
    refunds: RefundService
    points: PointsService
    reconciliation: SyncQueue  # what the server did not accept
    bonus: BonusOverrideService
    hold_reset: HoldResetService
    guest_card: GuestCardService  # the guest card: fields, contacts, cards, accounts
    guest_history: GuestHistoryService  # its History tab: the server's pages, kept offline
    subscriptions: SubscriptionService  # the guest's messenger link (seed 003), from the server
    deposits: DepositService  # deposit top-ups by cash or card, a manager's refund
    guest_cabinet: GuestCabinetService  # its Cabinet tab: login and password on the server

    @classmethod
    def build(
        cls, uow: UnitOfWorkFactory, clock: Clock, ids: IdGenerator, *,
        acquirer: Acquirer = NO_ACQUIRER, points_gateway: HoldGateway = NO_SERVER,
        hold_reset_port: HoldResetPort = NOT_ENROLLED,
        after_hold_reset: Callable[[], object] = no_feed,
        after_points_refused: Callable[[], object] = no_refresh,
        promo_digits: Digits = random_digits,
        history_source: HistorySource = NO_HISTORY_SOURCE,
        link_source: LinkSource = NO_LINK_SOURCE, wake_sync: Callable[[], object] = no_feed,
        order_debts: OrderDebts = no_order_debts,
        phone_owners: PhoneOwnerSource = NO_PHONE_OWNERS,
        cabinet_port: CabinetPort = NO_CABINET_SERVER,
    ) -> TillServices:  # fmt: skip
        """The whole set; the keyword arguments are the till's adapters, each by default the
        null object of a till without it."""
        sales = SaleService(uow, clock, ids, promo_digits=promo_digits)
        staff = StaffService(uow, clock)
        payments = PaymentService(uow, clock, ids, sales, acquirer=acquirer,
                                  promo_digits=promo_digits)  # fmt: skip
        return cls(
            sales=sales, staff=staff, guests=GuestService(uow, clock, ids, phone_owners),
            payments=payments, shifts=ShiftService(uow, clock, ids, staff, order_debts),
            promo=PromoService(uow, clock, ids, promo_digits),
            overrides=OverrideService(uow), refunds=RefundService(uow, clock, ids, acquirer),
            points=PointsService(uow, clock, ids, payments, points_gateway,
                                 refresh=after_points_refused),
            reconciliation=SyncQueue(uow, clock), bonus=BonusOverrideService(uow),
            hold_reset=HoldResetService(staff, hold_reset_port, refresh=after_hold_reset),
            guest_card=GuestCardService(uow, clock, ids),
            guest_history=GuestHistoryService(uow, clock, history_source),
            subscriptions=SubscriptionService(link_source, wake=wake_sync),
            deposits=DepositService(uow, clock, ids, acquirer=acquirer),
            guest_cabinet=GuestCabinetService(cabinet_port),
        )  # fmt: skip
