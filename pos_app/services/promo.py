"""Promo codes and referral cashback at the till (seed 003).

API (plain frozen results; ``DomainError`` subclasses with cashier-readable messages)::

    promo = PromoService(uow_factory, clock, ids)
    quote = promo.check_code(sale_id, "6502")   # -> PromoQuote: discount and amount to pay
    quote = promo.apply_code(sale_id, "6502")   # -> PromoQuote with the sale repriced
    promo.remove_code(sale_id)                  # -> SaleView
    # closing the sale runs ``redeem_on_close`` (a step of ``sale_closing.close_sale``)
    promo.outcome(sale_id)                      # -> PromoOutcome after payment: cashback
                                                #    estimate, the buyer's own code
    promo.upsert_from_feed(data)                # ``promo_code`` entity from the change feed
    card = promo.issue_card("8 912 000-00-01", name="Анна")  # -> IssuedCard: the «Client»
                                                #    action, a card by phone without a sale

The cashier types the digits after the prefix (or the whole code, any case). A code is known
to the till from the change feed or because this till issued it; a guest's own code is refused.
The discount is the program's percentage of the order total after the group discount, as an
``OrderDiscount`` on the sale (12 500 ₽ at 15 % -> 1 875 ₽ off, 10 625 ₽ to pay).

When the sale closes (same unit of work, ``sale_closing.close_sale`` with the generator of
digits its caller was built with: ``promo_digits`` of ``PaymentService`` / ``SaleService``) two
operations are queued: ``promo.redeemed`` (the server credits the owner's cashback, the
program's % of what the buyer paid in money) and, when the buyer is an identified guest without
a code yet, ``promo.issued`` with the buyer's own new code (a phone that already has a code
keeps it), and ``identifier.bound``: the code is also the guest's card, so its QR identifies
them.

Program settings: ``promo.program`` = ``{"prefix", "discount_bp", "cashback_bp", "digits"}``
(default ``PROMO``, 15 %, 5 %, 6 digits). The server sends the messages (owner: cashback
credited; buyer: the new card) from these operations; whether the buyer is subscribed to the
messenger, and their one-time subscription link, come from the server
(``services/subscription.py``): the till never builds a link itself.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pos_app.domain.errors import DomainError
from pos_app.domain.guests import Guest
from pos_app.domain.identifiers import Identifier, InputMethod, Medium
from pos_app.domain.money import Percent
from pos_app.domain.operations import GuestCreated, IdentifierBound, PromoIssued, PromoRedeemed
from pos_app.domain.phones import normalise_phone
from pos_app.domain.promo import (
    MAX_ISSUE_ATTEMPTS,
    PromoCodeSpaceExhausted,
    ReferralProgram,
    UnknownPromoCode,
    cashback_for,
    issue_code,
    make_code,
    parse_typed_code,
    quote_referral,
)
from pos_app.domain.sale import OrderDiscount, Sale
from pos_app.services.dto import SaleView
from pos_app.services.money_parts import money_paid
from pos_app.services.ports import Clock, IdGenerator, UnitOfWork, UnitOfWorkFactory
from pos_app.services.ports_till import PromoCodeRecord, SalePromo
from pos_app.services.sale_errors import SaleNotFound

PROGRAM_KEY = "promo.program"
DEFAULT_PROGRAM: Mapping[str, Any] = {"prefix": "PROMO", "discount_bp": 1500,
                                      "cashback_bp": 500, "digits": 6}  # fmt: skip
REASON_PREFIX = "promo:"


class OrderDiscountGiven(DomainError):
    code = "order_discount_given"


@dataclass(frozen=True, slots=True)
class PromoQuote:
    code: str
    owner_guest_id: str
    owner_name: str
    discount_bp: int
    order_total: int  # before the promo discount
    discount: int
    to_pay: int
    sale: SaleView


@dataclass(frozen=True, slots=True)
class PromoOutcome:
    code: str
    owner_guest_id: str
    cashback_estimate: int  # the server posts the real one
    buyer_guest_id: str | None
    buyer_code: str | None  # the buyer's own card/code (new or the one they had)


def program(uow: UnitOfWork) -> tuple[str, ReferralProgram, int]:
    data = {**DEFAULT_PROGRAM, **(uow.settings.get(PROGRAM_KEY) or {})}
    referral = ReferralProgram(Percent(int(data["discount_bp"])), Percent(int(data["cashback_bp"])))
    return str(data["prefix"]), referral, int(data["digits"])


Digits = Callable[[int], Callable[[], str]]  # the code length -> a generator of digit strings


def random_digits(count: int) -> Callable[[], str]:
    return lambda: "".join(secrets.choice("0123456789") for _ in range(count))


@dataclass(frozen=True, slots=True)
class IssuedCard:
    guest_id: str
    name: str
    phone: str
    code: str
    new_guest: bool  # the phone was not known: a guest was created for it
    resent: bool  # the phone already had this code: the same card is sent again


class PromoService:
    def __init__(
        self, uow_factory: UnitOfWorkFactory, clock: Clock, ids: IdGenerator,
        digits: Digits = random_digits,
    ) -> None:  # fmt: skip
        self._uow = uow_factory
        self._clock = clock
        self._ids = ids
        self._digits = digits

    def issue_card(self, phone: str, *, name: str = "") -> IssuedCard:
        """Seed 003's «Client» tab: give the guest with this phone their card (promo code),
        creating the guest if the phone is new; a phone that has a code gets the same code
        again (``promo.issued`` once more: the server sends the same card again). One durable
        unit of work: works offline, reaches the server through the outbox."""
        number = normalise_phone(phone)
        with self._uow() as uow:
            same = uow.promo.by_phone(number)
            if same is not None:  # the phone has its card: the same one is sent again
                owner = uow.guests.get(same.guest_id)
                uow.outbox.append(PromoIssued(code=same.code, guest_id=same.guest_id,
                                              phone=number))  # fmt: skip
                uow.commit()
                return IssuedCard(same.guest_id, owner.name if owner else name, number,
                                  same.code, new_guest=False, resent=True)  # fmt: skip
            known = uow.guests.by_phone(number)
            guest = known[0] if known else Guest(self._ids.new_id(), name.strip() or number,
                                                 (number,))  # fmt: skip
            if not known:
                uow.guests.add(guest)
                uow.outbox.append(GuestCreated(guest_id=guest.id, name=guest.name,
                                               phone=number))  # fmt: skip
            resent = uow.promo.of_guest(guest.id) is not None
            if resent:  # a code of this guest without the phone on it: sent again
                own = uow.promo.of_guest(guest.id)
                assert own is not None
                uow.outbox.append(PromoIssued(code=own.code, guest_id=guest.id, phone=own.phone))
            else:
                _issue(uow, guest.id, self._digits)
            record = uow.promo.of_guest(guest.id)
            assert record is not None
            uow.commit()
            return IssuedCard(
                guest.id, guest.name, number, record.code, new_guest=not known, resent=resent
            )

    def check_code(self, sale_id: str, typed: str) -> PromoQuote:
        """What applying the code would do; the sale is not changed."""
        with self._uow(durable=False) as uow:
            sale = _load(uow, sale_id).copy()
            return self._quote(uow, sale, typed)

    def apply_code(self, sale_id: str, typed: str) -> PromoQuote:
        with self._uow(durable=False) as uow:
            sale = _load(uow, sale_id)
            quote = self._quote(uow, sale, typed)
            uow.sales.save(sale)
            _, referral, _ = program(uow)
            uow.promo.set_sale_promo(SalePromo(sale.id, quote.code, quote.owner_guest_id,
                                               referral.discount.bp, referral.cashback.bp))
            uow.commit()
            return quote

    def remove_code(self, sale_id: str) -> SaleView:
        with self._uow(durable=False) as uow:
            sale = _load(uow, sale_id)
            sale.set_order_discount(None)
            uow.sales.save(sale)
            uow.promo.drop_sale_promo(sale_id)
            uow.commit()
            return SaleView.of(sale)

    def _quote(self, uow: UnitOfWork, sale: Sale, typed: str) -> PromoQuote:
        """Reprice ``sale`` with the code's discount and say what it did."""
        prefix, referral, _ = program(uow)
        code = parse_typed_code(prefix, typed)
        record = uow.promo.by_code(code)
        if record is None:
            raise UnknownPromoCode(
                f"Promo code {code} is not known at this till; check the digits "
                "(a code issued a moment ago elsewhere arrives with the next sync).",
                promo_code=code,
            )  # fmt: skip
        buyer = sale.guest.guest_id if sale.guest else None
        given = sale.order_discount
        if given is not None and not given.reason.startswith(REASON_PREFIX):
            raise OrderDiscountGiven("The order already has a discount given by hand; remove "
                                     "it to use a promo code.", reason=given.reason)
        sale.set_order_discount(None)
        quote = quote_referral(sale.total, referral, record.guest_id, buyer)
        sale.set_order_discount(OrderDiscount(referral.discount, REASON_PREFIX + code))
        assert sale.total == quote.to_pay  # one pricing rule for the quote and the sale
        owner = uow.guests.get(record.guest_id)
        return PromoQuote(code, record.guest_id, owner.name if owner else "",
                          referral.discount.bp, quote.order_total, quote.discount,
                          quote.to_pay, SaleView.of(sale))  # fmt: skip

    def outcome(self, sale_id: str) -> PromoOutcome | None:
        with self._uow(durable=False) as uow:
            sale = _load(uow, sale_id)
            promo = uow.promo.sale_promo(sale_id)
            if promo is None:
                return None
            paid = money_paid([(p.method.value, p.amount) for p in sale.payments])
            buyer = sale.guest.guest_id if sale.guest else None
            own = uow.promo.of_guest(buyer) if buyer else None
            return PromoOutcome(promo.code, promo.owner_guest_id,
                                Percent(promo.cashback_bp).apply(paid), buyer,
                                own.code if own else None)  # fmt: skip

    def upsert_from_feed(self, data: Mapping[str, Any]) -> None:
        """A ``promo_code`` change: ``{"code", "guest_id", "phone"}``."""
        with self._uow(durable=False) as uow:
            uow.promo.add_code(promo_code_from_feed(data))
            uow.commit()


def promo_code_from_feed(data: Mapping[str, Any]) -> PromoCodeRecord:
    """A ``promo_code`` change as the till stores it (``services/feed.py`` applies the feed's);
    a change without a code or an owner is refused (``ValueError``), not stored half."""
    code = str(data["code"]).strip().upper()
    guest_id, phone = str(data["guest_id"]), data.get("phone")
    if not code or not guest_id:
        raise ValueError("a promo_code change needs a code and its owner")
    return PromoCodeRecord(code, guest_id, str(phone) if phone else None)


def redeem_on_close(uow: UnitOfWork, sale: Sale, digits: Digits) -> None:
    """A step of ``sale_closing.close_sale``, after ``sale.closed``: a promo code on the sale
    queues ``promo.redeemed`` and issues the buyer their own code (made by ``digits``)."""
    promo = uow.promo.sale_promo(sale.id)
    if promo is None or sale.order_discount is None:
        return
    paid = money_paid([(p.method.value, p.amount) for p in sale.payments])
    cashback = cashback_for(paid, ReferralProgram(Percent(promo.discount_bp),
                                                  Percent(promo.cashback_bp)))
    buyer = sale.guest.guest_id if sale.guest else None
    uow.outbox.append(PromoRedeemed(
        sale_id=sale.id, code=promo.code, owner_guest_id=promo.owner_guest_id,
        buyer_guest_id=buyer, paid_in_money=paid, discount=sale.totals.discount,
        cashback_bp=promo.cashback_bp, cashback=cashback,
    ))  # fmt: skip
    if buyer is not None:
        _issue(uow, buyer, digits)


def _issue(uow: UnitOfWork, guest_id: str, digits: Digits) -> None:
    if uow.promo.of_guest(guest_id) is not None:
        return
    guest = uow.guests.get(guest_id)
    phone = guest.phones[0] if guest and guest.phones else None
    if phone is not None and (same := uow.promo.by_phone(phone)) is not None:
        uow.promo.add_code(PromoCodeRecord(same.code, guest_id, phone))
        return
    prefix, _, count = program(uow)
    generate, taken = digits(count), _Taken(uow)
    if phone is not None:
        code = issue_code(prefix, phone, {}, taken, generate)
    else:  # a guest without a phone still gets a card
        code = _free_code(prefix, taken, generate)
    uow.promo.add_code(PromoCodeRecord(code, guest_id, phone))
    uow.outbox.append(PromoIssued(code=code, guest_id=guest_id, phone=phone))
    # the code is the guest's card too: its QR (or the code typed) identifies them at a till
    card = Identifier(Medium.CARD, InputMethod.BARCODE, code)
    uow.guests.add_identifier(card, guest_id)
    uow.outbox.append(IdentifierBound(guest_id=guest_id, medium=card.medium,
                                      method=card.method, value=card.value))


def _free_code(prefix: str, taken: _Taken, generate: Callable[[], str]) -> str:
    for _ in range(MAX_ISSUE_ATTEMPTS):
        code = make_code(prefix, generate())
        if code not in taken:
            return code
    raise PromoCodeSpaceExhausted(
        "Could not find a free promo code; make the codes longer in the settings.",
        attempts=MAX_ISSUE_ATTEMPTS,
    )


class _Taken:
    """``code in taken`` asks the store (codes from the feed and the ones issued here)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and self._uow.promo.code_taken(code)


def _load(uow: UnitOfWork, sale_id: str) -> Sale:
    sale = uow.sales.get(sale_id)
    if sale is None:
        raise SaleNotFound(f"There is no sale {sale_id}.", sale_id=sale_id)
    return sale
