"""Plug the guest cabinet into the server's app (``/cabinet``; its style sheet at
``/cabinet/static``; the web stack's own static files are mounted by the back office)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.staticfiles import StaticFiles

from pos_server.cabinet_web import pages, shop_pages, top_up
from pos_server.cabinet_web.context import PREFIX, Reader, Refused, SignInNeeded, lang_of, render

STATIC = f"{PREFIX}/static"


def install(app: FastAPI) -> None:
    app.mount(STATIC, StaticFiles(packages=[("pos_server.cabinet_web", "static")]),
              name="cabinet-static")  # fmt: skip
    app.include_router(pages.router)
    app.include_router(shop_pages.router)
    app.include_router(top_up.router)
    app.add_exception_handler(SignInNeeded, _sign_in_needed)  # type: ignore[arg-type]
    app.add_exception_handler(Refused, _refused)  # type: ignore[arg-type]


def _sign_in_needed(request: Request, exc: SignInNeeded) -> Response:
    if request.headers.get("hx-request"):
        return Response(status_code=200, headers={"HX-Redirect": pages.SIGN_IN})
    return RedirectResponse(pages.SIGN_IN, 303)


def _refused(request: Request, exc: Refused) -> Response:
    who = Reader(lang_of(request))
    response: Response = render(request, who, "web/refused.html", exc.status, title=exc.title,
                                message=exc.message, back=PREFIX)  # fmt: skip
    return response
