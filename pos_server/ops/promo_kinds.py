"""promo.issued / promo.redeemed: personal promo codes and referral cashback (seed 003).

``promo.issued`` records a guest's code; a phone that already has a code keeps it (the till is
told the code in a conflict and adopts it), a code is never given to two guests. Every code
goes into the change feed as a ``promo_code`` entity so all tills know it.

``promo.redeemed`` posts the code owner's cashback once the sale is on the server: the
cashback is recomputed here from the sale's money payments as the server recorded them (the
till's ``paid_in_money`` must agree) and ``cashback_bp`` by the one rounding
rule (``pos_app.domain.promo.cashback_for``) and credited to the owner's bonus account as a
``credit`` posting referencing the sale. One redemption per sale; the owner cannot be the buyer.

Both write their guest's message into the notification outbox in the same transaction
(``pos_server.notify.messages``): the card with its QR code, "cashback credited".
"""

from __future__ import annotations

from pos_app.domain.errors import DomainError
from pos_app.domain.ledger import PostingKind
from pos_app.domain.money import Percent
from pos_app.domain.operations import PROMO_ISSUED, PROMO_REDEEMED, PromoIssued, PromoRedeemed
from pos_app.domain.phones import normalise_phone
from pos_app.domain.promo import ReferralProgram, cashback_for
from pos_server.notify import messages
from pos_server.ops.kinds import Handler, broken_rule, unknown_guest
from pos_server.ops.verdicts import APPLIED, Verdict, conflict, rejected
from pos_server.repositories.promos import PromoCode, Redemption
from pos_server.uow import UnitOfWork

MONEY_METHODS = ("cash", "card", "balance")


def promo_issued(issued: PromoIssued, uow: UnitOfWork) -> Verdict:
    try:
        phone = normalise_phone(issued.phone) if issued.phone else None
    except DomainError as error:
        return broken_rule(error)
    if not uow.guests.exists(issued.guest_id):
        return unknown_guest(issued.guest_id)
    existing = uow.promos.code(issued.code)
    if existing is not None:
        if existing.guest_id == issued.guest_id:  # issued again: the same card is sent again
            messages.card_issued(uow, issued.guest_id, existing.code, event=uow.op_id)
            return APPLIED
        return rejected("promo_code_taken", f"Promo code {issued.code} belongs to another guest.")
    if phone is not None:
        same = uow.promos.code_of_phone(phone)
        if same is not None:
            return conflict("phone_has_code", f"The phone {phone} already has code {same.code}.",
                            same.state())
    uow.promos.issue(PromoCode(issued.code, issued.guest_id, phone))
    messages.card_issued(uow, issued.guest_id, issued.code, event=uow.op_id)
    return APPLIED


def promo_redeemed(redeemed: PromoRedeemed, uow: UnitOfWork) -> Verdict:
    done = uow.promos.redemption(redeemed.sale_id)
    if done is not None:
        return conflict("already_redeemed", f"Sale {redeemed.sale_id} already paid a cashback.",
                        {"sale_id": done.sale_id, "code": done.code, "cashback": done.cashback})
    code = uow.promos.code(redeemed.code)
    if code is None:
        return rejected("unknown_promo_code", f"Promo code {redeemed.code} is not known.")
    if code.guest_id != redeemed.owner_guest_id:
        return rejected("promo_owner_mismatch",
                        f"Promo code {redeemed.code} belongs to another guest.")
    if redeemed.buyer_guest_id == code.guest_id:
        return rejected("own_promo_code", "A guest cannot apply their own promo code.")
    recorded = uow.sales.paid(redeemed.sale_id)
    if recorded is None:
        return rejected("sale_not_recorded",
                        f"Sale {redeemed.sale_id} is not on the server, so it has no payment.")
    paid = sum(amount for method, amount in recorded.paid.items() if method in MONEY_METHODS)
    if paid != redeemed.paid_in_money:
        return rejected("totals_mismatch", f"The sale was paid {paid} in money, not "
                        f"{redeemed.paid_in_money}.")  # fmt: skip
    program = ReferralProgram(Percent(0), Percent(redeemed.cashback_bp))
    cashback = cashback_for(paid, program)
    if cashback:
        account = uow.accounts.load("points", code.guest_id)
        account.credit(cashback, now=uow.now, actor=f"terminal:{uow.terminal_id}",
                       terminal_id=uow.terminal_id, reason="referral cashback",
                       ref=redeemed.sale_id, kind=PostingKind.CREDIT)  # fmt: skip
        uow.accounts.save(account)
        messages.cashback_credited(uow, redeemed.sale_id, code.guest_id, code.code,
                                   amount=cashback, balance=account.total)  # fmt: skip
    uow.promos.redeem(Redemption(redeemed.sale_id, code.code, code.guest_id,
                                 redeemed.buyer_guest_id, redeemed.paid_in_money, cashback))
    return APPLIED


PROMO_HANDLERS: dict[str, Handler] = {
    PROMO_ISSUED: promo_issued,
    PROMO_REDEEMED: promo_redeemed,
}
