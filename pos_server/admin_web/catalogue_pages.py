"""The catalogue's tiles (issue 22 point 8): product groups and products with their tile colour
and picture, and a form to set them. Saved through ``pos_server.catalogue.service.set_tile``
(the import's checks, a feed change for the tills, an audit row) in the member's unit of work.
Creating and editing groups and products is ``catalogue_forms.py``. The catalogue
permission."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile

from pos_app.domain.money import format_money
from pos_server.admin_web.context import PREFIX, Reader, Refused, acting, form_of, render, require
from pos_server.catalogue import service as catalogue
from pos_server.catalogue.tiles import (
    MAX_IMAGE_BYTES,
    TileImageError,
    check_image,
    encode_image,
    image_size,
)
from pos_server.staff.permissions import Permission

router = APIRouter(prefix=f"{PREFIX}/catalogue", include_in_schema=False)
Page = Annotated[Reader, Depends(require(Permission.CATALOGUE))]
Form = Annotated[tuple[Reader, FormData], Depends(form_of(Permission.CATALOGUE))]
KINDS = {"products": "product", "groups": "group"}
SHOWN = 200  # products listed at once; the search finds the rest


def picture_uri(image: bytes | None) -> str | None:
    """The picture as a ``data:`` URI for an ``<img>`` (the pages' CSP allows data: images)."""
    if image is None:
        return None
    try:
        kind = image_size(image)[0]
    except TileImageError:
        return None
    return f"data:image/{kind};base64,{encode_image(image)}"


@router.get("")
def catalogue_list(request: Request, who: Page) -> Response:
    text = (request.query_params.get("q") or "").strip()[:200]
    with acting(request, who) as uow:
        groups = uow.products.groups()
        products = uow.products.find(text, SHOWN + 1)
        names = {g.id: g.name for g in groups}
        page: Response = render(request, who, "admin/catalogue.html", groups=groups,
                                products=products[:SHOWN], more=len(products) > SHOWN,
                                q=text, names=names, picture=picture_uri,
                                money=lambda kopecks: format_money(kopecks, ""))  # fmt: skip
    return page


def _row(request: Request, who: Reader, kind: str, entity_id: str) -> dict[str, Any]:
    with acting(request, who) as uow:
        row = (uow.products.product(entity_id) if kind == "product"
               else uow.products.group(entity_id))  # fmt: skip
        if row is None:
            raise Refused(404, who.gettext("Not found"), who.gettext("No such product or group."))
        return {"id": row.id, "name": row.name, "colour": row.colour, "image": row.image,
                "group_id": getattr(row, "group_id", None)}  # fmt: skip


def _form(request: Request, who: Reader, kinds: str, values: dict[str, Any],
          status: int = 200, **context: Any) -> Response:  # fmt: skip
    response: Response = render(request, who, "admin/tile_form.html", status, v=values,
                                kinds=kinds, picture=picture_uri(values["image"]),
                                max_kb=MAX_IMAGE_BYTES // 1024, **context)  # fmt: skip
    return response


def _kind(kinds: str, who: Reader) -> str:
    if kinds not in KINDS:
        raise Refused(404, who.gettext("Not found"), who.gettext("No such product or group."))
    return KINDS[kinds]


@router.get("/{kinds}/{entity_id}")
def tile_form(kinds: str, entity_id: str, request: Request, who: Page) -> Response:
    values = _row(request, who, _kind(kinds, who), entity_id)
    notice = who.gettext("Saved.") if request.query_params.get("saved") else None
    return _form(request, who, kinds, values, notice=notice)


def _upload(form: FormData) -> bytes | None:
    """The uploaded picture's bytes (None: no file chosen); read no further than the limit."""
    sent = form.get("image")
    if not isinstance(sent, UploadFile) or not sent.filename:
        return None
    sent.file.seek(0)
    return sent.file.read(MAX_IMAGE_BYTES + 1) or None


@router.post("/{kinds}/{entity_id}")
def save_tile(kinds: str, entity_id: str, request: Request, posted: Form) -> Response:
    who, form = posted
    return _save(request, who, (kinds, _kind(kinds, who), entity_id), form, _upload(form))


def _save(request: Request, who: Reader, target: tuple[str, str, str], form: FormData,
          uploaded: bytes | None) -> Response:  # fmt: skip
    """``target``: the path's kinds ("products"), the kind ("product") and the id."""
    kinds, kind, entity_id = target
    values = _row(request, who, kind, entity_id)
    own = form.get("own_colour") == "on"
    picked = form.get("colour")
    colour = picked.strip() if own and isinstance(picked, str) else None
    image = None if form.get("remove_image") == "on" else (uploaded or values["image"])
    try:
        if uploaded is not None:
            check_image(uploaded)
        with acting(request, who) as uow:
            catalogue.set_tile(uow, kind, entity_id, colour, image)
    except TileImageError as exc:
        message = who.gettext("The picture was not accepted: {problem}.").format(problem=exc)
        return _form(request, who, kinds, values, 400, error=message)
    except ValidationError as exc:
        message = who.gettext("Check the field {field}: {problem}").format(
            field=".".join(str(p) for p in exc.errors()[0]["loc"]), problem=exc.errors()[0]["msg"]
        )
        return _form(request, who, kinds, values, 400, error=message)
    return RedirectResponse(f"{PREFIX}/catalogue/{kinds}/{entity_id}?saved=1", 303)
