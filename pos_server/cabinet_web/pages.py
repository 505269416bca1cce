"""The cabinet's pages: sign-in, registration and its SMS code, recovery, sign-out, the
profile, the history and the language switch. Plain POST-redirect-GET forms (a phone's
browser, no script needed); every change runs in one unit of work through the services of
``accounts``, ``profile`` and ``history``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from pos_server.cabinet_web import accounts, history, profile
from pos_server.cabinet_web.accounts import CabinetRefused
from pos_server.cabinet_web.context import (
    ACTOR,
    CODE_COOKIE,
    COOKIE,
    PREFIX,
    Reader,
    check_form,
    engine_of,
    form_of,
    lang_of,
    lifetimes_of,
    now_of,
    reader,
    render,
    secure,
    settings_of,
    signed_in,
    source_of,
    text,
)
from pos_server.programme.service import current
from pos_server.uow import unit_of_work
from pos_server.web import csrf, i18n, sessions

router = APIRouter(prefix=PREFIX, include_in_schema=False)
SIGN_IN = f"{PREFIX}/sign-in"
CONFIRM = f"{PREFIX}/register/confirm"


def _refusal(who: Reader, error: CabinetRefused) -> str:
    return who.gettext(error.message).format(**error.values)


def _public_page(request: Request, who: Reader, template: str, status: int = 200,
                 **context: Any) -> Response:  # fmt: skip
    """A page before sign-in: its form carries a double-submit token (the pre-session cookie)."""
    token = request.cookies.get(csrf.PRE_COOKIE) or csrf.new_token()
    response: Response = render(request, who, template, status, pre_token=token, **context)
    response.set_cookie(csrf.PRE_COOKIE, token, path=PREFIX, httponly=True, samesite="strict",
                        secure=secure(request))  # fmt: skip
    return response


async def _public_form(request: Request) -> tuple[Reader, FormData]:
    who = Reader(lang_of(request))
    form = await request.form()
    check_form(request, form, request.cookies.get(csrf.PRE_COOKIE), who.lang)
    return who, form


def _signed_in_response(request: Request, token: str) -> Response:
    response = RedirectResponse(f"{PREFIX}/profile", 303)
    response.set_cookie(COOKIE, token, path=PREFIX, httponly=True, samesite="lax",
                        secure=secure(request))  # fmt: skip
    response.delete_cookie(CODE_COOKIE, path=PREFIX)
    response.delete_cookie(csrf.PRE_COOKIE, path=PREFIX)
    return response


def _code_sent(request: Request, token: str) -> Response:
    response = RedirectResponse(CONFIRM, 303)
    lifetime = int(accounts.CODE_LIFETIME.total_seconds())
    response.set_cookie(CODE_COOKIE, token, path=PREFIX, httponly=True, samesite="strict",
                        secure=secure(request), max_age=lifetime)  # fmt: skip
    return response


def _url(request: Request) -> str:
    """The cabinet's address for an SMS: the configured public URL only, never the request's
    Host header (a forged one would put a phishing link into the guest's SMS)."""
    public = settings_of(request).public_url
    return public.rstrip("/") + PREFIX if public else ""


@router.get("")
def home(who: Annotated[Reader, Depends(reader)]) -> Response:
    return RedirectResponse(f"{PREFIX}/profile" if who.guest_id else SIGN_IN, 303)


@router.get("/sign-in")
def sign_in_form(request: Request, who: Annotated[Reader, Depends(reader)]) -> Response:
    if who.guest_id is not None:
        return RedirectResponse(f"{PREFIX}/profile", 303)
    return _public_page(request, who, "cabinet/sign_in.html")


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    who, form = await _public_form(request)
    login, password = text(form, "login"), text(form, "password", 1024)

    def attempt() -> accounts.SignedIn | accounts.CodeSent | accounts.Refused:
        with unit_of_work(engine_of(request), actor=ACTOR, now=now_of(request)) as uow:
            return accounts.sign_in(uow, login, password, source_of(request),
                                    lifetimes_of(request))  # fmt: skip

    try:
        result = await run_in_threadpool(attempt)
    except CabinetRefused as error:
        return _public_page(request, who, "cabinet/sign_in.html", error.status,
                            error=_refusal(who, error), login=login)  # fmt: skip
    if isinstance(result, accounts.Refused):
        if result.locked_seconds > 0:
            message = who.gettext("Too many wrong attempts. Try again in {seconds} s.").format(
                seconds=int(result.locked_seconds) + 1)  # fmt: skip
            return _public_page(request, who, "cabinet/sign_in.html", 429, error=message,
                                login=login)  # fmt: skip
        return _public_page(request, who, "cabinet/sign_in.html", 401, login=login,
                            error=who.gettext("Wrong login or password."))  # fmt: skip
    if isinstance(result, accounts.CodeSent):
        return _code_sent(request, result.token)
    return _signed_in_response(request, result.token)


@router.get("/register")
def register_form(request: Request, who: Annotated[Reader, Depends(reader)]) -> Response:
    return _public_page(request, who, "cabinet/register.html")


@router.post("/register")
async def register(request: Request) -> Response:
    who, form = await _public_form(request)
    phone, login = text(form, "phone", 40), text(form, "login", 64)
    name = text(form, "name", 400)
    password, again = text(form, "password", 1024), text(form, "password_again", 1024)
    if password != again:
        return _public_page(request, who, "cabinet/register.html", 400, phone=phone,
                            login=login, name=name,
                            error=who.gettext("The passwords differ."))  # fmt: skip

    def start() -> accounts.CodeSent:
        with unit_of_work(engine_of(request), actor=ACTOR, now=now_of(request)) as uow:
            return accounts.start_signup(uow, phone, login, password, source_of(request),
                                         name=name)  # fmt: skip

    try:
        sent = await run_in_threadpool(start)
    except CabinetRefused as error:
        return _public_page(request, who, "cabinet/register.html", error.status, phone=phone,
                            login=login, name=name, error=_refusal(who, error))  # fmt: skip
    return _code_sent(request, sent.token)


def _masked(phone: str | None) -> str:
    return "" if not phone else phone[:-7] + "•••" + phone[-4:]


@router.get("/register/confirm")
def confirm_form(request: Request, who: Annotated[Reader, Depends(reader)]) -> Response:
    token = request.cookies.get(CODE_COOKIE, "")
    with unit_of_work(engine_of(request), actor=ACTOR, now=now_of(request)) as uow:
        phone = accounts.pending_phone(uow, token)
    if phone is None:
        return RedirectResponse(f"{PREFIX}/register", 303)
    return _public_page(request, who, "cabinet/confirm.html", phone=_masked(phone))


@router.post("/register/confirm")
async def confirm(request: Request) -> Response:
    who, form = await _public_form(request)
    token, code = request.cookies.get(CODE_COOKIE, ""), text(form, "code", 12)

    def check() -> accounts.SignedIn | accounts.WrongCode:
        with unit_of_work(engine_of(request), actor=ACTOR, now=now_of(request)) as uow:
            return accounts.confirm(uow, token, code, lifetimes_of(request))

    def again(status: int, message: str) -> Response:
        with unit_of_work(engine_of(request), actor=ACTOR, now=now_of(request)) as uow:
            phone = accounts.pending_phone(uow, token)
        return _public_page(request, who, "cabinet/confirm.html", status, phone=_masked(phone),
                            gone=phone is None, error=message)  # fmt: skip

    try:
        done = await run_in_threadpool(check)
    except CabinetRefused as error:
        return await run_in_threadpool(again, error.status, _refusal(who, error))
    if isinstance(done, accounts.WrongCode):
        message = (who.gettext("Wrong code. Attempts left: {left}.").format(left=done.left)
                   if done.left else who.gettext("Too many wrong codes. Start again."))  # fmt: skip
        return await run_in_threadpool(again, 400, message)
    return _signed_in_response(request, done.token)


@router.get("/recover")
def recover_form(request: Request, who: Annotated[Reader, Depends(reader)]) -> Response:
    return _public_page(request, who, "cabinet/recover.html")


@router.post("/recover")
async def recover(request: Request) -> Response:
    who, form = await _public_form(request)
    asked = text(form, "login_or_email", 254)

    def send() -> None:
        with unit_of_work(engine_of(request), actor=ACTOR, now=now_of(request)) as uow:
            accounts.recover(uow, asked, _url(request))

    if asked.strip():
        await run_in_threadpool(send)
    notice = who.gettext("If the login or e-mail is on a guest's card with a mobile phone, a new "
                         "password is on its way by SMS. Your old password works until you "
                         "sign in with the new one.")  # fmt: skip
    return _public_page(request, who, "cabinet/recover.html", notice=notice)


@router.post("/sign-out")
async def sign_out(request: Request) -> Response:
    who = await run_in_threadpool(reader, request)
    form = await request.form()
    if who.session is not None:
        check_form(request, form, who.session.csrf_token, who.lang)

        def end() -> None:
            with unit_of_work(engine_of(request), actor=ACTOR, now=now_of(request)) as uow:
                sessions.end(uow, who.token)

        await run_in_threadpool(end)
    response = RedirectResponse(SIGN_IN, 303)
    response.delete_cookie(COOKIE, path=PREFIX)
    return response


def _profile(request: Request, who: Reader, status: int = 200, **context: Any) -> Response:
    with unit_of_work(engine_of(request), actor=ACTOR, now=now_of(request)) as uow:
        card = profile.card(uow, who.me)
        account = uow.cabinet.account(who.me)
    page: Response = render(request, who, "cabinet/profile.html", status, card=card,
                            login=account.login if account else "", **context)  # fmt: skip
    return page


@router.get("/profile")
def profile_page(request: Request, who: Annotated[Reader, Depends(signed_in)]) -> Response:
    notice = who.gettext("Saved.") if request.query_params.get("saved") else None
    if request.query_params.get("password"):
        notice = who.gettext("The password is changed. Other devices are signed out.")
    return _profile(request, who, notice=notice)


@router.post("/profile")
async def save_profile(
    request: Request, signed: Annotated[tuple[Reader, FormData], Depends(form_of)]
) -> Response:
    who, form = signed
    emails = [v[:254] for v in form.getlist("email") if isinstance(v, str)][:10]

    def save() -> None:
        with unit_of_work(engine_of(request), actor=ACTOR, now=now_of(request)) as uow:
            profile.save(uow, who.me, name=text(form, "name"),
                         birthday=text(form, "birthday", 20), sex=text(form, "sex", 10),
                         emails=emails)  # fmt: skip

    try:
        await run_in_threadpool(save)
    except CabinetRefused as error:
        return await run_in_threadpool(_profile, request, who, error.status,
                                       error=_refusal(who, error))  # fmt: skip
    return RedirectResponse(f"{PREFIX}/profile?saved=1", 303)


@router.post("/password")
async def change_password(
    request: Request, signed: Annotated[tuple[Reader, FormData], Depends(form_of)]
) -> Response:
    who, form = signed
    current, new = text(form, "current", 1024), text(form, "new", 1024)
    if new != text(form, "new_again", 1024):
        return await run_in_threadpool(_profile, request, who, 400,
                                       error=who.gettext("The passwords differ."))  # fmt: skip

    def change() -> accounts.SignedIn | accounts.Refused:
        with unit_of_work(engine_of(request), actor=ACTOR, now=now_of(request)) as uow:
            return accounts.change_password(uow, who.me, current, new, source=source_of(request),
                                            lifetimes=lifetimes_of(request))  # fmt: skip

    try:
        result = await run_in_threadpool(change)
    except CabinetRefused as error:
        return await run_in_threadpool(_profile, request, who, error.status,
                                       error=_refusal(who, error))  # fmt: skip
    if isinstance(result, accounts.Refused):
        message = who.gettext("Too many wrong attempts. Try again in {seconds} s.").format(
            seconds=int(result.locked_seconds) + 1) if result.locked_seconds else who.gettext(
            "The current password is wrong.")  # fmt: skip
        status = 429 if result.locked_seconds else 400
        return await run_in_threadpool(_profile, request, who, status, error=message)
    response = RedirectResponse(f"{PREFIX}/profile?password=1", 303)
    response.set_cookie(COOKIE, result.token, path=PREFIX, httponly=True, samesite="lax",
                        secure=secure(request))  # fmt: skip
    return response


@router.get("/history")
def history_page(request: Request, who: Annotated[Reader, Depends(signed_in)]) -> Response:
    query = request.query_params
    section = query.get("section", "sales")
    if section not in history.SECTIONS:
        section = "sales"
    now = now_of(request)
    with unit_of_work(engine_of(request), actor=ACTOR, now=now) as uow:
        zone = current(uow).venue.zone
        today = now.astimezone(zone).date()
        try:
            period = history.period_of(query.get("from"), query.get("to"), today, zone)
        except ValueError:
            period = history.period_of(None, None, today, zone)
        try:
            view = history.view(uow, who.me, section, period, query.get("before"))
        except history.BadCursor:
            view = history.view(uow, who.me, section, period, None)
    response: Response = render(request, who, "cabinet/history.html", view=view,
                                section=section, period=period, zone=zone,
                                sections=history.SECTIONS)  # fmt: skip
    return response


@router.get("/language/{lang}")
def language(lang: str, request: Request) -> Response:
    back = request.query_params.get("next") or PREFIX
    if not back.startswith(PREFIX) or back.startswith("//") or "\\" in back:
        back = PREFIX
    response = RedirectResponse(back, 303)
    if lang in i18n.LANGUAGES:
        response.set_cookie(i18n.COOKIE, lang, path="/", max_age=365 * 24 * 3600,
                            samesite="lax", secure=secure(request))  # fmt: skip
    return response
