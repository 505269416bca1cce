"""Creating and editing the catalogue on the web (issue 18 point 6): product groups (name,
position, active) and products (name, price in roubles, barcode, group, guest ordering,
points, discount-scope tags, withdrawal, a bundle's parts or a time package's minutes).

Saved through ``pos_server.catalogue.service.save_group`` / ``save_product``: the import's
checks, one feed change per real change, an audit row; a refused form is shown again with
what was typed and nothing written. The tile's colour and picture keep their own form
(``catalogue_pages.py``). The catalogue permission.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from pos_app.domain.catalog import DiscountScope, Product
from pos_app.domain.errors import DomainError
from pos_app.domain.money import format_money, parse_money
from pos_server.admin_web.context import (
    PREFIX,
    Reader,
    Refused,
    _,
    acting,
    form_of,
    render,
    require,
)
from pos_server.catalogue import service as catalogue
from pos_server.staff.permissions import Permission
from pos_server.uow import UnitOfWork
from pos_server.web.context import form_text as _text

router = APIRouter(prefix=f"{PREFIX}/catalogue", include_in_schema=False)
Page = Annotated[Reader, Depends(require(Permission.CATALOGUE))]
Form = Annotated[tuple[Reader, FormData], Depends(form_of(Permission.CATALOGUE))]
PART_ROWS = 3  # empty rows for a bundle's parts below the ones it has


class FormProblem(ValueError):
    """A field the form cannot read: ``field`` names it, the message says why (untranslated
    msgid, translated where shown)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def price_kopecks(text: str) -> int:
    """ "210.50" / "210,50" / "1 210" roubles as kopecks, exactly (no float on the way)."""
    try:
        kopecks = parse_money(text)
    except DomainError:
        raise FormProblem("price", _("Enter the price in roubles, e.g. 210.50.")) from None
    if kopecks < 0:
        raise FormProblem("price", _("Enter the price in roubles, e.g. 210.50."))
    return kopecks


def _scope_tags(uow: UnitOfWork) -> dict[str, list[str]]:
    """Every tag a guest group's discount scope names, with the groups naming it."""
    tags: dict[str, list[str]] = {}
    for row in uow.groups.rows():
        for tag in (row.scope or {}).get("tags") or ():
            tags.setdefault(str(tag), []).append(row.name)
    return dict(sorted(tags.items()))


def _covering(uow: UnitOfWork, product: Product) -> list[str]:
    """The guest groups whose discount covers the product as saved (what its tags mean)."""
    names = []
    for row in uow.groups.rows():
        scope = row.scope or {}
        found = DiscountScope(frozenset(scope.get("product_group_ids") or ()),
                              frozenset(scope.get("product_ids") or ()),
                              frozenset(scope.get("tags") or ()))  # fmt: skip
        if row.active and row.discount_bp > 0 and found.covers(product):
            names.append(row.name)
    return names


# ---- product groups -------------------------------------------------------------------------

GROUP_EMPTY = {"id": "", "name": "", "position": "0", "active": True}


def _group_form(request: Request, who: Reader, values: dict[str, Any], *, new: bool,
                status: int = 200, **context: Any) -> Response:  # fmt: skip
    page: Response = render(request, who, "admin/catalogue_group_form.html", status, v=values,
                            new=new, **context)  # fmt: skip
    return page


@router.get("/create/groups")
def new_group(request: Request, who: Page) -> Response:
    return _group_form(request, who, dict(GROUP_EMPTY), new=True)


@router.get("/groups/{group_id}/edit")
def edit_group(group_id: str, request: Request, who: Page) -> Response:
    with acting(request, who) as uow:
        row = uow.products.group(group_id)
        if row is None:
            raise Refused(404, who.gettext("Not found"), who.gettext("No such product or group."))
        values = {"id": row.id, "name": row.name, "position": str(row.position),
                  "active": row.active}  # fmt: skip
    notice = who.gettext("Saved.") if request.query_params.get("saved") else None
    return _group_form(request, who, values, new=False, notice=notice)


def _save_group(request: Request, who: Reader, form: FormData, group_id: str, *,
                new: bool) -> Response:  # fmt: skip
    typed = {"id": group_id, "name": _text(form, "name"), "position": _text(form, "position"),
             "active": form.get("active") == "on"}  # fmt: skip
    try:
        position = _text(form, "position") or "0"
        if not position.isdigit():
            raise FormProblem("position", _("The position is a whole number, 0 or more."))
        values = {**typed, "position": int(position)}
        with acting(request, who) as uow:
            catalogue.save_group(uow, values, new=new)
    except (FormProblem, ValidationError, catalogue.CatalogueError) as exc:
        return _group_form(request, who, typed, new=new, status=400, error=_problem(who, exc))
    return RedirectResponse(f"{PREFIX}/catalogue/groups/{group_id}/edit?saved=1", 303)


@router.post("/create/groups")
def add_group(request: Request, posted: Form) -> Response:
    who, form = posted
    return _save_group(request, who, form, _text(form, "id"), new=True)


@router.post("/groups/{group_id}/edit")
def save_group(group_id: str, request: Request, posted: Form) -> Response:
    who, form = posted
    return _save_group(request, who, form, group_id, new=False)


# ---- products -------------------------------------------------------------------------------

PRODUCT_EMPTY: dict[str, Any] = {
    "id": "", "name": "", "price": "", "barcode": "", "group_id": "", "guest_orderable": True,
    "allow_points": True, "active": True, "tags": [], "other_tags": "", "minutes": "",
    "parts": [], "extra_barcodes": "",
}  # fmt: skip


def _product_form(request: Request, who: Reader, values: dict[str, Any], *, new: bool,
                  status: int = 200, **context: Any) -> Response:  # fmt: skip
    with acting(request, who) as uow:
        groups = uow.products.groups()
        scope_tags = _scope_tags(uow)
        covered = None
        if not new and (row := uow.products.product(values["id"])) is not None:
            covered = _covering(uow, catalogue.to_domain(row))
    parts = [*values["parts"], *([("", "")] * PART_ROWS)]
    page: Response = render(request, who, "admin/catalogue_product_form.html", status,
                            v=values, new=new, groups=groups, scope_tags=scope_tags,
                            covered=covered, parts=parts, **context)  # fmt: skip
    return page


@router.get("/create/products")
def new_product(request: Request, who: Page) -> Response:
    return _product_form(request, who, dict(PRODUCT_EMPTY), new=True)


@router.get("/products/{product_id}/edit")
def edit_product(product_id: str, request: Request, who: Page) -> Response:
    with acting(request, who) as uow:
        row = uow.products.product(product_id)
        if row is None:
            raise Refused(404, who.gettext("Not found"), who.gettext("No such product or group."))
        scope_tags = _scope_tags(uow)
        values = {
            "id": row.id, "name": row.name, "price": format_money(row.price, ""),
            "barcode": row.barcode or "", "group_id": row.group_id or "",
            "guest_orderable": row.guest_orderable, "allow_points": row.allow_points,
            "active": row.active, "tags": [t for t in row.tags if t in scope_tags],
            "other_tags": ", ".join(t for t in row.tags if t not in scope_tags),
            "minutes": "" if row.minutes is None else str(row.minutes),
            "parts": [(str(p["product_id"]), str(p["quantity"])) for p in row.components or ()],
            "extra_barcodes": ", ".join(row.extra_barcodes or ()),
        }  # fmt: skip
    notice = who.gettext("Saved.") if request.query_params.get("saved") else None
    return _product_form(request, who, values, new=False, notice=notice)


def _typed_product(form: FormData, product_id: str) -> dict[str, Any]:
    """The form as typed (shown again when refused)."""
    ids, quantities = form.getlist("part_id"), form.getlist("part_quantity")
    parts = [(str(i).strip(), str(q).strip()) for i, q in zip(ids, quantities, strict=False)
             if str(i).strip()]  # fmt: skip
    return {
        "id": product_id, "name": _text(form, "name"), "price": _text(form, "price"),
        "barcode": _text(form, "barcode"), "group_id": _text(form, "group_id"),
        "guest_orderable": form.get("guest_orderable") == "on",
        "allow_points": form.get("allow_points") == "on", "active": form.get("active") == "on",
        "tags": [str(t) for t in form.getlist("tags")], "other_tags": _text(form, "other_tags"),
        "minutes": _text(form, "minutes"), "parts": parts,
        "extra_barcodes": _text(form, "extra_barcodes"),
    }  # fmt: skip


def product_values(typed: dict[str, Any]) -> dict[str, Any]:
    """The typed form as ``ProductIn`` takes it; FormProblem for a field it cannot read."""
    components = []
    for part_id, quantity in typed["parts"]:
        if not (quantity or "1").isdigit() or int(quantity or "1") < 1:
            message = _("A quantity in the bundle is a whole number, 1 or more.")
            raise FormProblem("components", message)
        components.append({"product_id": part_id, "quantity": int(quantity or "1")})
    minutes = typed["minutes"]
    if minutes and (not minutes.isdigit() or int(minutes) < 1):
        message = _("The minutes of a time package are a whole number, 1 or more.")
        raise FormProblem("minutes", message)
    others = [t.strip() for t in typed["other_tags"].split(",") if t.strip()]
    return {
        "id": typed["id"], "name": typed["name"], "price": price_kopecks(typed["price"]),
        "barcode": typed["barcode"] or None, "group_id": typed["group_id"] or None,
        "guest_orderable": typed["guest_orderable"], "allow_points": typed["allow_points"],
        "active": typed["active"], "tags": [*typed["tags"], *others],
        "minutes": int(minutes) if minutes else None, "components": components,
        "extra_barcodes": [code for code in re.split(r"[\s,;]+", typed["extra_barcodes"]) if code],
    }  # fmt: skip


def _save_product(request: Request, who: Reader, form: FormData, product_id: str, *,
                  new: bool) -> Response:  # fmt: skip
    typed = _typed_product(form, product_id)
    try:
        values = product_values(typed)
        with acting(request, who) as uow:
            catalogue.save_product(uow, values, new=new)
    except (FormProblem, ValidationError, catalogue.CatalogueError) as exc:
        return _product_form(request, who, typed, new=new, status=400, error=_problem(who, exc))
    return RedirectResponse(f"{PREFIX}/catalogue/products/{product_id}/edit?saved=1", 303)


@router.post("/create/products")
def add_product(request: Request, posted: Form) -> Response:
    who, form = posted
    return _save_product(request, who, form, _text(form, "id"), new=True)


@router.post("/products/{product_id}/edit")
def save_product(product_id: str, request: Request, posted: Form) -> Response:
    who, form = posted
    return _save_product(request, who, form, product_id, new=False)


# ---- what went wrong, in the member's language ----------------------------------------------

_CODES = {
    "exists": _("This id is taken already; choose another."),
    "not_found": _("No such product or group."),
    "duplicate_barcode": _("This barcode belongs to another product: {subject}."),
    "unknown_group": _("There is no product group {subject}."),
    "bundle_self": _("A bundle cannot hold itself."),
    "bundle_unknown": _("The bundle holds {subject}, which is no product."),
    "bundle_twice": _("The bundle names {subject} more than once; give it a quantity instead."),
    "bundle_cycle": _("Bundles cannot hold each other: {subject}."),
}
_FIELDS = {"id": _("Id"), "name": _("Name"), "price": _("Price"), "barcode": _("Barcode"),
           "extra_barcodes": _("More barcodes"),
           "position": _("Position"), "minutes": _("Minutes"), "components": _("Bundle"),
           "tags": _("Discount scope tags")}  # fmt: skip


def _problem(who: Reader, exc: Exception) -> str:
    if isinstance(exc, FormProblem):
        return who.gettext(str(exc))
    if isinstance(exc, catalogue.CatalogueError):
        known = _CODES.get(exc.code)
        return who.gettext(known).format(subject=exc.subject) if known else str(exc)
    assert isinstance(exc, ValidationError)
    first = exc.errors()[0]
    field = str(first["loc"][0]) if first["loc"] else ""
    return who.gettext("Check the field {field}: {problem}").format(
        field=who.gettext(_FIELDS[field]) if field in _FIELDS else field, problem=first["msg"]
    )
