"""Plug the back office and the web stack's static files into the server's app."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.staticfiles import StaticFiles

from pos_server.admin_web import (
    audit_pages,
    catalogue_forms,
    catalogue_pages,
    group_pages,
    guest_pages,
    new_guest_pages,
    notification_pages,
    report_pages,
    session_pages,
    settings_pages,
    staff_pages,
    terminal_pages,
)
from pos_server.admin_web.context import Reader, Refused, SignInNeeded, lang_of, render
from pos_server.web.templating import STATIC_PREFIX


def install(app: FastAPI) -> None:
    app.mount(STATIC_PREFIX, StaticFiles(packages=[("pos_server.web", "static")]),
              name="web-static")  # fmt: skip
    app.include_router(new_guest_pages.router)  # before /admin/guests/{guest_id}
    for module in (session_pages, staff_pages, terminal_pages, group_pages, guest_pages,
                   audit_pages, settings_pages):  # fmt: skip
        app.include_router(module.router)
    app.include_router(catalogue_forms.router)  # groups and products (before: /create/...)
    app.include_router(catalogue_pages.router)  # the tiles' colours and pictures
    app.include_router(notification_pages.router)  # the outbox's waiting and failed messages
    app.include_router(report_pages.router)  # money views and reports
    app.add_exception_handler(SignInNeeded, _sign_in_needed)  # type: ignore[arg-type]
    app.add_exception_handler(Refused, _refused)  # type: ignore[arg-type]


def _sign_in_needed(request: Request, exc: SignInNeeded) -> Response:
    target = f"{session_pages.SIGN_IN}?next={session_pages.safe_next(exc.next_path)}"
    if request.headers.get("hx-request"):  # htmx follows this header, not a 303
        return Response(status_code=200, headers={"HX-Redirect": target})
    return RedirectResponse(target, 303)


def _refused(request: Request, exc: Refused) -> Response:
    who = Reader(lang_of(request))
    response: Response = render(request, who, "web/refused.html", exc.status,
                                title=exc.title, message=exc.message, back="/admin")  # fmt: skip
    return response
