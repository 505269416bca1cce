"""Catalogue files as ``pos-server catalogue import`` reads them and ``catalogue export``
writes them: JSON or CSV, and the tile pictures they name by path.

Why apart from the service: the service takes checked data from any source (the command, a
back-office form); this module alone touches the file system. What it returns is still raw:
``CatalogueIn`` checks it.

CSV (``.csv``, UTF-8, a header row): one row per product, or per group when the optional
``kind`` column says ``group``. Product columns are the JSON fields (``id``, ``name``,
``price`` in kopecks, ``barcode``, ``group_id``, ``tags`` separated by ``;``,
``allow_points``, ``guest_orderable``, ``active`` as true/false/1/0/yes/no, ``colour``,
``image``, ``extra_barcodes`` separated by ``;``, ``minutes`` for a time package,
``components`` for a bundle as ``product_id=quantity`` separated by ``;``, e.g.
``latte=1;croissant=2``); group rows use ``id``, ``name``, ``position``, ``active``,
``colour``, ``image``. An empty cell is "not given".
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from typing import Any

from pos_server.catalogue.service import CatalogueError
from pos_server.catalogue.tiles import MAX_IMAGE_BYTES, encode_image, image_size

_FLAGS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
_GROUP_FIELDS = ("id", "name", "position", "active", "colour", "image")
_PRODUCT_FIELDS = ("id", "name", "price", "barcode", "group_id", "tags", "allow_points",
                   "guest_orderable", "active", "colour", "image", "extra_barcodes",
                   "minutes", "components")  # fmt: skip
_INTS = ("price", "position", "minutes")
_BOOLS = ("allow_points", "guest_orderable", "active")


def read_catalogue_file(path: str) -> Any:
    """The file's content as JSON-like data, pictures named by path read in as base64."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CatalogueError(f"Cannot read {path}: {exc.strerror}.") from exc
    except UnicodeDecodeError as exc:
        raise CatalogueError(f"{path} is not UTF-8 text.") from exc
    if file.suffix.lower() == ".csv":
        data: Any = _from_csv(text, path)
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CatalogueError(
                f"{path} is not a valid file: {exc.msg} at line {exc.lineno}."
            ) from exc
    if isinstance(data, dict):
        for key in ("groups", "products"):
            items = data.get(key)
            for item in items if isinstance(items, list) else ():
                if isinstance(item, dict) and isinstance(item.get("image"), str):
                    item["image"] = _image(file.parent, item["image"], item.get("id"))
    return data


def _image(folder: Path, value: str, owner: object) -> str:
    """A path (relative to the catalogue file) read in; base64 or a data: URI left as is."""
    if value.startswith("data:") or not _looks_like_path(value):
        return value
    picture = folder / value
    try:
        size = picture.stat().st_size
        if size > MAX_IMAGE_BYTES:
            raise CatalogueError(
                f"The picture of {owner!r}, {value}, is {size} bytes; at most {MAX_IMAGE_BYTES}."
            )
        return encode_image(picture.read_bytes()) or ""
    except OSError as exc:
        raise CatalogueError(
            f"Cannot read the picture of {owner!r}, {value}: {exc.strerror}."
        ) from exc


def _looks_like_path(value: str) -> bool:
    return "." in value.rsplit("/", 1)[-1] and len(value) < 1000


def _from_csv(text: str, path: str) -> dict[str, Any]:
    rows = csv.DictReader(io.StringIO(text))
    data: dict[str, list[dict[str, Any]]] = {"groups": [], "products": []}
    for line, row in enumerate(rows, start=2):
        if None in row:
            raise CatalogueError(f"{path}, line {line}: more cells than the header has.")
        kind = (row.get("kind") or "product").strip().lower()
        if kind not in ("group", "product"):
            raise CatalogueError(f"{path}, line {line}: kind is 'group' or 'product'.")
        fields = _GROUP_FIELDS if kind == "group" else _PRODUCT_FIELDS
        item: dict[str, Any] = {}
        for name in fields:
            cell = (row.get(name) or "").strip()
            if cell:
                item[name] = _cell(name, cell, path, line)
        data["groups" if kind == "group" else "products"].append(item)
    return data


def _cell(name: str, cell: str, path: str, line: int) -> Any:
    if name in _INTS:
        if not cell.isdigit():
            raise CatalogueError(f"{path}, line {line}: {name} is a whole number, not {cell!r}.")
        return int(cell)
    if name in _BOOLS:
        if cell.lower() not in _FLAGS:
            raise CatalogueError(f"{path}, line {line}: {name} is true or false, not {cell!r}.")
        return _FLAGS[cell.lower()]
    if name in ("tags", "extra_barcodes"):
        return [tag.strip() for tag in cell.split(";") if tag.strip()]
    if name == "components":
        return [_part(part.strip(), path, line) for part in cell.split(";") if part.strip()]
    return cell


def _part(text: str, path: str, line: int) -> dict[str, Any]:
    """``latte=2`` (or ``latte``: one of it) as a bundle's part."""
    product_id, equals, quantity = text.rpartition("=")
    if not equals:
        return {"product_id": text, "quantity": 1}
    if not quantity.strip().isdigit():
        raise CatalogueError(
            f"{path}, line {line}: a bundle's part is product_id=quantity, not {text!r}."
        )
    return {"product_id": product_id.strip(), "quantity": int(quantity)}


def write_catalogue_file(path: str, groups: list[Any], products: list[Any]) -> dict[str, int]:
    """The catalogue as a file ``read_catalogue_file`` takes back (JSON, or CSV by the name):
    pictures go to ``<name>-pictures/`` next to it, named by their content (one file for a
    picture shared by several rows), and are referred to by that relative path."""
    file = Path(path)
    folder = file.with_name(f"{file.stem}-pictures")
    written: set[str] = set()

    def picture(image: bytes | None) -> str | None:
        if image is None:
            return None
        name = f"{hashlib.sha256(image).hexdigest()[:20]}.{image_size(image)[0]}"
        if name not in written:
            folder.mkdir(exist_ok=True)
            (folder / name).write_bytes(image)
            written.add(name)
        return f"{folder.name}/{name}"

    data = {
        "groups": [{"id": g.id, "name": g.name, "position": g.position, "active": g.active,
                    "colour": g.colour, "image": picture(g.image)} for g in groups],
        "products": [{"id": p.id, "name": p.name, "price": p.price, "barcode": p.barcode,
                      "group_id": p.group_id, "tags": sorted(p.tags),
                      "allow_points": p.allow_points, "guest_orderable": p.guest_orderable,
                      "active": p.active, "colour": p.colour, "image": picture(p.image),
                      "extra_barcodes": list(p.extra_barcodes or ()), "minutes": p.minutes,
                      "components": [dict(part) for part in p.components or ()]}
                     for p in products],
    }  # fmt: skip
    try:
        if file.suffix.lower() == ".csv":
            file.write_text(_to_csv(data), encoding="utf-8")
        else:
            text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
            file.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CatalogueError(f"Cannot write {path}: {exc.strerror}.") from exc
    return {"groups": len(groups), "products": len(products), "pictures": len(written)}


def _to_csv(data: dict[str, list[dict[str, Any]]]) -> str:
    out = io.StringIO()
    columns = ["kind", *dict.fromkeys(_GROUP_FIELDS + _PRODUCT_FIELDS)]
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    for kind, items in (("group", data["groups"]), ("product", data["products"])):
        for item in items:
            row = {"kind": kind}
            for key, value in item.items():
                if isinstance(value, bool):
                    row[key] = "true" if value else "false"
                elif key == "components":
                    row[key] = ";".join(f"{c['product_id']}={c['quantity']}" for c in value)
                elif isinstance(value, list):
                    row[key] = ";".join(value)
                else:
                    row[key] = "" if value is None else str(value)
            writer.writerow(row)
    return out.getvalue()
