"""The shop's pages (``shop.py`` does the work): the menu and basket, the basket's add and
remove, placing the order, and the order's own page that follows its state.

Forms work without script (POST, then a redirect back); with htmx the add and remove buttons
swap only the basket (``shop_basket.html``) and the search only the menu. The order page
asks for its state part (``/cabinet/orders/{id}/live``) every 3 s while the order is open
(docs/cabinet.md says why polling, not a stream); without script it reloads itself.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from pos_server.cabinet_web import shop
from pos_server.cabinet_web.context import (
    ACTOR,
    PREFIX,
    Reader,
    engine_of,
    form_of,
    now_of,
    render,
    signed_in,
    text,
)
from pos_server.uow import unit_of_work

router = APIRouter(prefix=PREFIX, include_in_schema=False)
SHOP = f"{PREFIX}/shop"
POLL_SECONDS = 3


def _htmx(request: Request) -> bool:
    return bool(request.headers.get("hx-request"))


def _refusal(who: Reader, error: shop.ShopRefused) -> str:
    return who.gettext(error.message).format(**error.values)


def _shop_page(request: Request, who: Reader, status: int = 200, q: str = "",
               template: str = "cabinet/shop.html", **context: Any) -> Response:  # fmt: skip
    with unit_of_work(engine_of(request), actor=ACTOR, now=now_of(request)) as uow:
        view = shop.shop(uow, who.me, q)
    context.setdefault("form", {})
    page: Response = render(request, who, template, status, shop=view, q=q,
                            order_token=uuid.uuid4().hex, **context)  # fmt: skip
    return page


@router.get("/shop")
def shop_page(request: Request, who: Annotated[Reader, Depends(signed_in)]) -> Response:
    q = request.query_params.get("q", "")[:100]
    # htmx's search asks for the menu alone (hx-target), a plain GET for the whole page
    partial = _htmx(request) and request.headers.get("hx-target") == "menu"
    return _shop_page(
        request, who, q=q, template="cabinet/shop_menu.html" if partial else "cabinet/shop.html"
    )


def _basket_answer(request: Request, who: Reader, status: int = 200,
                   error: str | None = None) -> Response:  # fmt: skip
    """htmx: the basket part; without script: back to the shop (the error shown there)."""
    if _htmx(request):
        with unit_of_work(engine_of(request), actor=ACTOR, now=now_of(request)) as uow:
            view = shop.shop(uow, who.me, whole=False)
        page: Response = render(request, who, "cabinet/shop_basket.html", status, shop=view,
                                order_token=uuid.uuid4().hex, form={},
                                basket_error=error, oob=True)  # fmt: skip
        return page
    if error is not None:
        return _shop_page(request, who, status, error=error)
    return RedirectResponse(f"{SHOP}#basket", 303)


async def _change(request: Request, who: Reader, form: FormData, by: int) -> Response:
    product_id, in_points = text(form, "product_id", 64), text(form, "in_points", 5) == "1"

    def change() -> None:
        with unit_of_work(engine_of(request), actor=ACTOR, now=now_of(request)) as uow:
            shop.change_basket(uow, who.me, product_id, in_points, by)

    try:
        await run_in_threadpool(change)
    except shop.ShopRefused as error:
        return await run_in_threadpool(_basket_answer, request, who, error.status,
                                       _refusal(who, error))  # fmt: skip
    return await run_in_threadpool(_basket_answer, request, who)


@router.post("/shop/add")
async def add(
    request: Request, signed: Annotated[tuple[Reader, FormData], Depends(form_of)]
) -> Response:
    return await _change(request, *signed, by=1)


@router.post("/shop/remove")
async def remove(
    request: Request, signed: Annotated[tuple[Reader, FormData], Depends(form_of)]
) -> Response:
    return await _change(request, *signed, by=-1)


@router.post("/shop/order")
async def place(
    request: Request, signed: Annotated[tuple[Reader, FormData], Depends(form_of)]
) -> Response:
    who, form = signed
    token = text(form, "order_token", 64)
    values = {"method": text(form, "method", 16), "note": text(form, "note", shop.NOTE_LIMIT),
              "ready_by": text(form, "ready_by", 8)}  # fmt: skip

    def attempt() -> str:
        with unit_of_work(engine_of(request), actor=ACTOR, now=now_of(request)) as uow:
            return shop.place(uow, who.me, token, **values)

    def placed_meanwhile() -> bool:
        """A twin submit of the same form committed first: its order is the answer."""
        with unit_of_work(engine_of(request), actor=ACTOR, now=now_of(request)) as uow:
            return uow.cabinet_shop.own_order(who.me, token) is not None

    try:
        order_id = await run_in_threadpool(attempt)
    except shop.ShopRefused as error:
        return await run_in_threadpool(_shop_page, request, who, error.status,
                                       error=_refusal(who, error), form=values)  # fmt: skip
    except IntegrityError:
        if not shop.valid_token(token) or not await run_in_threadpool(placed_meanwhile):
            raise
        order_id = token
    return RedirectResponse(f"{PREFIX}/orders/{order_id}", 303)


def _order(request: Request, who: Reader, order_id: str) -> shop.OrderView | None:
    with unit_of_work(engine_of(request), actor=ACTOR, now=now_of(request)) as uow:
        return shop.order_view(uow, who.me, order_id)


def _not_found(request: Request, who: Reader) -> Response:
    page: Response = render(request, who, "web/refused.html", 404,
                            title=who.gettext("Not found"),
                            message=who.gettext("There is no such order."),
                            back=SHOP)  # fmt: skip
    return page


@router.get("/orders/{order_id}")
def order_page(order_id: str, request: Request,
               who: Annotated[Reader, Depends(signed_in)]) -> Response:  # fmt: skip
    order = _order(request, who, order_id)
    if order is None:
        return _not_found(request, who)
    page: Response = render(request, who, "cabinet/order.html", order=order, poll=POLL_SECONDS)
    return page


@router.get("/orders/{order_id}/live")
def order_live(order_id: str, request: Request,
               who: Annotated[Reader, Depends(signed_in)]) -> Response:  # fmt: skip
    """The state part of the order page, which htmx asks for every few seconds."""
    order = _order(request, who, order_id)
    if order is None:
        return _not_found(request, who)
    page: Response = render(request, who, "cabinet/order_live.html", order=order,
                            poll=POLL_SECONDS, headers={"Cache-Control": "no-store"})  # fmt: skip
    return page
