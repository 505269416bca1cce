"""Which products a group discount covers."""

import pytest

from pos_app.domain.catalog import WHOLE_ORDER, DiscountScope, Product, tile_colour
from pos_app.domain.errors import InvalidAmount

LATTE = Product(
    id="latte", name="Латте", price=18_000, group_id="coffee", tags=frozenset({"напитки"})
)
HOUR = Product(id="pc-hour", name="Час игры", price=25_000, group_id="gaming")
CHIPS = Product(id="chips", name="Чипсы", price=9_000, group_id="snacks", tags=frozenset({"еда"}))


def test_empty_scope_covers_the_whole_order() -> None:
    assert WHOLE_ORDER.is_whole_order
    assert all(WHOLE_ORDER.covers(p) for p in (LATTE, HOUR, CHIPS))


def test_scope_by_product_group() -> None:
    scope = DiscountScope(product_group_ids=frozenset({"coffee"}))
    assert scope.covers(LATTE)
    assert not scope.covers(HOUR)


def test_scope_by_product_id() -> None:
    scope = DiscountScope(product_ids=frozenset({"pc-hour"}))
    assert scope.covers(HOUR)
    assert not scope.covers(CHIPS)


def test_scope_by_tag() -> None:
    scope = DiscountScope(tags=frozenset({"еда"}))
    assert scope.covers(CHIPS)
    assert not scope.covers(LATTE)


def test_product_price_must_be_kopecks() -> None:
    with pytest.raises(InvalidAmount):
        Product(id="x", name="x", price=-1)


def test_a_products_tile_colour_is_its_own_field_not_a_tag() -> None:
    assert Product("a", "A", 100, colour="#c2507a").colour == "#c2507a"
    assert Product("b", "B", 100, tags=frozenset({"colour:#2f7dd1"})).colour is None  # no tags
    assert tile_colour(" #C2507A ") == "#c2507a"
    assert tile_colour("red; x") is None and tile_colour("#abc") is None and tile_colour(7) is None
    with pytest.raises(ValueError, match="rrggbb"):
        Product("c", "C", 100, colour="red")


def test_a_products_picture_does_not_change_what_it_is() -> None:
    assert Product("a", "A", 100, image=b"png") == Product("a", "A", 100)
