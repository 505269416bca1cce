"""Sign-in, sign-out, the language switch and the home page of the back office."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from pos_server.admin_web import signin
from pos_server.admin_web.context import (
    COOKIE,
    PREFIX,
    Reader,
    check_form,
    engine_of,
    lifetimes_of,
    now_of,
    reader,
    render,
    signed_in,
)
from pos_server.uow import unit_of_work
from pos_server.web import csrf, i18n, sessions
from pos_server.web.context import secure

router = APIRouter(prefix=PREFIX, include_in_schema=False)
SIGN_IN = f"{PREFIX}/sign-in"


def safe_next(path: str | None) -> str:
    """Only a page of the back office (never another site: //evil, https://...)."""
    if path and path.startswith(PREFIX) and not path.startswith("//") and "\\" not in path:
        return path
    return PREFIX


def _sign_in_page(request: Request, who: Reader, status: int = 200, **context: Any) -> Response:
    token = request.cookies.get(csrf.PRE_COOKIE) or csrf.new_token()
    next_path = safe_next(context.pop("next", None) or request.query_params.get("next"))
    response: Response = render(request, who, "admin/sign_in.html", status, pre_token=token,
                                next=next_path, **context)  # fmt: skip
    response.set_cookie(csrf.PRE_COOKIE, token, path=PREFIX, httponly=True, samesite="strict",
                        secure=secure(request))  # fmt: skip
    return response


@router.get("/sign-in")
def sign_in_form(request: Request, who: Annotated[Reader, Depends(reader)]) -> Response:
    if who.member is not None:
        return RedirectResponse(safe_next(request.query_params.get("next")), 303)
    return _sign_in_page(request, who)


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    who = Reader(_lang(request))
    form = await request.form()
    check_form(request, form, request.cookies.get(csrf.PRE_COOKIE), who.lang)
    name, password = str(form.get("name") or ""), str(form.get("password") or "")
    next_path = safe_next(str(form.get("next") or ""))
    source = request.client.host if request.client is not None else "unknown"

    def attempt() -> signin.SignedIn | signin.Refused:
        with unit_of_work(engine_of(request), actor="web", now=now_of(request)) as uow:
            return signin.sign_in(uow, name[:200], password[:1024], source,
                                  lifetimes_of(request))  # fmt: skip

    result = await run_in_threadpool(attempt)
    if isinstance(result, signin.Refused):
        if result.locked_seconds > 0:
            message = who.gettext("Too many wrong attempts. Try again in {seconds} s.").format(
                seconds=int(result.locked_seconds) + 1
            )
            return _sign_in_page(request, who, 429, error=message, name=name, next=next_path)
        return _sign_in_page(request, who, 401, error=who.gettext("Wrong name or password."),
                             name=name, next=next_path)  # fmt: skip
    response = RedirectResponse(next_path, 303)
    response.set_cookie(COOKIE, result.token, path=PREFIX, httponly=True, samesite="lax",
                        secure=secure(request))  # fmt: skip
    response.delete_cookie(csrf.PRE_COOKIE, path=PREFIX)
    return response


def _lang(request: Request) -> str:
    return i18n.choose(request.cookies.get(i18n.COOKIE), request.headers.get("accept-language"))


@router.post("/sign-out")
async def sign_out(request: Request) -> Response:
    who = await run_in_threadpool(reader, request)
    form = await request.form()
    if who.session is not None:
        check_form(request, form, who.session.csrf_token, who.lang)

        def end() -> None:
            with unit_of_work(engine_of(request), actor="web", now=now_of(request)) as uow:
                sessions.end(uow, who.token)

        await run_in_threadpool(end)
    response = RedirectResponse(SIGN_IN, 303)
    response.delete_cookie(COOKIE, path=PREFIX)
    return response


@router.get("/language/{lang}")
def language(lang: str, request: Request) -> Response:
    """The language switch: a preference cookie, no server state (so a plain link)."""
    response = RedirectResponse(safe_next(request.query_params.get("next")), 303)
    if lang in i18n.LANGUAGES:
        response.set_cookie(i18n.COOKIE, lang, path="/", max_age=365 * 24 * 3600,
                            samesite="lax", secure=secure(request))  # fmt: skip
    return response


@router.get("")
def home(request: Request, who: Annotated[Reader, Depends(signed_in)]) -> Response:
    response: Response = render(request, who, "admin/home.html")
    return response
