"""Messages to guests that need a manager (issue 21 point 1): the outbox's waiting and failed
messages, filtered by status, with "retry" per failed message and "retry all failed" (each
audited). The same ``list_messages``/``retry`` as ``pos-server notifications list|retry``.

Opens with the guests permission: the rows name guests and their chats or phones (shown
masked), and a retry sends a guest a message. The text is never shown: until sent, some
messages hold a secret (a cabinet password, a sign-in code)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from pos_server.admin_web.context import PREFIX, Reader, Refused, acting, form_of, render, require
from pos_server.repositories.notifications import (
    FAILED,
    HELD,
    SENDING,
    SMS,
    WAITING,
    list_messages,
    retry,
)
from pos_server.staff.permissions import Permission

router = APIRouter(prefix=f"{PREFIX}/notifications", include_in_schema=False)
Page = Annotated[Reader, Depends(require(Permission.GUESTS))]
Form = Annotated[tuple[Reader, FormData], Depends(form_of(Permission.GUESTS))]
SHOWN = 500
FILTERS: dict[str, list[str]] = {
    "all": [HELD, WAITING, SENDING, FAILED],
    "failed": [FAILED],
    "waiting": [HELD, WAITING, SENDING],
}


def masked(channel: str, recipient: str | None) -> str:
    """Enough of a phone (its last 4 digits) or a chat id (its first and last 2) to tell
    messages apart and match a guest's complaint, not enough to copy it."""
    if not recipient:
        return ""
    if channel == SMS:
        return "…" + recipient[-4:]
    if len(recipient) <= 6:
        return "…" + recipient[-2:]
    return recipient[:2] + "…" + recipient[-2:]


def _when(value: Any) -> str:
    """An ISO time from ``list_messages`` as the page shows it (UTC, to the minute)."""
    return str(value)[:16].replace("T", " ") + " UTC" if value else ""


def _page(request: Request, who: Reader, shown: str, status: int = 200,
          **context: Any) -> Response:  # fmt: skip
    with acting(request, who) as uow:
        found = list_messages(uow.connection, FILTERS[shown], SHOWN)
    rows = [{"id": m["id"], "channel": m["channel"], "kind": m["kind"], "status": m["status"],
             "recipient": masked(m["channel"], m["recipient"]), "guest_id": m["guest_id"],
             "attempts": m["attempts"], "last_error": m["last_error"] or "",
             "created": _when(m["created_at"]),
             "next_try": _when(m["next_attempt_at"]) if m["status"] == WAITING else ""}
            for m in reversed(found)]  # fmt: skip
    response: Response = render(request, who, "admin/notifications.html", status,
                                messages=rows, shown=shown, filters=list(FILTERS),
                                failed=sum(r["status"] == FAILED for r in rows),
                                **context)  # fmt: skip
    return response


def _shown(value: Any) -> str:
    return value if isinstance(value, str) and value in FILTERS else "all"


@router.get("")
def notification_list(request: Request, who: Page, status: str = "all") -> Response:
    return _page(request, who, _shown(status))


@router.post("/retry-failed")
def retry_all(request: Request, posted: Form) -> Response:
    who, form = posted
    with acting(request, who) as uow:
        count = retry(uow.connection, uow.now, None)
        if count:
            uow.audit.record("notification.retry", "notifications:failed",
                             details={"retried": count})  # fmt: skip
    notice = who.gettext("Messages put back in the queue: {count}.").format(count=count)
    return _page(request, who, _shown(form.get("status")), notice=notice)


@router.post("/{message_id}/retry")
def retry_one(message_id: int, request: Request, posted: Form) -> Response:
    who, form = posted
    with acting(request, who) as uow:
        count = retry(uow.connection, uow.now, message_id)
        if count:
            uow.audit.record("notification.retry", f"notification:{message_id}",
                             before={"status": FAILED}, after={"status": WAITING})  # fmt: skip
    if not count:
        raise Refused(404, who.gettext("Not found"),
                      who.gettext("No failed message has this id (it may have been retried "
                                  "already)."))  # fmt: skip
    notice = who.gettext("Message {id} put back in the queue.").format(id=message_id)
    return _page(request, who, _shown(form.get("status")), notice=notice)
