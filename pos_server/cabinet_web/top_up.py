"""The cabinet's card top-up pages and YooKassa's notification endpoint (issue 19 point 5).

- ``GET /cabinet/top-up``: the amount form (or "card top-up is not available" when no shop is
  configured) and the guest's last top-ups;
- ``POST /cabinet/top-up``: records the top-up, makes the payment, sends the guest on
  (``/top-up/{id}/pay``) to the bank's confirmation page;
- ``GET /cabinet/top-up/{id}``: YooKassa's return URL: waiting for the bank, credited or
  failed; while waiting, htmx asks ``/status`` every 2 s, which asks YooKassa;
- ``POST /cabinet/payments/yookassa``: the notification (server to server: no session, no
  CSRF; its body only names a payment, which is read back from the API before anything).
"""

from __future__ import annotations

import json
import logging
import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from pos_app.domain.money import format_money
from pos_server.cabinet_web.context import (
    ACTOR,
    PREFIX,
    Reader,
    engine_of,
    form_of,
    now_of,
    render,
    settings_of,
    signed_in,
    source_of,
    text,
)
from pos_server.payments import card_top_up
from pos_server.payments.card_top_up import PENDING, TopUpRefused
from pos_server.payments.settings import PaymentSettings, payment_settings
from pos_server.payments.yookassa import (
    ProviderError,
    YooKassa,
    from_yookassa,
    notified_payment_id,
)
from pos_server.programme.service import current
from pos_server.uow import unit_of_work

log = logging.getLogger(__name__)
router = APIRouter(prefix=PREFIX, include_in_schema=False)
TOP_UP = f"{PREFIX}/top-up"
WEBHOOK = f"{PREFIX}/payments/yookassa"
_MAKING = threading.Lock()


def gateway_of(request: Request) -> YooKassa | None:
    """The app's YooKassa client, made on first use; None when card top-up is off."""
    settings = payment_settings()
    if not settings.card_on:
        return None
    with _MAKING:  # one client per app, whichever request comes first
        found: YooKassa | None = getattr(request.app.state, "yookassa", None)
        if found is None:
            found = make_gateway(settings)
            request.app.state.yookassa = found
    return found


def make_gateway(settings: PaymentSettings) -> YooKassa:
    assert settings.yookassa_secret_key is not None
    return YooKassa(settings.yookassa_api_base, settings.yookassa_shop_id,
                    settings.yookassa_secret_key.get_secret_value())  # fmt: skip


def _refusal(who: Reader, refused: TopUpRefused) -> str:
    if refused.code == "range":
        return who.gettext("The amount must be from {low} to {high}.").format(
            low=format_money(refused.low), high=format_money(refused.high))  # fmt: skip
    return who.gettext("Enter the amount in roubles, for example 500 or 500,50.")


def _return_url(request: Request) -> Any:
    """Where the bank sends the guest back: the configured public URL when set (the same
    rule as the SMS links), else the address the guest reached us by."""
    public = settings_of(request).public_url
    base = public.rstrip("/") if public else str(request.base_url).rstrip("/")
    return lambda top_up_id: f"{base}{TOP_UP}/{top_up_id}"


def _page(request: Request, who: Reader, status: int = 200, **context: Any) -> Response:
    settings = payment_settings()
    context.setdefault("amount", "")
    with unit_of_work(engine_of(request), actor=ACTOR, now=now_of(request)) as uow:
        recent = uow.card_top_ups.recent(who.me)
        zone = current(uow).venue.zone
    page: Response = render(request, who, "cabinet/top_up.html", status, recent=recent, zone=zone,
                            available=settings.card_on, low=settings.card_top_up_min,
                            high=settings.card_top_up_max, **context)  # fmt: skip
    return page


@router.get("/top-up")
def top_up_page(request: Request, who: Annotated[Reader, Depends(signed_in)]) -> Response:
    return _page(request, who)


@router.post("/top-up")
async def top_up(
    request: Request, signed: Annotated[tuple[Reader, FormData], Depends(form_of)]
) -> Response:
    who, form = signed
    settings, gateway = payment_settings(), gateway_of(request)
    typed = text(form, "amount", 20)
    if gateway is None:
        refusal = who.gettext("Card top-up is not available.")
        return await run_in_threadpool(_page, request, who, 409, amount=typed, error=refusal)
    try:
        amount = card_top_up.check_amount(typed, settings.card_top_up_min,
                                          settings.card_top_up_max)  # fmt: skip
    except TopUpRefused as refused:
        refusal = _refusal(who, refused)
        return await run_in_threadpool(_page, request, who, 400, amount=typed, error=refusal)
    started = await run_in_threadpool(
        card_top_up.start, engine_of(request), gateway, who.me, amount, now=now_of(request),
        return_url=_return_url(request), description=who.gettext("Deposit top-up"))  # fmt: skip
    if started.confirmation_url is None:
        return RedirectResponse(f"{TOP_UP}/{started.top_up_id}", 303)
    return RedirectResponse(f"{TOP_UP}/{started.top_up_id}/pay", 303)


@router.get("/top-up/{top_up_id}/pay")
def to_the_bank(top_up_id: str, request: Request,
                who: Annotated[Reader, Depends(signed_in)]) -> Response:  # fmt: skip
    """On to the bank's confirmation page by a refresh, not a redirect of the form's POST: the
    pages' CSP (``form-action 'self'``) stops a form's redirect to another site, and the
    bank's address is whatever YooKassa answered."""
    with unit_of_work(engine_of(request), actor=ACTOR, now=now_of(request)) as uow:
        row = uow.card_top_ups.of_guest(who.me, top_up_id[:36])
    if row is None:
        return Response(status_code=404)
    if row.status != PENDING or not row.confirmation_url:
        return RedirectResponse(f"{TOP_UP}/{row.id}", 303)
    page: Response = render(request, who, "cabinet/top_up_pay.html", top_up=row,
                            headers={"Cache-Control": "no-store"})  # fmt: skip
    return page


def _status(request: Request, who: Reader, top_up_id: str, ask: bool) -> Response:
    """The top-up's page (or its status fragment): the guest's own top-up only (404)."""
    with unit_of_work(engine_of(request), actor=ACTOR, now=now_of(request)) as uow:
        row = uow.card_top_ups.of_guest(who.me, top_up_id)
    if row is None:
        return Response(status_code=404)
    gateway = gateway_of(request)
    if ask and row.status == PENDING and gateway is not None:
        try:
            card_top_up.confirm(engine_of(request), gateway, row.id, now_of(request))
        except ProviderError as error:
            log.warning("card top-up %s: status not asked: %s", row.id, error)
        with unit_of_work(engine_of(request), actor=ACTOR, now=now_of(request)) as uow:
            row = uow.card_top_ups.of_guest(who.me, top_up_id) or row
    template = "cabinet/top_up_status.html" if ask else "cabinet/top_up_done.html"
    page: Response = render(request, who, template, top_up=row)
    return page


@router.get("/top-up/{top_up_id}")
def top_up_done(top_up_id: str, request: Request,
                who: Annotated[Reader, Depends(signed_in)]) -> Response:  # fmt: skip
    return _status(request, who, top_up_id[:36], ask=False)


@router.get("/top-up/{top_up_id}/status")
def top_up_status(top_up_id: str, request: Request,
                  who: Annotated[Reader, Depends(signed_in)]) -> Response:  # fmt: skip
    return _status(request, who, top_up_id[:36], ask=True)


@router.post("/payments/yookassa")
async def yookassa_webhook(request: Request) -> Response:
    """200 once the payment is settled or is not ours; 503 when YooKassa could not be asked
    back (it repeats a notification not answered 200 for a day)."""
    settings, gateway = payment_settings(), gateway_of(request)
    if gateway is None:
        return Response(status_code=404)
    if settings.yookassa_webhook_ips_only and not from_yookassa(source_of(request)):
        log.warning("a YooKassa notification from %s refused", source_of(request))
        return Response(status_code=403)
    try:
        payment_id = notified_payment_id(json.loads(await request.body()))
    except ValueError:
        payment_id = None
    if payment_id is None:
        return Response(status_code=400)

    def settle() -> int:
        with unit_of_work(engine_of(request), actor=ACTOR, now=now_of(request)) as uow:
            top_up_id = uow.card_top_ups.id_of_payment(payment_id)
        if top_up_id is None:
            return 200  # not a top-up of ours: nothing to do, and nothing to repeat
        try:
            card_top_up.confirm(engine_of(request), gateway, top_up_id, now_of(request))
        except ProviderError as error:
            log.warning("card top-up %s: notified, YooKassa not asked: %s", top_up_id, error)
            return 503
        return 200

    return Response(status_code=await run_in_threadpool(settle))
